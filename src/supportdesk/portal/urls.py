from django.urls import path

from supportdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.ticket_list, name="tickets"),
    path("history/", views.ticket_list, {"finished": True}, name="history"),
    path("new/", views.create, name="create"),
    path("new/similar/", views.similar, name="similar"),
    path("uploads/", views.upload, name="upload"),
    path("uploads/<str:token>/discard/", views.discard, name="discard_upload"),
    path("tickets/<int:pk>/", views.detail, name="detail"),
    path("tickets/<int:pk>/reply/", views.reply, name="reply"),
    path("tickets/<int:pk>/category/", views.change_category, name="change_category"),
    path("tickets/<int:pk>/seen/", views.mark_seen, name="seen"),
]
