from django.apps import AppConfig


class WebConfig(AppConfig):
    """Shared pieces of our pages: the Jinja2 environment, the layout, CSS and scripts, health checks."""

    name = "supportdesk.web"
    label = "web"
