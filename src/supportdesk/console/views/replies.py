"""Saved replies: each specialist keeps his own; admins also share theirs with everyone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from supportdesk.accounts.models import Role
from supportdesk.console.access import SupportRequest, support_required
from supportdesk.console.forms import SavedReplyForm
from supportdesk.console.models import SavedReply
from supportdesk.console.services import delete_reply, editable_reply, replies_for, save_reply
from supportdesk.tickets.errors import ValidationFailed


@support_required
@require_GET
def reply_list(request: SupportRequest) -> HttpResponse:
    replies = list(replies_for(request.user).select_related("owner"))
    is_admin = request.user.role == Role.ADMIN
    return render(
        request,
        "console/replies.html",
        {
            "shared": [r for r in replies if r.is_shared],
            "own": [r for r in replies if not r.is_shared],
            "can_edit_shared": is_admin,
        },
    )


@support_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: SupportRequest, reply_id: int | None = None) -> HttpResponse:
    reply: SavedReply | None = editable_reply(request.user, reply_id) if reply_id is not None else None
    is_admin = request.user.role == Role.ADMIN
    if request.method == "POST":
        form = SavedReplyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_reply(
                    request.user, title=data["title"], body=data["body"], shared=data["shared"], reply_id=reply_id
                )
            except ValidationFailed as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _("The saved reply is stored."))
                return redirect("console:replies")
        status = 400
    else:
        initial = {"title": reply.title, "body": reply.body, "shared": reply.is_shared} if reply else {}
        form = SavedReplyForm(initial=initial)
        status = 200
    if not is_admin:
        del form.fields["shared"]
    return render(request, "console/reply_form.html", {"form": form, "reply": reply}, status=status)


@support_required
@require_POST
def reply_delete(request: SupportRequest, reply_id: int) -> HttpResponse:
    delete_reply(request.user, reply_id)
    messages.success(request, _("The saved reply is deleted."))
    return redirect("console:replies")
