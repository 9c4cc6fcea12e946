"""The live app's two small Django views: the page script's settings and texts, and presence."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from supportdesk.live import presence as presence_state
from supportdesk.live.stream import PATH as STREAM_PATH
from supportdesk.tickets.policies import can_see_internal, ticket_for


@require_GET
@cache_control(private=True, max_age=3600)
def config(request: HttpRequest) -> JsonResponse:
    """What ``live.js`` needs besides the page: URLs, its stylesheet, and its texts in the user's language."""
    return JsonResponse(
        {
            "stream": STREAM_PATH,
            "css": static("live/live.css"),
            "presence": reverse("live:presence", args=[0]),
            "strings": {
                "offline": _("Connection lost. Reconnecting…"),
                "online": _("Live updates are back."),
                "stopped": _("Live updates have stopped. Reload the page to see the latest."),
                "reload": _("Reload"),
                "updated": _("This page has been updated."),
                "changed": _(
                    "This ticket has changed since you started writing. Check the latest messages before you send."
                ),
                "viewing": _("%(name)s is viewing"),
                "typing": _("%(name)s is typing…"),
            },
        }
    )


@require_POST
def presence(request: HttpRequest, pk: int) -> JsonResponse:
    """A specialist's state on a ticket's page (``state``: viewing, typing or left); returns the others."""
    user = request.user
    if not (user.is_authenticated and user.is_active and can_see_internal(user)):
        raise Http404
    ticket = ticket_for(user, pk)
    state = request.POST.get("state", "")
    if state not in presence_state.STATES:
        return JsonResponse({"error": _("Unknown presence state.")}, status=400)
    return JsonResponse({"present": presence_state.announce(user, ticket.pk, state)})
