"""Full-text search of the FAQ: ranked, in English and Russian, forgiving of typos.

One path, two databases (the indexes are made by migrations 0002 and 0004):

1. ``terms``: the words of the text, lower-cased, without stop words; at most ``MAX_WORDS`` of the
   first ``MAX_CHARS`` characters, so a 10,000-character question costs what a short one does. Only
   letters and digits survive, so no search syntax of either database ever reaches it.
2. ``correct``: a word the articles never use is replaced by the closest one they do (trigram
   similarity against ``Term``, the articles' vocabulary): pg_trgm with its GIN index on PostgreSQL,
   the same measure in Python on SQLite. "campain statistcs" searches "campaign statistics".
3. The words are OR-ed and ranked: PostgreSQL ``ts_rank`` over the weighted ``tsvector`` (English
   fields stemmed as English, Russian ones as Russian); SQLite FTS5 ``bm25`` with the title weighing
   most. FTS5 has no Russian stemmer, so a Russian word is searched by its stem as a prefix
   ("статистику" → ``статистик*``).

While the customer types, the last word is unfinished: ``typing=True`` also searches it as a prefix.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max

from supportdesk.faq.models import Article, ArticleStatus, Term

MAX_CHARS = 1000
MAX_WORDS = 16
MIN_CORRECTED_LENGTH = 4
MIN_SIMILARITY = 0.45
MAX_WORD_LENGTH = 40

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")

STOP_WORDS = frozenset(
    """a an and are as at be but by can could do does did for from get got had has have how i if in into is it
    its me my no not of on or our so than that the their them then there these they this to too up us was we
    were what when where which who why will with would you your am been being any some also just very should
    please hello hi thanks thank help
    а без бы был была были было в вам вас весь во вот все всё вы где да даже для до его ее её если есть еще ещё
    же за здесь и из или им их к как ко когда кто ли либо мне мной мы на над не нет ни но ну о об однако он она
    они оно от по под при про с со так также такой там те тем то того тоже той только том ты у уже хотя чего чей
    чем что чтобы эта эти это этот я можно нужно надо пожалуйста здравствуйте спасибо помогите мой моя мои моё
    """.split()
)

# Russian endings, longest first: FTS5 has no Russian stemmer, so SQLite searches the stem as a prefix.
_RU_ENDINGS = sorted(
    """ами ями ого его ому ему ыми ими ться тся ешь ете ишь ите ала ила ыла ено ена ены ов ев ей ой ий ый ая яя
    ое ее ие ые ую юю ом ем ам ям ах ях ым им ет ит ут ют ат ят ал ил ыл ть а я о е и ы у ю ь""".split(),
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]
    partial: str = ""  # the word being typed, searched as a prefix too


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float


def terms(text: str, *, typing: bool = False) -> Terms:
    head = (text or "")[:MAX_CHARS].lower()
    found = _WORD.findall(head)
    words = [w for w in dict.fromkeys(found) if len(w) > 1 and len(w) <= MAX_WORD_LENGTH and w not in STOP_WORDS]
    partial = ""
    if typing and found and head[-1:].isalnum() and len(found[-1]) >= 3 and found[-1] not in STOP_WORDS:
        partial = found[-1]
    return Terms(tuple(words[:MAX_WORDS]), partial if partial in words[:MAX_WORDS] else "")


def search(text: str, *, limit: int = 10, typing: bool = False, published_only: bool = True) -> list[Hit]:
    """The best articles for ``text``, best first."""
    found = terms(text, typing=typing)
    if not found.words:
        return []
    # The word being typed is unfinished: it is searched as a prefix, not corrected.
    corrections = correct(w for w in found.words if w != found.partial)
    words = tuple(dict.fromkeys([*found.words, *corrections.values()]))
    run = _postgres if connection.vendor == "postgresql" else _sqlite
    return run(words, found.partial, limit=limit, published_only=published_only)


# --- Typos ------------------------------------------------------------------------------------------


def correct(words: Iterable[str]) -> dict[str, str]:
    """word → the closest word the articles use, for each word they never use that has a close one."""
    candidates = [w for w in words if len(w) >= MIN_CORRECTED_LENGTH and not w.isdigit()]
    if not candidates:
        return {}
    if connection.vendor == "postgresql":
        return _correct_postgres(candidates)
    return _correct_python(candidates)


def _correct_postgres(words: list[str]) -> dict[str, str]:
    # Words the articles use are skipped through the unique index; for the others the GIN trigram
    # index finds the candidates (pg_trgm's % operator, similarity above its threshold, 0.3 by
    # default) and the most similar one wins if it is at least MIN_SIMILARITY alike. One statement.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT q.w, best.word FROM unnest(%s::text[]) AS q(w)
               CROSS JOIN LATERAL (
                   SELECT t.word, similarity(t.word, q.w) AS sim FROM faq_term t WHERE t.word %% q.w
                   ORDER BY sim DESC, t.word LIMIT 1
               ) best
               WHERE best.sim >= %s AND NOT EXISTS (SELECT 1 FROM faq_term k WHERE k.word = q.w)""",
            [words, MIN_SIMILARITY],
        )
        return dict(cursor.fetchall())


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


class _Vocabulary:
    """The articles' words and a trigram index of them, rebuilt when ``Term`` changes."""

    def __init__(self, version: tuple[int, int | None], words: list[str]) -> None:
        self.version = version
        self.grams = {w: trigrams(w) for w in words}
        self.index: dict[str, list[str]] = {}
        for word, grams in self.grams.items():
            for gram in grams:
                self.index.setdefault(gram, []).append(word)

    def closest(self, word: str, threshold: float) -> tuple[str, float] | None:
        """The most similar word at or above ``threshold``.

        A word that similar shares at least ``m = ceil(threshold * |grams|)`` trigrams with ``word``, so
        it is in the postings of at least one of its ``|grams| - m + 1`` rarest trigrams: only those
        are read (prefix filtering), not the thousands of words behind a common trigram.
        """
        grams = trigrams(word)
        needed = math.ceil(threshold * len(grams))
        rarest = sorted(grams, key=lambda g: len(self.index.get(g, ())))[: len(grams) - needed + 1]
        best: tuple[str, float] | None = None
        for candidate in set().union(*(self.index.get(g, ()) for g in rarest)):
            other = self.grams[candidate]
            shared = len(grams & other)
            score = shared / (len(grams) + len(other) - shared)
            if score >= threshold and (best is None or score > best[1] or (score == best[1] and candidate < best[0])):
                best = (candidate, score)
        return best


_vocabulary: _Vocabulary | None = None
_vocabulary_lock = threading.Lock()


def _current_vocabulary() -> _Vocabulary:
    global _vocabulary
    stats = Term.objects.aggregate(count=Count("id"), top=Max("id"))
    version = (stats["count"], stats["top"])
    vocabulary = _vocabulary
    if vocabulary is None or vocabulary.version != version:
        with _vocabulary_lock:
            if _vocabulary is None or _vocabulary.version != version:
                _vocabulary = _Vocabulary(version, list(Term.objects.values_list("word", flat=True)))
            vocabulary = _vocabulary
    return vocabulary


def _correct_python(words: list[str]) -> dict[str, str]:
    vocabulary = _current_vocabulary()
    corrections = {}
    for word in words:
        if word in vocabulary.grams:
            continue
        best = vocabulary.closest(word, MIN_SIMILARITY)
        if best is not None:
            corrections[word] = best[0]
    return corrections


def words_of(article: Article) -> set[str]:
    """The vocabulary an article adds: every word of its text in both languages."""
    text = " ".join(
        [article.title_en, article.title_ru, article.keywords_en, article.keywords_ru, article.body_en, article.body_ru]
    ).lower()
    return {w for w in _WORD.findall(text) if 3 <= len(w) <= MAX_WORD_LENGTH and not w.isdigit()}


def remember_words(articles: Iterable[Article]) -> None:
    words: set[str] = set()
    for article in articles:
        words |= words_of(article)
    Term.objects.bulk_create([Term(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=500)


# --- The two databases ------------------------------------------------------------------------------


def _postgres(words: tuple[str, ...], partial: str, *, limit: int, published_only: bool) -> list[Hit]:
    query = " | ".join(f"{w}:*" if w == partial else w for w in words)
    status = "AND a.status = %s" if published_only else ""
    params: list[str | int] = [query, query]
    if published_only:
        params.append(ArticleStatus.PUBLISHED)
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT a.id, ts_rank(a.search_vector, q.query, 1) AS rank
                FROM faq_article a
                CROSS JOIN (SELECT to_tsquery('english', %s) || to_tsquery('russian', %s) AS query) q
                WHERE a.search_vector @@ q.query {status}
                ORDER BY rank DESC, a.position, a.id LIMIT %s""",  # noqa: S608 - no user text in the SQL
            params,
        )
        return [Hit(pk, float(rank)) for pk, rank in cursor.fetchall()]


def ru_stem(word: str) -> str:
    """A light Russian stem: the word without its ending, at least four letters kept."""
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def fts5_query(words: Iterable[str], partial: str = "") -> str:
    """An FTS5 MATCH expression OR-ing the words; each is quoted (words hold only letters and digits)."""
    parts = []
    for word in words:
        if _CYRILLIC.search(word):
            parts.append(f'"{ru_stem(word)}"*')
        else:
            parts.append(f'"{word}"')  # the porter tokenizer stems it as it stemmed the articles
            if word == partial:
                parts.append(f'"{word}"*')
    return " OR ".join(parts)


def _sqlite(words: tuple[str, ...], partial: str, *, limit: int, published_only: bool) -> list[Hit]:
    status = "AND a.status = %s" if published_only else ""
    params: list[str | int] = [fts5_query(words, partial)]
    if published_only:
        params.append(ArticleStatus.PUBLISHED)
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT a.id, -bm25(faq_article_fts, 10.0, 4.0, 1.0) AS score
                FROM faq_article_fts JOIN faq_article a ON a.id = faq_article_fts.rowid
                WHERE faq_article_fts MATCH %s {status}
                ORDER BY score DESC, a.position, a.id LIMIT %s""",  # noqa: S608 - no user text in the SQL
            params,
        )
        return [Hit(pk, float(score)) for pk, score in cursor.fetchall()]
