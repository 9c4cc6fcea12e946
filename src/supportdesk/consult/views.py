"""The customer's side of manager consultations (under Help): thin views over ``services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportdesk.consult import services
from supportdesk.consult.forms import ConsultationForm, MessageForm
from supportdesk.consult.models import Consultation, ConsultationMessage
from supportdesk.consult.policies import answerer_of, consultation_for, customer_consultations
from supportdesk.portal.access import customer_required
from supportdesk.tickets.errors import DomainError, ValidationFailed

if TYPE_CHECKING:
    from supportdesk.accounts.http import AuthenticatedRequest


def apply_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where the field exists, the rest on top."""
    if isinstance(exc, ValidationFailed):
        for name, errors in exc.errors.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


def thread_context(consultation: Consultation, **extra: Any) -> dict[str, Any]:
    return {
        "consultation": consultation,
        "thread": list(consultation.messages.select_related("author")),
        "reply_form": MessageForm(),
        **extra,
    }


@customer_required
@require_GET
def customer_list(request: AuthenticatedRequest) -> HttpResponse:
    consultations = customer_consultations(request.user).annotate(message_count=Count("messages"))
    context = {
        "consultations": list(consultations.order_by("-updated_at", "-id")[:100]),
        "answerer": answerer_of(request.user.organization),
    }
    return render(request, "consult/list.html", context)


@customer_required
@require_GET
def customer_card(request: AuthenticatedRequest) -> HttpResponse:
    """The Help page's card (loaded by consult/_help_card.html): the latest consultations and answers."""
    latest = list(
        customer_consultations(request.user)
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at", "-id")[:3]
    )
    answers = {
        m.consultation_id: m
        for m in ConsultationMessage.objects.filter(consultation__in=latest, from_customer=False)
        .select_related("author")
        .order_by("consultation_id", "created_at", "id")
    }  # the newest answer of each wins
    context = {
        "consultations": [(c, answers.get(c.pk)) for c in latest],
        "answerer": answerer_of(request.user.organization),
    }
    return render(request, "consult/_card.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def customer_new(request: AuthenticatedRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = services.ConsultationRequest(**form.cleaned_data)
        try:
            consultation = services.request_consultation(request.user, data)
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your request is sent. The manager answers here."))
            return redirect("consult:detail", pk=consultation.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "answerer": answerer_of(request.user.organization)}
    return render(request, "consult/new.html", context, status=status)


def _load(request: AuthenticatedRequest, pk: int) -> Consultation:
    return consultation_for(request.user, pk, side="customer")


@customer_required
@require_GET
def customer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _load(request, pk)
    context = thread_context(consultation, answerer=answerer_of(request.user.organization))
    return render(request, "consult/detail.html", context)


@customer_required
@require_POST
def customer_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = _load(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.customer_message(request.user, consultation.pk, form.cleaned_data["body"])
        except DomainError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("consult:detail", pk=consultation.pk)
    context = thread_context(consultation, reply_form=form, answerer=answerer_of(request.user.organization))
    return render(request, "consult/detail.html", context, status=400)


@customer_required
@require_POST
def customer_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    services.close(request.user, pk, side="customer")
    messages.success(request, _("The consultation is closed."))
    return redirect("consult:detail", pk=pk)
