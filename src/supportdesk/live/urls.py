from django.urls import path

from supportdesk.live import views

app_name = "live"

# The stream itself, /live/stream, is not here: it is a plain ASGI app (supportdesk.asgi.STREAMS).
urlpatterns = [
    path("config.json", views.config, name="config"),
    path("tickets/<int:pk>/presence/", views.presence, name="presence"),
]
