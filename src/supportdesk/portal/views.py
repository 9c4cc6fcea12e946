"""The customer's Help pages: thin views over supportdesk.tickets (queries to read, services to change)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportdesk.portal.access import CustomerRequest, customer_required
from supportdesk.portal.forms import CategoryChangeForm, CreateTicketForm, FilterForm, ReplyForm, load_sections
from supportdesk.tickets import freshness, queries, services
from supportdesk.tickets.attachments import discard_upload, upload_image
from supportdesk.tickets.catalog import pending_category_change, ticket_page_ticket
from supportdesk.tickets.display import typed_rows
from supportdesk.tickets.errors import DomainError, ValidationFailed
from supportdesk.tickets.history import link_label
from supportdesk.tickets.models import LinkKind, Section, Ticket
from supportdesk.tickets.policies import may, may_change_category_directly, organization_of, ticket_for
from supportdesk.tickets.services.creation import CLIENT_INFO_LABELS
from supportdesk.tickets.workflow import Action
from supportdesk.web.page_cache import cached_page


@customer_required
@require_GET
def ticket_list(request: CustomerRequest, *, finished: bool = False) -> HttpResponse:
    user = request.user
    # The whole page shows the viewer's tickets and read marks, the catalog, and who is signed in.
    return cached_page(
        request,
        lambda: _ticket_list_page(request, finished=finished),
        scopes=[freshness.CATALOG, freshness.organization(user.organization_id), freshness.user(user.pk)],
        vary=[user.pk, user.organization_id],
    )


def _ticket_list_page(request: CustomerRequest, *, finished: bool) -> HttpResponse:
    sections = load_sections()
    form = FilterForm(request.GET or None, sections=sections, finished=finished)
    if form.is_bound:
        form.is_valid()
    page = queries.customer_tickets(
        request.user, form.filters(), after=request.GET.get("after"), before=request.GET.get("before")
    )
    base = {k: request.GET.get(k, "") for k in request.GET if k not in ("after", "before") and request.GET.get(k)}
    context = {
        "form": form,
        "page": page,
        "finished": finished,
        "shared": (organization := organization_of(request.user)) is not None and organization.shares_tickets,
        "next_url": f"?{urlencode({**base, 'after': page.next_cursor})}" if page.next_cursor else None,
        "prev_url": f"?{urlencode({**base, 'before': page.prev_cursor})}" if page.prev_cursor else None,
    }
    template = "portal/_results.html" if request.htmx and request.htmx.target == "results" else "portal/list.html"
    return render(request, template, context)


@customer_required
@require_http_methods(["GET", "POST"])
def create(request: CustomerRequest) -> HttpResponse:
    sections = load_sections()
    if request.method == "POST":
        form = CreateTicketForm(request.POST, sections=sections)
        uploads = _uploads_from(request, form)
        if form.is_valid() and not form.errors:
            data = form.cleaned_data
            new = services.NewTicket(
                section=data["section"],
                ticket_type=data["ticket_type"],
                question=data["question"],
                fields=form.typed_values(),
                client_info={k[7:]: str(v) for k, v in request.POST.items() if k.startswith("client_")},
                urgent=data["urgent"],
                impact=data["impact"],
                uploads=uploads,
                submission_key=data["submission_key"],
                linked_to=data["linked_to"],
                link_kind=data["link_kind"] or "",
            )
            try:
                ticket = services.create_ticket(request.user, new)
            except ValidationFailed as exc:
                form.apply_errors(exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Ticket %(number)s is created. We will answer here.") % {"number": ticket.number}
                )
                return redirect("portal:detail", pk=ticket.pk)
        return _create_page(request, form, sections, status=400)
    initial, linked = _prefill(request, sections)
    form = CreateTicketForm(initial=initial, sections=sections)
    return _create_page(request, form, sections, linked=linked)


def _uploads_from(request: CustomerRequest, form: CreateTicketForm | ReplyForm) -> list[str]:
    """Tokens of files uploaded ahead by the page's script, plus any files sent with the form itself."""
    tokens = [t for t in request.POST.getlist("uploads") if t][:50]
    for upload in request.FILES.getlist("files"):
        try:
            tokens.append(upload_image(request.user, upload).token)
        except ValidationFailed as exc:
            for message in exc.errors.get("attachments", []):
                form.add_error(None, message)
    return tokens


def _prefill(request: CustomerRequest, sections: list[Section]) -> tuple[dict[str, Any], Any]:
    """Create opened from a finished ticket (follow-up), an unanswered one, or an FAQ section link."""
    initial: dict[str, Any] = {}
    linked = None
    for kind, param in ((LinkKind.FOLLOW_UP, "follow_up"), (LinkKind.UNANSWERED, "unanswered")):
        if request.GET.get(param):
            linked = ticket_for(request.user, request.GET[param])
            initial.update(
                section=linked.section_id, ticket_type=linked.ticket_type_id, linked_to=linked.pk, link_kind=kind
            )
            if kind == LinkKind.UNANSWERED:
                initial.update(
                    urgent=True,
                    question=_("My ticket %(number)s has had no answer yet.\n\n") % {"number": linked.number},
                )
    code = request.GET.get("section")
    if code and not linked:
        match = next((s for s in sections if s.code == code), None)
        if match:
            initial["section"] = match.pk
    return initial, linked


def _create_page(
    request: CustomerRequest, form: CreateTicketForm, sections: list[Section], *, linked: Any = None, status: int = 200
) -> HttpResponse:
    if linked is None and form.is_bound and form.data.get("linked_to"):
        try:
            linked = ticket_for(request.user, form.data["linked_to"])
        except Http404:
            linked = None
    pending = request.POST.getlist("uploads") if request.method == "POST" else []
    return render(
        request,
        "portal/create.html",
        {"form": form, "sections": sections, "linked": linked, "link_label": link_label, "pending_uploads": pending},
        status=status,
    )


@customer_required
@require_GET
def similar(request: CustomerRequest) -> HttpResponse:
    """While the customer writes: his own open tickets that look like the same question."""
    text = request.GET.get("question", "")[:2000]
    tickets = queries.similar_open_tickets(request.user, text) if len(text.strip()) >= 12 else []
    return render(request, "portal/_similar.html", {"tickets": tickets})


def _detail_context(request: CustomerRequest, ticket: Any, **extra: Any) -> dict[str, Any]:
    user = request.user
    sections = load_sections()
    pending = pending_category_change(ticket)
    context = {
        "ticket": ticket,
        "items": queries.thread(user, ticket),
        "link_label": link_label,
        "typed": typed_rows(ticket, sections),
        "client_info": [(CLIENT_INFO_LABELS.get(k, k), v) for k, v in ticket.client_info.items()],
        "can_reply": may(user, Action.CUSTOMER_REPLY, ticket),
        "can_follow_up": may(user, Action.FOLLOW_UP, ticket),
        "can_escalate": services.can_escalate_unanswered(ticket) and ticket.requester_id == user.pk,
        "can_change_category": may(user, Action.REQUEST_CATEGORY_CHANGE, ticket) and pending is None,
        "changes_directly": may_change_category_directly(user, ticket),
        "pending_change": pending,
        "reply_form": ReplyForm(),
        "category_form": CategoryChangeForm(
            initial={"section": ticket.section_id, "ticket_type": ticket.ticket_type_id, "version": ticket.version},
            sections=sections,
        ),
        "sections": sections,
        "linked_from": list(ticket.linked_from.only("id", "summary", "status", "link_kind")),
    }
    context.update(extra)
    return context


# Not linked_to: a nullable self-join doubles PostgreSQL's planning of this one-row query; it is read
# when set.
# Section and type: from the catalog (ticket_page_ticket).
_DETAIL_QUERYSET = "requester", "assignee"


def _load(request: CustomerRequest, pk: int) -> Ticket:
    return ticket_page_ticket(request.user, pk, _DETAIL_QUERYSET)


@customer_required
@require_GET
def detail(request: CustomerRequest, pk: int) -> HttpResponse:
    user = request.user
    # Every change to the ticket records an event, which touches its organization and its requester.
    return cached_page(
        request,
        lambda: render(request, "portal/detail.html", _detail_context(request, _load(request, pk))),
        scopes=[freshness.CATALOG, freshness.organization(user.organization_id), freshness.user(user.pk)],
        vary=[user.pk, user.organization_id, pk],
    )


@customer_required
@require_POST
def mark_seen(request: CustomerRequest, pk: int) -> HttpResponse:
    services.mark_seen(request.user, _load(request, pk))
    return HttpResponse(status=204)


@customer_required
@require_POST
def reply(request: CustomerRequest, pk: int) -> HttpResponse:
    # The service checks access (404 for a ticket the customer may not see) and locks the ticket; the
    # page's ticket is loaded only to show the form again. Files sent with the form are stored only for
    # a ticket the customer sees.
    if request.FILES:
        _load(request, pk)
    form = ReplyForm(request.POST)
    uploads = _uploads_from(request, form)
    if form.is_valid() and not form.errors:
        try:
            services.customer_reply(request.user, pk, form.cleaned_data["body"], uploads=uploads)
        except ValidationFailed as exc:
            for key, errors in exc.errors.items():
                for message in errors:
                    form.add_error("body" if key == "body" else None, message)
        except DomainError as exc:
            return _refused(request, _load(request, pk), exc)
        else:
            messages.success(request, _("Your reply is sent."))
            return redirect(reverse("portal:detail", args=[pk]) + "#latest")
    ticket = _load(request, pk)
    context = _detail_context(request, ticket, reply_form=form, pending_uploads=request.POST.getlist("uploads"))
    return render(request, "portal/detail.html", context, status=400)


def _refused(request: CustomerRequest, ticket: Ticket, error: DomainError) -> HttpResponse:
    """An action the ticket's state does not allow: the page again, as it is now, with the reason."""
    messages.error(request, error.message)
    # Loaded again, not refreshed: what the load says beside the fields (a pending category change)
    # may have changed since, as when a second click's request is refused because the first's is in.
    ticket = _load(request, ticket.pk)
    return render(request, "portal/detail.html", _detail_context(request, ticket), status=error.status_code)


@customer_required
@require_POST
def change_category(request: CustomerRequest, pk: int) -> HttpResponse:
    ticket = _load(request, pk)
    sections = load_sections()
    form = CategoryChangeForm(request.POST, sections=sections)
    if form.is_valid():
        try:
            outcome = services.customer_change_category(
                request.user,
                ticket.pk,
                section=form.cleaned_data["section"],
                ticket_type=form.cleaned_data["ticket_type"],
                fields=form.typed_values(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationFailed as exc:
            form.apply_errors(exc)
        except DomainError as exc:
            return _refused(request, ticket, exc)
        else:
            if outcome is None:
                messages.success(request, _("The category is changed."))
            else:
                messages.success(request, _("Your request is sent: a specialist will accept or refuse it."))
            return redirect("portal:detail", pk=ticket.pk)
    ticket = _load(request, pk)  # as it is now, with whether a change is pending (see _refused)
    context = _detail_context(request, ticket, category_form=form, category_open=True)
    return render(request, "portal/detail.html", context, status=400)


@customer_required
@require_POST
def upload(request: CustomerRequest) -> JsonResponse:
    """Upload one screenshot ahead of sending (file picker, drag-and-drop or paste)."""
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"error": _("Choose an image to attach.")}, status=400)
    try:
        attachment = upload_image(request.user, file)
    except ValidationFailed as exc:
        return JsonResponse({"error": exc.errors["attachments"][0]}, status=400)
    return JsonResponse(
        {
            "token": attachment.token,
            "name": attachment.original_name,
            "thumbnail": reverse("attachment_thumbnail", args=[attachment.token]),
            "url": reverse("attachment", args=[attachment.token]),
        },
        status=201,
    )


@customer_required
@require_POST
def discard(request: CustomerRequest, token: str) -> JsonResponse:
    discard_upload(request.user, token)
    return JsonResponse({"discarded": token})
