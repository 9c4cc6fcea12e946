from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FaqConfig(AppConfig):
    """Articles that answer questions before they become tickets: search, suggestions, "did this help"."""

    name = "supportdesk.faq"
    label = "faq"
    verbose_name = _("FAQ")
