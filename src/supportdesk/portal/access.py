"""Who may open the customer's Help pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from supportdesk.accounts.http import AuthenticatedRequest
from supportdesk.tickets.policies import can_create_tickets

# What a view behind ``customer_required`` receives: a signed-in customer.
CustomerRequest = AuthenticatedRequest


def customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous: to sign-in. Signed in but not a customer: 404, like any page that is not his."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_create_tickets(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
