from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "supportdesk.live"
    label = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from supportdesk.live import bus
        from supportdesk.tickets import events

        # Every committed ticket event goes on the bus; streams filter it for their user.
        events.add_listener(bus.publish_event)
        # A sign-out ends that session's streams at once, in every process (the periodic check
        # would find it too, a heartbeat later).
        user_logged_out.connect(bus.publish_signout, dispatch_uid="live.publish_signout")
