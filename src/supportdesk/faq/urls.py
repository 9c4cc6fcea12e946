from django.urls import path

from supportdesk.faq import views

app_name = "faq"

# Fixed paths first: an article's slug may not take them (models.RESERVED_SLUGS).
urlpatterns = [
    path("", views.index, name="index"),
    path("suggest/", views.suggest, name="suggest"),
    path("insert/", views.insert, name="insert"),
    path("preview/", views.preview, name="preview"),
    path("stats/", views.stats, name="stats"),
    path("from-ticket/<int:ticket_id>/", views.from_ticket, name="from_ticket"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/feedback/", views.feedback, name="feedback"),
]
