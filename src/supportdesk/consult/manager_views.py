"""The account manager's workspace: his consultations (New / Answered / Closed) and, read-only, the
tickets of the organizations he manages. Support leads answer here the consultations of organizations
without a manager."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supportdesk.consult import services
from supportdesk.consult.forms import MessageForm
from supportdesk.consult.models import Consultation, ConsultationStatus
from supportdesk.consult.policies import consultation_for, is_manager, may_answer_consultations, staff_consultations
from supportdesk.consult.views import apply_error, thread_context
from supportdesk.tickets import queries
from supportdesk.tickets.errors import DomainError
from supportdesk.tickets.models import Ticket
from supportdesk.tickets.policies import ticket_for, visible_tickets

if TYPE_CHECKING:
    from supportdesk.accounts.http import AuthenticatedRequest


def _guard(check: Callable[[Any], bool]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Signed in and passing ``check``; anyone else signed in gets the 404 of a page that is not his."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


answerer_required = _guard(may_answer_consultations)
manager_required = _guard(is_manager)


def _base_context(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"is_manager": is_manager(request.user)}


@answerer_required
@require_GET
def consultations(request: AuthenticatedRequest) -> HttpResponse:
    scope = staff_consultations(request.user)
    status = request.GET.get("status", ConsultationStatus.NEW)
    if status not in ConsultationStatus.values:
        status = ConsultationStatus.NEW
    counts = dict(scope.values_list("status").annotate(n=Count("id")).order_by())
    rows = list(
        scope.filter(status=status)
        .select_related("organization", "requester")
        .annotate(message_count=Count("messages"))
        .order_by("updated_at" if status == ConsultationStatus.NEW else "-updated_at", "id")[:200]
    )
    tabs = [(s.value, s.label, counts.get(s.value, 0)) for s in ConsultationStatus]
    context = {**_base_context(request), "rows": rows, "status": status, "tabs": tabs, "section": "consultations"}
    return render(request, "consult/manager/consultations.html", context)


def _load(request: AuthenticatedRequest, pk: int) -> Consultation:
    return consultation_for(
        request.user, pk, side="staff", queryset=Consultation.objects.select_related("organization", "requester")
    )


@answerer_required
@require_GET
def consultation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _load(request, pk)
    context = {**_base_context(request), **thread_context(item), "section": "consultations"}
    return render(request, "consult/manager/consultation.html", context)


@answerer_required
@require_POST
def reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = _load(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.manager_reply(request.user, item.pk, form.cleaned_data["body"])
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect("manager:consultation", pk=item.pk)
    context = {**_base_context(request), **thread_context(item, reply_form=form), "section": "consultations"}
    return render(request, "consult/manager/consultation.html", context, status=400)


@answerer_required
@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    services.close(request.user, pk, side="staff")
    messages.success(request, _("The consultation is closed."))
    return redirect("manager:consultation", pk=pk)


@manager_required
@require_GET
def tickets(request: AuthenticatedRequest, *, finished: bool = False) -> HttpResponse:
    """His organizations' tickets, newest first, read-only."""
    rows = (
        queries.filtered(visible_tickets(request.user), queries.TicketFilters(finished=finished))
        .select_related("organization", "requester", "section", "ticket_type")
        .defer("question", "fields", "client_info", "decline_reason", "requester__password")
    )
    page = queries.keyset_page(rows, after=request.GET.get("after"), before=request.GET.get("before"))
    context = {
        **_base_context(request),
        "page": page,
        "finished": finished,
        "section": "tickets",
        "next_url": f"?{urlencode({'after': page.next_cursor})}" if page.next_cursor else None,
        "prev_url": f"?{urlencode({'before': page.prev_cursor})}" if page.prev_cursor else None,
    }
    return render(request, "consult/manager/tickets.html", context)


@manager_required
@require_GET
def ticket(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = ticket_for(
        request.user,
        pk,
        queryset=Ticket.objects.select_related("organization", "requester", "section", "ticket_type", "assignee"),
    )
    context = {
        **_base_context(request),
        "ticket": item,
        "items": queries.thread(request.user, item),
        "section": "tickets",
    }
    return render(request, "consult/manager/ticket.html", context)
