"""Attachments are served only here, after the same access check as their ticket."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_GET

from supportdesk.accounts.http import AuthenticatedRequest
from supportdesk.tickets.policies import attachment_for


def _serve(request: AuthenticatedRequest, token: str, *, thumbnail: bool) -> FileResponse:
    attachment = attachment_for(request.user, token)
    stored = attachment.thumbnail if thumbnail else attachment.file
    response = FileResponse(stored.open("rb"), content_type=attachment.content_type)
    disposition = "attachment" if request.GET.get("download") else "inline"
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(attachment.original_name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


def _quote(name: str) -> str:
    return quote(name, safe="")


@login_required
@require_GET
def attachment(request: AuthenticatedRequest, token: str) -> FileResponse:
    return _serve(request, token, thumbnail=False)


@login_required
@require_GET
def attachment_thumbnail(request: AuthenticatedRequest, token: str) -> FileResponse:
    return _serve(request, token, thumbnail=True)
