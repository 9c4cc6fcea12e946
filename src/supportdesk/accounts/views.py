"""Profile and password pages; the sign-in pages are Django's own views with our templates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_http_methods

from supportdesk.accounts.forms import ProfileForm, StyledPasswordChangeForm
from supportdesk.accounts.http import AuthenticatedRequest
from supportdesk.accounts.services import update_profile


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        update_profile(request.user, **form.cleaned_data)
        if request.user.language:
            translation.activate(request.user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form, "password_form": StyledPasswordChangeForm(request.user)}
    )


@login_required
@require_http_methods(["POST"])
def change_password(request: AuthenticatedRequest) -> HttpResponse:
    form = StyledPasswordChangeForm(request.user, request.POST)
    if form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": ProfileForm(instance=request.user), "password_form": form},
        status=400,
    )


@require_http_methods(["POST"])
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch. For a signed-in user it is also his saved language, which
    otherwise would win over the switch on the next page."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        update_profile(user, display_name=user.display_name, language=language, time_zone=user.time_zone)
    return response


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this after too many failed sign-ins for an account from one address."""
    return render(request, "accounts/locked_out.html", status=429)
