"""The Russian catalog is complete, keeps every placeholder, and is up to date with the sources.

Someone who adds a string without running ``make messages`` and translating it sees
``test_catalog_is_up_to_date`` fail; someone who runs it but leaves the new entry empty or fuzzy sees
``test_every_entry_is_translated`` fail. Either way, the fix is: ``make messages``, translate the new
entries in ``src/supportdesk/locale/ru/LC_MESSAGES/django.po``, ``make compilemessages``.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
RU_PO = ROOT / "src/supportdesk/locale/ru/LC_MESSAGES/django.po"
MAKEFILE = ROOT / "Makefile"
BABEL_CFG = ROOT / "babel.cfg"

# %(name)s, %(count)d, %s, %% ... as Python's %-formatting reads them (Jinja's newstyle gettext formats
# every string, so a lone % in a translation breaks the page), and {name} for str.format-style texts.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")
BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _catalog() -> Catalog:
    with RU_PO.open("rb") as fh:
        return read_po(fh, locale="ru")


def _entries(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _name(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{msgid!r} ({where})"


def _placeholders(text: str) -> Counter[str]:
    found = Counter(p for p in PERCENT.findall(text) if p != "%%")
    found.update(BRACES.findall(text))
    return found


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string or ""]


def test_catalog_has_russian_plural_rules() -> None:
    catalog = _catalog()
    assert catalog.num_plurals == 3, catalog.plural_forms
    assert "n%10==1&&n%100!=11" in catalog.plural_forms.replace(" ", "")


def test_every_entry_is_translated() -> None:
    catalog = _catalog()
    problems = []
    for message in _entries(catalog):
        forms = _forms(message)
        if message.fuzzy:
            problems.append(f"fuzzy: {_name(message)}")
        if message.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} plural forms instead of {catalog.num_plurals}: {_name(message)}")
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated: {_name(message)}")
    assert not problems, "\n".join(problems)


def test_placeholders_and_markup_match_the_msgid() -> None:
    problems = []
    for message in _entries(_catalog()):
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        # Every plural form needs every placeholder: Russian's "one" form also covers 21, 31, ...
        expected = Counter[str]()
        for source in sources:
            expected |= _placeholders(source)
        tags = Counter(t for source in sources[:1] for t in TAG.findall(source))
        for form in _forms(message):
            if not form:
                continue
            got = _placeholders(form)
            if set(got) != set(expected):
                problems.append(f"placeholders {sorted(got)} instead of {sorted(expected)}: {_name(message)}")
            if PERCENT.sub("", form).count("%") > max(PERCENT.sub("", source).count("%") for source in sources):
                problems.append(f"a lone % (Jinja formats every string; write %%): {_name(message)}")
            if Counter(TAG.findall(form)) != tags:
                problems.append(f"HTML tags differ from the msgid: {_name(message)}")
    assert not problems, "\n".join(problems)


def test_babel_checkers_pass() -> None:
    """Babel's own checks: the number of plural forms and %-format compatibility."""
    problems = [f"{_name(message)}: {'; '.join(map(str, errors))}" for message, errors in _catalog().check()]
    assert not problems, "\n".join(problems)


def _makefile_keywords() -> list[str]:
    """The -k options of `make messages`, read from the Makefile so the two never drift apart."""
    text = MAKEFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^KEYWORDS\s*:?=\s*(.*)$", text, re.MULTILINE)
    assert match, "the Makefile has no KEYWORDS variable"
    return shlex.split(match.group(1))


def test_catalog_is_up_to_date(tmp_path: Path) -> None:
    """Every string the sources mark (extracted as `make messages` does) has an entry in the ru catalog."""
    pot = tmp_path / "django.pot"
    args = ["pybabel", "--quiet", "extract", "-F", str(BABEL_CFG), "-o", str(pot), *_makefile_keywords(), "src"]
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(io.StringIO()):
        status = CommandLineInterface().run(args)
    assert status in (None, 0), f"pybabel extract failed: {status}"
    with pot.open("rb") as fh:
        template = read_po(fh)
    extracted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in template if m.id}
    assert len(extracted) > 100, f"the extraction found only {len(extracted)} strings: check babel.cfg"

    catalog = _catalog()
    missing = []
    for (context, msgid), source in extracted.items():
        entry = catalog.get(msgid, context=context)
        if entry is None:
            missing.append(_name(source))
        elif isinstance(source.id, tuple) and (not isinstance(entry.id, tuple) or entry.id[1] != source.id[1]):
            missing.append(f"plural form changed: {_name(source)}")
    assert not missing, (
        "Strings in the sources without an entry in the Russian catalog; run `make messages`, translate them "
        f"in {RU_PO.name} (src/supportdesk/locale/ru/LC_MESSAGES/), then `make compilemessages`:\n" + "\n".join(missing)
    )


@pytest.mark.parametrize(
    ("msgid", "context"),
    [("Create ticket", None), ("Help", None), ("Request history", None), ("Open", "ticket status")],
)
def test_key_terms_keep_the_agreed_wording(msgid: str, context: str | None) -> None:
    agreed = {
        "Create ticket": "Создать обращение",
        "Help": "Помощь",
        "Request history": "История обращений",
        "Open": "Открыто",
    }
    entry = _catalog().get(msgid, context=context)
    assert entry is not None and entry.string == agreed[msgid]
