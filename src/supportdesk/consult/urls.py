"""The customer's consultations, under the Help section (/help/consultations/)."""

from django.urls import path

from supportdesk.consult import views

app_name = "consult"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_new, name="new"),
    path("card/", views.customer_card, name="card"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/reply/", views.customer_reply, name="reply"),
    path("<int:pk>/close/", views.customer_close, name="close"),
]
