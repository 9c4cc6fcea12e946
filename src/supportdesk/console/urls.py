from django.urls import path

from supportdesk.console.views import queue, replies, ticket

app_name = "console"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("queue/<slug:code>/", queue.queue, name="queue_named"),
    path("tickets/<int:pk>/", ticket.workspace, name="ticket"),
    path("tickets/<int:pk>/next/", queue.next_ticket, name="next"),
    path("tickets/<int:pk>/compose/", ticket.compose, name="compose"),
    path("tickets/<int:pk>/draft/", ticket.draft, name="draft"),
    path("tickets/<int:pk>/take/", ticket.take, name="take"),
    path("tickets/<int:pk>/reassign/", ticket.reassign, name="reassign"),
    path("tickets/<int:pk>/urgent/", ticket.urgent, name="urgent"),
    path("tickets/<int:pk>/decline/", ticket.decline, name="decline"),
    path("tickets/<int:pk>/category/", ticket.change_category, name="category"),
    path("tickets/<int:pk>/category/decide/", ticket.decide_category, name="decide_category"),
    path("tickets/<int:pk>/link/", ticket.link, name="link"),
    path("tickets/<int:pk>/unlink/", ticket.unlink, name="unlink"),
    path("tickets/<int:pk>/merge/", ticket.merge, name="merge"),
    path("replies/", replies.reply_list, name="replies"),
    path("replies/new/", replies.reply_edit, name="reply_new"),
    path("replies/<int:reply_id>/", replies.reply_edit, name="reply_edit"),
    path("replies/<int:reply_id>/delete/", replies.reply_delete, name="reply_delete"),
]
