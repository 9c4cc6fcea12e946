from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "supportdesk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from supportdesk.accounts import backends

        backends.watch_user_changes()
