"""The queues: filtered, keyset-paginated lists with counts, bulk actions, and "next ticket"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from supportdesk.console.access import SupportRequest, support_required
from supportdesk.console.forms import BulkForm, QueueFilterForm
from supportdesk.portal.forms import load_sections
from supportdesk.tickets import desk_queries, freshness, services
from supportdesk.tickets.desk_queries import QUEUES
from supportdesk.tickets.errors import ValidationFailed
from supportdesk.tickets.policies import ticket_for
from supportdesk.web.page_cache import cached_page

SHOWN_FAILURES = 10


def queue_url(code: str) -> str:
    return reverse("console:queue") if code == "new" else reverse("console:queue_named", args=[code])


@support_required
@require_http_methods(["GET", "POST"])
def queue(request: SupportRequest, code: str = "new") -> HttpResponse:
    """GET: the queue. POST: a bulk action on its selected rows, then back to the same list."""
    if code not in QUEUES:
        raise Http404
    bulk_form = BulkForm(request.POST) if request.method == "POST" else BulkForm()
    if request.method == "POST":
        if _bulk(request, bulk_form):
            return redirect(request.get_full_path())
        return _queue_page(request, code, bulk_form, status=400 if bulk_form.errors else 200)
    # Every ticket change touches the desk's stamp; the ages shown keep the page until one changes.
    user = request.user
    return cached_page(
        request,
        lambda: _queue_page(request, code, bulk_form, status=200),
        scopes=[freshness.DESK, freshness.CATALOG, freshness.STAFF, freshness.user(user.pk)],
        vary=[user.pk],
    )


def _queue_page(request: SupportRequest, code: str, bulk_form: BulkForm, *, status: int) -> HttpResponse:
    current = QUEUES[code]
    staff = desk_queries.specialists()
    form = QueueFilterForm(request.GET or None, sections=load_sections(), finished=current.finished, staff=staff)
    if form.is_bound:
        form.is_valid()
    page = desk_queries.queue_page(
        request.user, code, form.filters(), after=request.GET.get("after"), before=request.GET.get("before")
    )
    base = {k: request.GET.get(k, "") for k in request.GET if k not in ("after", "before") and request.GET.get(k)}
    context: dict[str, Any] = {
        "form": form,
        "bulk_form": bulk_form,
        "selected": set(bulk_form.selected()),
        "page": page,
        "queue": current,
        "queues": [(q, queue_url(q.code)) for q in QUEUES.values()],
        "counts": desk_queries.queue_counts(request.user),
        "staff": staff,
        "next_url": f"?{urlencode({**base, 'after': page.next_cursor})}" if page.next_cursor else None,
        "prev_url": f"?{urlencode({**base, 'before': page.prev_cursor})}" if page.prev_cursor else None,
    }
    partial = request.htmx and request.htmx.target == "results" and request.method == "GET"
    template = "console/_queue_results.html" if partial else "console/queue.html"
    return render(request, template, context, status=status)


def _bulk(request: SupportRequest, form: BulkForm) -> bool:
    """Run the bulk action; True when it ran (its outcome is in the messages), False on bad input."""
    if not form.is_valid():
        form.add_error(None, _("Choose what to do with the selected tickets."))
        return False
    user, data, selection = request.user, form.cleaned_data, form.selection()
    try:
        if data["action"] == "take":
            outcome = services.bulk_take(user, selection)
            done = ngettext("Taken: %(tickets)s.", "Taken: %(tickets)s.", len(outcome.done))
        elif data["action"] == "assign":
            outcome = services.bulk_assign(user, selection, assignee_id=data["assignee"])
            done = ngettext("Assigned: %(tickets)s.", "Assigned: %(tickets)s.", len(outcome.done))
        else:
            outcome = services.bulk_close(user, selection, solution=data["solution"])
            done = ngettext("Closed: %(tickets)s.", "Closed: %(tickets)s.", len(outcome.done))
    except ValidationFailed as exc:
        for key, errors in exc.errors.items():
            for message in errors:
                form.add_error(key if key in form.fields else None, message)
        return False
    if outcome.done:
        messages.success(request, done % {"tickets": ", ".join(f"#{pk}" for pk in outcome.done)})
    for pk, why in outcome.failed[:SHOWN_FAILURES]:
        messages.error(request, _("#%(number)s was not changed: %(why)s") % {"number": pk, "why": why})
    if len(outcome.failed) > SHOWN_FAILURES:
        rest = len(outcome.failed) - SHOWN_FAILURES
        messages.error(request, ngettext("…and %(n)d more ticket.", "…and %(n)d more tickets.", rest) % {"n": rest})
    return True


@support_required
@require_GET
def next_ticket(request: SupportRequest, pk: int) -> HttpResponse:
    """The ticket after this one in the queue the specialist came from."""
    code = request.GET.get("queue", "")
    code = code if code in QUEUES else "new"
    ticket = ticket_for(request.user, pk)
    following = desk_queries.next_in_queue(request.user, code, ticket)
    if following is None:
        messages.info(request, _("There are no more tickets in this queue."))
        return redirect(queue_url(code))
    return redirect(f"{reverse('console:ticket', args=[following.pk])}?{urlencode({'queue': code})}")
