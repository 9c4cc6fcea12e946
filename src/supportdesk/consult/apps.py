from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    """Manager consultation: the customer's feedback form to his account manager, and the manager's workspace."""

    name = "supportdesk.consult"
    label = "consult"
    verbose_name = _("Manager consultations")
