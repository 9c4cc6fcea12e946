"""Who may open the workspace: specialists and admins. Everyone else gets a 404, as for a page that is not there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from supportdesk.accounts.http import AuthenticatedRequest

# What a view behind ``support_required`` receives: a signed-in specialist or admin.
SupportRequest = AuthenticatedRequest


def support_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users and customers alike see nothing here: no sign-in redirect that would reveal the page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_support):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
