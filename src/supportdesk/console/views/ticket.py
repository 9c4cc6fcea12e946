"""The ticket workspace: read everything about a ticket, and act on it through the services.

Every action posts the ticket version the page showed. A refused action re-renders the page with the
current ticket, the error where it belongs and, when someone else changed the ticket meanwhile, what
they changed; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from markupsafe import Markup

from supportdesk.console import forms as desk_forms
from supportdesk.console.access import SupportRequest, support_required
from supportdesk.console.models import Draft, DraftMode
from supportdesk.console.services import (
    clear_draft,
    draft_for,
    expand,
    has_draft,
    replies_for,
    save_draft,
    saved_replies,
)
from supportdesk.console.views.queue import queue_url
from supportdesk.portal.forms import load_sections
from supportdesk.tickets import desk_queries, freshness, services
from supportdesk.tickets.catalog import pending_category_change, ticket_page_ticket
from supportdesk.tickets.desk_queries import QUEUES
from supportdesk.tickets.display import typed_rows
from supportdesk.tickets.errors import DomainError, StaleVersion, ValidationFailed
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.policies import may, ticket_for
from supportdesk.tickets.services.creation import CLIENT_INFO_LABELS
from supportdesk.tickets.workflow import FINISHED, Action
from supportdesk.web.page_cache import cached_page

# Reply box mode → (the lifecycle action it is, the service that does it, what the flash says).
COMPOSE: dict[str, tuple[str, Callable[..., Any], Any]] = {
    DraftMode.REPLY: (Action.SPECIALIST_REPLY, services.specialist_reply, gettext_lazy("Your reply is sent.")),
    DraftMode.NOTE: (Action.INTERNAL_NOTE, services.internal_note, gettext_lazy("The internal note is added.")),
    DraftMode.REQUEST: (
        Action.REQUEST_INFORMATION,
        services.request_information,
        gettext_lazy("Information requested: the ticket is awaiting the customer's response."),
    ),
    DraftMode.CLOSE: (Action.CLOSE, services.close, gettext_lazy("The ticket is closed with your solution.")),
}

# Not linked_to and merged_into: most tickets have neither, and the two nullable self-joins made
# PostgreSQL spend ~6 ms planning this one-row query (1 ms without them); one is read when set.
# Section and type: from the catalog (ticket_page_ticket).
_RELATED = ("requester", "organization__account_manager", "assignee")


def _load(request: SupportRequest, pk: int) -> Ticket:
    return ticket_page_ticket(
        request.user, pk, _RELATED, has_draft=has_draft(request.user), has_links=desk_queries.has_links()
    )


def _queue_code(request: SupportRequest) -> str:
    code = request.POST.get("queue") or request.GET.get("queue") or ""
    return code if code in QUEUES else ""


def ticket_url(pk: int, queue: str = "") -> str:
    url = reverse("console:ticket", args=[pk])
    return f"{url}?{urlencode({'queue': queue})}" if queue else url


def _compose_modes(user: Any, ticket: Ticket) -> list[tuple[str, Any]]:
    return [(mode, label) for mode, label in DraftMode.choices if may(user, COMPOSE[mode][0], ticket)]


def _context(request: SupportRequest, ticket: Ticket, forms: dict[str, Any], **extra: Any) -> dict[str, Any]:
    user = request.user
    sections = load_sections()
    ws = desk_queries.workspace(ticket)
    shared = _thread(request, ticket)
    pending = pending_category_change(ticket)
    modes = _compose_modes(user, ticket)
    draft = draft_for(user, ticket) if modes else None
    if "compose" not in forms and modes:
        forms["compose"] = desk_forms.ComposeForm(initial=_compose_initial(request, ticket, modes, draft))
    if "compose" in forms:
        forms["compose"].fields["mode"].choices = modes
    defaults: dict[str, Any] = {
        "reassign": desk_forms.ReassignForm(initial={"assignee": ticket.assignee_id or ""}),
        "urgent": desk_forms.UrgentForm(),
        "decline": desk_forms.DeclineForm(),
        "category": desk_forms.CategoryForm(
            initial={"category": f"t{ticket.ticket_type_id}" if ticket.ticket_type_id else f"s{ticket.section_id}"},
            sections=sections,
        ),
        "link": desk_forms.LinkForm(),
        "merge": desk_forms.MergeForm(),
    }
    queue = _queue_code(request)
    context = {
        "ticket": ticket,
        "ws": ws,
        "thread": shared,
        "forms": {**defaults, **forms},
        "modes": modes,
        "can": {a: may(user, a, ticket) for a in Action.values},
        "is_finished": ticket.status in FINISHED,
        "pending_change": pending,
        "typed": typed_rows(ticket, sections),
        "client_info": [(CLIENT_INFO_LABELS.get(k, k), v) for k, v in ticket.client_info.items()],
        "saved_replies": [(r, expand(r.body, ticket=ticket, user=user)) for r in saved_replies(user)],
        "queue": queue,
        "queue_label": QUEUES[queue or "new"].label,
        "back_url": queue_url(queue or "new"),
        "next_url": f"{reverse('console:next', args=[ticket.pk])}?{urlencode({'queue': queue or 'new'})}",
        "draft": draft,
        "changed": [],
    }
    context.update(extra)
    return context


@dataclass(frozen=True)
class _Thread:
    html: Markup  # rendered by tickets/_thread.html, autoescaped there
    attachments: list[Any]
    last_event: int


def _thread(request: SupportRequest, ticket: Ticket) -> _Thread:
    """The ticket's thread as the desk shows it: rendered once per ticket, language and time zone and
    shared by every specialist, where the rest of the page is computed for each (his drafts, his
    selections, what he may do). It reads what the page reads (the desk, the catalog, the staff), so
    it is kept under the same stamps; a specialist's first visit to a ticket others opened reads
    neither its messages nor its history (docs/performance.md)."""

    def render_thread() -> _Thread:
        part = desk_queries.desk_thread(request.user, ticket)
        context = {"ticket": ticket, "thread_items": part.items, "source_link": "console:ticket"}
        html = Markup(render_to_string("tickets/_thread.html", context, request))  # noqa: S704 - autoescaped
        return _Thread(html=html, attachments=part.attachments, last_event=part.last_event)

    return freshness.cached(
        f"desk-thread:{ticket.pk}",
        [freshness.DESK, freshness.CATALOG, freshness.STAFF],
        [request.user.role, get_language(), timezone.get_current_timezone_name()],
        render_thread,
    )


def _compose_initial(
    request: SupportRequest, ticket: Ticket, modes: list[tuple[str, Any]], draft: Draft | None
) -> dict[str, Any]:
    """The draft if there is one; a saved reply asked for with ``?saved=`` (the no-script Insert) is added."""
    allowed = [mode for mode, _label in modes]
    mode = request.GET.get("mode") or (draft.mode if draft else "")
    body = draft.body if draft else ""
    saved = request.GET.get("saved", "")
    if saved.isdigit():
        reply = replies_for(request.user).filter(pk=int(saved)).first()
        if reply is not None:
            body = (body.rstrip() + "\n\n" if body.strip() else "") + expand(
                reply.body, ticket=ticket, user=request.user
            )
    return {"mode": mode if mode in allowed else allowed[0], "body": body}


@support_required
@require_GET
def workspace(request: SupportRequest, pk: int) -> HttpResponse:
    user = request.user
    # The page shows the ticket, its organization's other tickets and linked ones (any ticket change
    # touches the desk), the catalog, the staff, saved replies and this specialist's drafts.
    return cached_page(
        request,
        lambda: render(request, "console/ticket.html", _context(request, _load(request, pk), {})),
        scopes=[
            freshness.DESK,
            freshness.CATALOG,
            freshness.STAFF,
            freshness.REPLIES,
            freshness.user(user.pk),
            freshness.drafts(user.pk),
        ],  # fmt: skip
        vary=[user.pk, pk],
    )


def _act(
    request: SupportRequest,
    pk: int,
    name: str,
    form: desk_forms.ActionForm,
    run: Callable[[Ticket, dict[str, Any], int], Any],
    done: Any,
) -> HttpResponse:
    """Validate the form, run the service; on success back to the ticket, else the page with the error."""
    # The access check only (404 as for a missing ticket): the services load and lock it themselves,
    # and a failure shows the page loaded afresh below.
    ticket = ticket_for(request.user, pk, queryset=Ticket.objects.only("pk"))
    status, stale = 400, False
    if form.is_valid():
        data = form.cleaned_data
        try:
            run(ticket, data, data["version"])
        except StaleVersion:
            # Keep what the user typed; the page around it shows the ticket as it is now.
            form = type(form)(initial=request.POST.dict(), **_form_kwargs(form))
            status, stale = 409, True
        except ValidationFailed as exc:
            form.apply_errors(exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code
        else:
            messages.success(request, str(done))
            return redirect(ticket_url(ticket.pk, _queue_code(request)) + ("#latest" if name == "compose" else ""))
    elif form.errors.pop("version", None):
        form.add_error(None, _("The page was out of date. Check the ticket and try again."))
    fresh = _load(request, pk)
    changed = []
    posted_version, seen = request.POST.get("version", ""), request.POST.get("seen", "")
    if str(fresh.version) != posted_version and seen.isdigit():
        changed = desk_queries.events_since(fresh, int(seen))
    context = _context(
        request, fresh, {name: form}, changed=changed, failed=name, stale=stale, failure_messages=_messages(form)
    )
    return render(request, "console/ticket.html", context, status=status)


def _messages(form: desk_forms.ActionForm) -> list[str]:
    """Every error of the failed form, for the alert at the top (its form may be folded away or gone)."""
    if not form.is_bound:
        return []
    return [str(message) for errors in form.errors.values() for message in errors]


def _form_kwargs(form: desk_forms.ActionForm) -> dict[str, Any]:
    return {"sections": form.sections} if isinstance(form, desk_forms.CategoryForm) else {}


@support_required
@require_POST
def compose(request: SupportRequest, pk: int) -> HttpResponse:
    form = desk_forms.ComposeForm(request.POST)
    cast(forms.ChoiceField, form.fields["mode"]).choices = DraftMode.choices
    mode = request.POST.get("mode", DraftMode.REPLY)
    action, service, done = COMPOSE.get(mode, COMPOSE[DraftMode.REPLY])

    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        service(request.user, ticket.pk, data["body"], version=version)
        clear_draft(request.user, ticket)

    return _act(request, pk, "compose", form, run, done)


@support_required
@require_POST
def take(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.take(request.user, ticket.pk, version=version)

    return _act(request, pk, "take", desk_forms.ActionForm(request.POST), run, _("You took the ticket."))


@support_required
@require_POST
def reassign(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.reassign(request.user, ticket.pk, assignee_id=data["assignee"], version=version)

    form = desk_forms.ReassignForm(request.POST)
    return _act(request, pk, "reassign", form, run, _("The assignee is changed."))


@support_required
@require_POST
def urgent(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.set_urgent(request.user, ticket.pk, urgent=data["urgent"], impact=data["impact"], version=version)

    form = desk_forms.UrgentForm(request.POST)
    return _act(request, pk, "urgent", form, run, _("The urgent mark is updated."))


@support_required
@require_POST
def decline(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.decline(request.user, ticket.pk, code=data["code"], reason=data["reason"], version=version)

    form = desk_forms.DeclineForm(request.POST)
    return _act(request, pk, "decline", form, run, _("The ticket is declined; the customer sees your explanation."))


@support_required
@require_POST
def change_category(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        section, ticket_type = form.section_and_type()
        services.specialist_change_category(
            request.user, ticket.pk, section=section, ticket_type=ticket_type, version=version
        )

    form = desk_forms.CategoryForm(request.POST, sections=load_sections())
    return _act(request, pk, "category", form, run, _("The category is changed; the customer sees a note."))


@support_required
@require_POST
def decide_category(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.decide_category_change(
            request.user, ticket.pk, data["request"], accept=data["accept"], version=version
        )

    form = desk_forms.DecideCategoryForm(request.POST)
    done = _("The category change is accepted.") if request.POST.get("accept") == "1" else _("The request is refused.")
    return _act(request, pk, "decide", form, run, done)


@support_required
@require_POST
def link(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.link_tickets(request.user, ticket.pk, data["other"], version=version)

    return _act(request, pk, "link", desk_forms.LinkForm(request.POST), run, _("The tickets are linked."))


@support_required
@require_POST
def unlink(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.unlink_tickets(request.user, ticket.pk, data["other"], version=version)

    return _act(request, pk, "link", desk_forms.LinkForm(request.POST), run, _("The link is removed."))


@support_required
@require_POST
def merge(request: SupportRequest, pk: int) -> HttpResponse:
    def run(ticket: Ticket, data: dict[str, Any], version: int) -> None:
        services.merge_ticket(request.user, ticket.pk, into=data["into"], reason=data["reason"], version=version)

    form = desk_forms.MergeForm(request.POST)
    return _act(request, pk, "merge", form, run, _("The ticket is merged as a duplicate."))


@support_required
@require_POST
def draft(request: SupportRequest, pk: int) -> JsonResponse:
    """Autosave of the reply box, called by the page's script as the specialist types."""
    kept = save_draft(request.user, pk, mode=request.POST.get("mode", ""), body=request.POST.get("body", "")[:25_000])
    return JsonResponse({"saved": kept is not None, "at": kept.updated_at.isoformat() if kept else None})
