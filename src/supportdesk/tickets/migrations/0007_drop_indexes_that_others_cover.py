"""Drop the foreign keys' own indexes where an index that leads with the same column serves every lookup.

Each index more costs every insert (a ticket had 20), and the planner weighs every one. Only the
indexes go: the fields' state changes to ``db_index=False``, while the database keeps its tables and
foreign-key constraints as they are (``AlterField`` would drop and re-add each constraint, which
checks every row again at a million tickets, and rebuilds each table on SQLite). The names are the
ones Django gave these indexes in 0001, the same on PostgreSQL and SQLite.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, index, the index that covers it)
INDEXES = [
    ("tickets_attachment", "uploader_id", "tickets_attachment_uploader_id_610d036c", "attachment_unbound"),
    ("tickets_event", "ticket_id", "tickets_event_ticket_id_c2d3d586", "event_ticket"),
    ("tickets_message", "ticket_id", "tickets_message_ticket_id_a1134910", "message_thread"),
    ("tickets_ticket", "organization_id", "tickets_ticket_organization_id_7128da48", "ticket_org_recent"),
    ("tickets_ticket", "requester_id", "tickets_ticket_requester_id_2072a2f2", "ticket_requester_recent"),
    ("tickets_ticketlink", "ticket_id", "tickets_ticketlink_ticket_id_f15673e4", "ticket_link_once"),
    ("tickets_ticketseen", "user_id", "tickets_ticketseen_user_id_a620a385", "ticket_seen_once"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0006_customer_active_list_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}")',
                )
                for table, column, index, _covered_by in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="attachment",
                    name="uploader",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="tickets.ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="message",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="tickets.ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="accounts.organization",
                        verbose_name="organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="requester",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requester",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketlink",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="links_out",
                        to="tickets.ticket",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketseen",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
