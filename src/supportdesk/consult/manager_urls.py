"""The account manager's workspace (/manager/): his consultations and his organizations' tickets."""

from django.urls import path

from supportdesk.consult import manager_views as views

app_name = "manager"

urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path("consultations/<int:pk>/reply/", views.reply, name="reply"),
    path("consultations/<int:pk>/close/", views.close, name="close"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/history/", views.tickets, {"finished": True}, name="ticket_history"),
    path("tickets/<int:pk>/", views.ticket, name="ticket"),
]
