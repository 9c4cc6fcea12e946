"""The site's URLs plus ``/bench/floor``: the cheapest view there is, through the same middleware.

The floor answers a signed-in user (session and user loaded, language and time zone set, CSRF and
security headers) with a few bytes and no query of its own: what every page costs before it starts.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from supportdesk.urls import handler400, handler403, handler404, handler500  # noqa: F401 - the site's error pages


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/floor", floor),
    path("", include("supportdesk.urls")),
]
