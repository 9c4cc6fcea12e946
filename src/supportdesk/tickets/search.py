"""The word search of ticket lists: every word must be found; ``#123`` (or ``123``) also finds that ticket.

Two ways, by who searches and on what database:

* A customer on PostgreSQL searches the word index of his history (migrations ``tickets/0008`` to
  ``0011``). Each word he types must match a word of a ticket's summary or question (of its first
  4,000 characters) that it begins, or that its English or Russian stem begins: "configurat" finds
  "configuration", "invoices" finds "invoice", "companies" finds "company", "статистику" finds
  "статистика"; a word or a stem of one or two letters only matches itself. Words are PostgreSQL's
  parser's: an e-mail address is one word, found by its start; a URL is also its host and path;
  "win-back" is also "win" and "back"; "phone" does not find "microphone"; "ё" is read as "е"
  ("елка" finds "ёлка"). The index is keyed by his scope (``policies.customer_scope``), so a search
  costs what its matches cost, not what his history holds (docs/performance.md, "Customer search").
* Everyone else, and everyone on SQLite: each word is a substring of the summary or the question
  (``icontains``). The desk's search covers every ticket, which the trigram indexes of ``tickets/0005``
  serve on PostgreSQL.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQueryField, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value

MAX_WORDS = 8
MAX_CHARS = 200  # the filter forms' limit


def text_condition(text: str, *, scope: str | None = None) -> Q:
    """Tickets whose text has every word of ``text``, or whose number it is.

    ``scope``: the customer's ``policies.customer_scope``; the list's query must already be limited to
    those tickets (the index only narrows it).
    """
    text = text.strip()[:MAX_CHARS]
    number = re.fullmatch(r"#?(\d{1,12})", text)
    words = text.split()[:MAX_WORDS]
    if scope is not None and connection.vendor == "postgresql":
        condition = Q(_in_scope_words(scope, " ".join(words)))
    else:
        condition = Q()
        for word in words:
            # SQLite's LIKE folds the case of ASCII letters only; Python's re (its REGEXP) folds all,
            # and reads "ё" as "е" as the word index does.
            if connection.vendor == "sqlite" and not word.isascii():
                lookup, value = "iregex", "".join("[её]" if c in "еёЕЁ" else re.escape(c) for c in word)
            else:
                lookup, value = "icontains", word
            condition &= Q(**{f"summary__{lookup}": value}) | Q(**{f"question__{lookup}": value})
    if number:
        condition |= Q(pk=int(number.group(1)))
    return condition


def _in_scope_words(scope: str, words: str) -> Func:
    # Spelled as the index is (tickets/0011), so PostgreSQL matches the index's expression.
    vector = Func(
        F("organization_id"),
        F("requester_id"),
        F("summary"),
        F("question"),
        function="ticket_history_terms",
        output_field=SearchVectorField(),
    )
    query = Func(
        Value(scope),
        Value(words),
        function="ticket_history_query",
        output_field=SearchQueryField(),
    )
    return _Matches(vector, query)


class _Matches(Func):
    """``vector @@ query``: PostgreSQL's text-search match, as a condition."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()
