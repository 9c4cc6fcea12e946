from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "supportdesk.console"
    label = "console"
    verbose_name = _("Workspace")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from supportdesk.console.models import SavedReply
        from supportdesk.tickets import freshness

        # Saved replies are edited here and in the admin; the ticket workspace lists them.
        def replies_changed(**kwargs: object) -> None:
            freshness.touch(freshness.REPLIES)

        for signal in (post_save, post_delete):
            signal.connect(replies_changed, sender=SavedReply, weak=False, dispatch_uid="freshness-SavedReply")
