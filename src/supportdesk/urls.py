from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from supportdesk.accounts import views as accounts
from supportdesk.tickets import views as tickets
from supportdesk.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("readyz", web.readyz, name="readyz"),
    path("accounts/", include("supportdesk.accounts.urls")),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("help/consultations/", include("supportdesk.consult.urls")),
    path("help/", include("supportdesk.portal.urls")),
    path("faq/", include("supportdesk.faq.urls")),
    path("manager/", include("supportdesk.consult.manager_urls")),
    path("desk/", include("supportdesk.console.urls")),
    path("live/", include("supportdesk.live.urls")),
    path("files/<str:token>/", tickets.attachment, name="attachment"),
    path("files/<str:token>/thumbnail/", tickets.attachment_thumbnail, name="attachment_thumbnail"),
    path("admin/", admin.site.urls),
]

handler400 = "supportdesk.web.views.bad_request"
handler403 = "supportdesk.web.views.permission_denied"
handler404 = "supportdesk.web.views.page_not_found"
handler500 = "supportdesk.web.views.server_error"

if settings.DEBUG:  # pragma: no cover - media through Django only while developing
    from django.conf.urls.static import static

    urlpatterns += static("/media/", document_root=settings.MEDIA_ROOT)
