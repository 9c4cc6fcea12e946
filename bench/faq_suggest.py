"""Benchmark: the Create form's FAQ suggestions (GET /faq/suggest/) with 1,000 articles.

Target: p99 under 50 ms. Measures the whole Django request (middleware, session, search, template)
through the test client, without the network. Not a test: run it by hand and note the figures in
docs/faq.md.

    # SQLite (a fresh database in a temporary directory):
    .venv/bin/python bench/faq_suggest.py
    # PostgreSQL (a scratch database: the bench adds 1,000 "bench-" articles and a customer to it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supportdesk_bench .venv/bin/python bench/faq_suggest.py

Options: --articles N (1000), --requests N (2000).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

QUESTIONS = [
    "How can I see the statistics of my campaign for last week",
    "campain statistcs",
    "calls do not go through, telephony fails since this morning",
    "telefony failur",
    "the system won't load, white screen after login",
    "error when I create a new campaign with a script",
    "upload of the contact list csv fails with encoding error",
    "how to change my password",
    "how do I configure the call script branches",
    "invoice and act for October, reconciliation statement",
    "metrics tariffing pay per lead",
    "my ticket has no answer for three days",
    "как посмотреть статистику кампании за неделю",
    "не загружается система, белый экран",
    "звонки не проходят, сбой телефонии",
    "как изменить категорию тикета",
    "статистка кампаний",
    "ошибка при загрузке списка контактов",
    "закрывающие документы и акт сверки",
    "how to discribe a problm properly",
]

EN_WORDS = (
    "campaign script statistics report operator call calls telephony number line balance invoice act tariff "
    "metric lead contact list upload import export file schedule launch pause stop queue dialer record recording "
    "voicemail transfer callback team role supervisor permission profile password language timezone widget "
    "integration webhook api crm lead status answer conversion dashboard filter period analytics sip codec "
    "microphone headset browser cache cookie error failure timeout limit quota billing payment card transfer"
).split()
RU_WORDS = (
    "кампания скрипт статистика отчет оператор звонок звонки телефония номер линия баланс счет акт тариф метрика "
    "лид контакт список загрузка импорт экспорт файл расписание запуск пауза очередь запись автоответчик перевод "
    "команда роль права профиль пароль язык виджет интеграция статус ответ конверсия фильтр период аналитика "
    "микрофон гарнитура браузер ошибка сбой лимит оплата карта"
).split()
VERBS = "set up,configure,export,import,pause,restore,filter,schedule,connect,limit,rename,share,check".split(",")


def generate(count: int, rng: random.Random) -> list[dict[str, str]]:
    """Articles shaped like a real FAQ's: each about a topic of a few domain words that recur in it,
    plus other domain words now and then, and names of things (campaigns, fields, products) that make
    the vocabulary large (~16,000 words here, which the typo corrector searches). A domain word such as
    "calls" is then in about a quarter of the articles, not in all of them."""
    letters = "abcdefghiklmnoprstuvz"
    names = ["".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) for _ in range(20_000)]
    rows = []
    for n in range(count):
        topic = rng.sample(EN_WORDS, 3)
        words = topic * 6 + rng.sample(EN_WORDS, 15) + rng.sample(names, 100)
        rng.shuffle(words)
        ru_topic = rng.sample(RU_WORDS, 3)
        ru_words = ru_topic * 6 + rng.sample(RU_WORDS, 12) + rng.sample(names, 60)
        rng.shuffle(ru_words)
        rows.append(
            {
                "slug": f"bench-{n}",
                "title_en": f"How do I {rng.choice(VERBS)} the {topic[0]} {topic[1]}?",
                "title_ru": f"Как настроить {ru_topic[0]} {ru_topic[1]}?",
                "keywords_en": ", ".join(topic + rng.sample(EN_WORDS, 2)),
                "keywords_ru": ", ".join(ru_topic),
                "body_en": f"Open **{topic[0].title()}** and choose {topic[1]}.\n\n" + " ".join(words),
                "body_ru": " ".join(ru_words),
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()

    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="faq-bench-")
        os.environ["SUPPORTDESK_VAR_DIR"] = scratch
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportdesk.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from supportdesk.accounts.models import Organization, User
    from supportdesk.faq import search
    from supportdesk.faq.models import Article, ArticleStatus, Term
    from supportdesk.tickets.models import Section

    setup_test_environment()  # the test client's host, and in-memory mail
    call_command("migrate", verbosity=0)
    call_command("seed_faq", verbosity=0)
    rng = random.Random(5)  # noqa: S311 - made-up articles, not secrets
    sections = list(Section.objects.all())
    Article.objects.filter(slug__startswith="bench-").delete()
    articles = [
        Article(section=rng.choice([*sections, None]), status=ArticleStatus.PUBLISHED, position=100 + i, **row)
        for i, row in enumerate(generate(args.articles, rng))
    ]
    Article.objects.bulk_create(articles, batch_size=200)
    Term.objects.all().delete()
    search.remember_words(Article.objects.all())
    with connection.cursor() as cursor:
        # Compact tables and fresh statistics, as autovacuum keeps them in production: a rerun of the
        # bench has just deleted and inserted 1,000 articles, and the planner must not see that bloat.
        cursor.execute("VACUUM FULL ANALYZE faq_article" if connection.vendor == "postgresql" else "ANALYZE")
    organization, _ = Organization.objects.get_or_create(name="Bench Org")
    user = User.objects.filter(email="bench@example.test").first() or User.objects.create_user(
        "bench@example.test", "bench", display_name="Bench", organization=organization
    )

    client = Client()
    client.force_login(user, backend="supportdesk.accounts.backends.ModelBackend")
    section = str(sections[0].pk)
    key = str(uuid.uuid4())

    cpu: list[float] = []

    def one(question: str) -> float:
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get("/faq/suggest/", {"question": question, "section": section, "submission_key": key})
        elapsed = time.perf_counter() - start
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/faq/suggest/ answered {response.status_code}")
        return elapsed * 1000

    for question in QUESTIONS * 3:  # warm-up: connection, templates, SQLite's in-process vocabulary
        one(question)
    load_before = os.getloadavg()[0]
    cpu.clear()
    timings = sorted(one(QUESTIONS[i % len(QUESTIONS)]) for i in range(args.requests))
    cpu_p = statistics.quantiles(sorted(cpu), n=100)
    p = statistics.quantiles(timings, n=100)
    total = Article.objects.filter(status=ArticleStatus.PUBLISHED).count()
    print(f"database: {connection.vendor}; published articles: {total}; vocabulary: {Term.objects.count()} words")
    print(f"GET /faq/suggest/ x {args.requests}: p50 {p[49]:.1f} ms, p95 {p[94]:.1f} ms, p99 {p[98]:.1f} ms, "
          f"max {timings[-1]:.1f} ms")  # fmt: skip
    print(f"  CPU time of this process per request (the part other processes cannot slow): p50 {cpu_p[49]:.1f} ms, "
          f"p99 {cpu_p[98]:.1f} ms")  # fmt: skip
    print(f"  load average (2 cores here) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}: other work on the "
          "machine lengthens the tail")  # fmt: skip
    print("target p99 < 50 ms:", "met" if p[98] < 50 else "NOT met")
    if scratch:
        print(f"(scratch database in {scratch})")


if __name__ == "__main__":
    main()
