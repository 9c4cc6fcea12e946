"""The demo's people and ticket stories, as data: ``seed_demo`` plays each story through the services.

A story is the ticket a customer opens (``days_ago`` before the run) and the steps that follow, each a
given number of hours after the previous one. The leading underscore keeps Django from taking this
module for a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from supportdesk.accounts.models import Role

DEMO_PASSWORD = "demo"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class Person:
    key: str
    email: str
    name: str
    role: str
    organization: str | None = None
    language: str = ""
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Org:
    name: str
    shares_tickets: bool
    account_manager: str | None = None


ORGANIZATIONS = [
    Org("Acme", shares_tickets=True, account_manager="sophie"),
    Org("Globex", shares_tickets=False),
]

PEOPLE = [
    Person("anna", "customer@example.com", "Anna Petrova", Role.CUSTOMER, "Acme", "", "Europe/Berlin"),
    Person("dmitry", "colleague@example.com", "Dmitry Sokolov", Role.CUSTOMER, "Acme", "ru", "Europe/Moscow"),
    Person("oliver", "other@example.com", "Oliver Grant", Role.CUSTOMER, "Globex", "en", "Europe/London"),
    Person("maria", "specialist@example.com", "Maria Lopez", Role.SPECIALIST, None, "en", "Europe/Madrid"),
    Person("ivan", "specialist2@example.com", "Ivan Kuznetsov", Role.SPECIALIST, None, "ru", "Europe/Moscow"),
    Person("sophie", "manager@example.com", "Sophie Martin", Role.MANAGER, None, "en", "Europe/Paris"),
    Person("alex", "admin@example.com", "Alex Morgan", Role.ADMIN, None, "en", "UTC"),
]


@dataclass(frozen=True)
class Shot:
    """A fake screenshot of the platform, drawn at run time."""

    name: str
    title: str
    rows: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class DaysFromStart:
    """A date field: this many days after the ticket is opened."""

    days: int


@dataclass(frozen=True)
class HoursBeforeStart:
    """A date-and-time field: this many hours before the ticket is opened."""

    hours: float


FieldValue = str | DaysFromStart | HoursBeforeStart


@dataclass(frozen=True)
class Step:
    after: timedelta
    who: str
    action: str
    text: str = ""
    shot: Shot | None = None
    options: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    key: str
    requester: str
    section: str
    days_ago: float
    question: str
    ticket_type: str | None = None
    fields: dict[str, FieldValue] = field(default_factory=dict)
    client_info: dict[str, str] = field(default_factory=dict)
    urgent: str = ""  # the impact line; empty: not urgent
    shot: Shot | None = None
    link: tuple[str, str] | None = None  # (story key, link kind)
    steps: tuple[Step, ...] = ()


def _h(hours: float) -> timedelta:
    return timedelta(hours=hours)


def take(who: str, h: float = 1) -> Step:
    return Step(_h(h), who, "take")


def reply(who: str, text: str, h: float = 1, shot: Shot | None = None) -> Step:
    return Step(_h(h), who, "reply", text, shot)


def note(who: str, text: str, h: float = 0.3) -> Step:
    return Step(_h(h), who, "note", text)


def ask(who: str, text: str, h: float = 1) -> Step:
    return Step(_h(h), who, "ask", text)


def answer(who: str, text: str, h: float = 3, shot: Shot | None = None) -> Step:
    return Step(_h(h), who, "answer", text, shot)


def solve(who: str, text: str, h: float = 2) -> Step:
    return Step(_h(h), who, "close", text)


def decline(who: str, code: str, reason: str, h: float = 2) -> Step:
    return Step(_h(h), who, "decline", reason, options={"code": code})


def urgent(who: str, impact: str, h: float = 0.2) -> Step:
    return Step(_h(h), who, "urgent", impact)


def reassign(who: str, to: str, h: float = 0.5) -> Step:
    return Step(_h(h), who, "reassign", options={"to": to})


def recategorize(
    who: str, section: str, ticket_type: str | None = None, comment: str = "", h: float = 0.5, **fields: FieldValue
) -> Step:
    """The customer changes the category (Open) or asks support to (later)."""
    return Step(
        _h(h), who, "recategorize", comment, options={"section": section, "type": ticket_type, "fields": fields}
    )


def accept(who: str, h: float = 1) -> Step:
    """Support accepts the customer's pending category change request."""
    return Step(_h(h), who, "accept")


def read(who: str, h: float = 2) -> Step:
    """The requester opens the ticket and reads the latest answer."""
    return Step(_h(h), who, "read")


WEB_CHROME = {"browser": "Chrome 131 on Windows 11", "screen": "1920×1080", "language": "en-US"}

STORIES: list[Story] = [
    # --- Closed -----------------------------------------------------------------------------------
    Story(
        "first-campaign",
        "anna",
        "application-help",
        58,
        "How do I create a new call campaign from a contact list?\n\n"
        "We uploaded 1,200 contacts yesterday and want to start calling them next Monday. I can see the "
        "list under Contacts, but the New campaign wizard does not offer it on the second step.",
        steps=(
            take("maria", 1.5),
            reply(
                "maria",
                "Hi Anna! The wizard only offers lists whose import has finished and whose phone column is "
                "mapped. Open Contacts → your list → Columns and set the type of the “Phone” column to "
                "Phone number; after that the list appears on step 2. I attached where to click.",
                0.5,
                Shot(
                    "where-to-click.png",
                    "Contacts · Spring leads · Columns",
                    ("Name · Text", "Phone · Phone number  <- set this", "City · Text", "Last order · Date"),
                ),
            ),
            answer(
                "anna", "That was it, the list shows up now. Thank you! Can I schedule the start for Monday 9:00?", 4
            ),
            solve(
                "maria",
                "Yes: on the last step of the wizard choose “Start at” and pick Monday 09:00. Calls follow the "
                "campaign's time zone, so check it matches your operators' (Settings → Campaign → Time zone).",
                1,
            ),
            read("anna", 3),
        ),
    ),
    Story(
        "script-objection",
        "anna",
        "application-help",
        52,
        "Script branches: how do I jump to the objection block when the client says “too expensive”?\n\n"
        "Our operators scroll by hand to the objections part of the script. Can a button take them there?",
        steps=(
            take("maria", 2),
            ask(
                "maria",
                "Sure, this is a jump button. Which script is it, and is it the one with the pricing "
                "block in the middle? A screenshot of the script tree would help.",
                0.5,
            ),
            answer(
                "anna",
                "It's “Reactivation 2024”. Screenshot of the tree attached.",
                5,
                Shot(
                    "script-tree.png",
                    "Scripts · Reactivation 2024",
                    ("1. Greeting", "2. Needs", "3. Offer and price", "4. Objections", "5. Closing"),
                ),
            ),
            note(
                "maria",
                "Their objection block is a separate branch, not a step: the jump button needs a "
                "branch target. Checked on a copy of the script.",
                1,
            ),
            solve(
                "maria",
                "In the script editor select step 3 “Offer and price”, click Add button → Jump to branch and "
                "choose “4. Objections”. Name it “Too expensive”: operators will see it right under the offer "
                "text. Publish the script; running campaigns pick it up on the next call.",
                0.5,
            ),
            read("anna", 6),
        ),
    ),
    Story(
        "trunk-drops",
        "anna",
        "system-errors",
        47,
        "Outbound calls drop after 2 seconds on the Moscow trunk\n\n"
        "Since this morning every outbound call on the MSK-1 trunk is cut 1–2 seconds after the client "
        "answers. Calls over the SPB trunk work. 14 operators are idle.",
        fields={"occurred_at": HoursBeforeStart(2)},
        client_info={
            **WEB_CHROME,
            "page": "https://app.example.com/telephony/trunks/msk-1",
            "time_zone": "Europe/Berlin",
        },
        urgent="14 operators cannot call; the campaign has a deadline today.",
        shot=Shot(
            "trunk-log.png",
            "Telephony · Trunks · MSK-1 · Call log",
            (
                "09:41:07  +7 495 *** 12 40   answered  0:02  BYE from carrier",
                "09:41:19  +7 495 *** 88 01   answered  0:01  BYE from carrier",
                "09:41:31  +7 916 *** 30 77   answered  0:02  BYE from carrier",
            ),
            "Call ended by remote side: 488 Not Acceptable Here",
        ),
        steps=(
            take("ivan", 0.2),
            note(
                "ivan",
                "SIP trace: the carrier answers 488 to our re-INVITE. They changed their codec list "
                "overnight (G.729 only). Our trunk offers PCMA first.",
                0.3,
            ),
            reply(
                "ivan",
                "We see the cause: the carrier changed its codec settings overnight. We are switching "
                "the trunk's codec order now; expect calls to recover in about 15 minutes.",
                0.1,
            ),
            answer("anna", "Calls are going through again. Thanks for the quick fix!", 0.5),
            solve(
                "ivan",
                "The MSK-1 trunk now offers G.729 first, matching the carrier. We also added an alert "
                "on answered calls shorter than 3 seconds, so we notice such a change before you do.",
                0.5,
            ),
        ),
    ),
    Story(
        "tariff-spring",
        "anna",
        "documents-finance",
        44,
        "Metrics tariffing for the Spring reactivation campaign\n\n"
        "We would like to pay per successful call instead of per minute for this campaign.",
        ticket_type="metrics-tariffing",
        fields={
            "campaign": "Spring reactivation (ID 4182)",
            "metrics": "Successful call (talk time 30 s or more)\nLead sent to CRM",
            "price_per_action": "0.35",
            "start_date": DaysFromStart(14),
        },
        steps=(
            take("maria", 3),
            ask(
                "maria",
                "Thank you! For action-based billing we need the number of your current contract and "
                "who signs the addendum on your side.",
                0.5,
            ),
            answer("anna", "Contract No. 2023/117. The addendum is signed by our CFO, Elena Smirnova.", 20),
            note("maria", "Billing confirmed the price for both metrics; addendum sent to the CFO for signature.", 6),
            solve(
                "maria",
                "Done: from the start date the campaign is billed 0.35 per successful call (30 s or "
                "more) and per lead sent to CRM. The signed addendum is in Billing → Documents.",
                30,
            ),
            read("anna", 5),
        ),
    ),
    Story(
        "march-documents",
        "anna",
        "documents-finance",
        40,
        "Please send the closing documents (act and invoice) for March",
        ticket_type="other",
        steps=(
            take("maria", 4),
            solve(
                "maria",
                "The act and the invoice for March are now in Billing → Documents, and the originals "
                "went out by courier today (tracking number in the act's comment).",
                1,
            ),
        ),
    ),
    Story(
        "clone-campaign",
        "oliver",
        "application-help",
        36,
        "How do I clone a campaign together with its script and operator groups?",
        steps=(
            take("ivan", 2),
            solve(
                "ivan",
                "Open the campaign, then ⋯ → Duplicate. Tick “Script” and “Operator groups”; contact "
                "lists are not copied on purpose, so choose a new list on the first step.",
                0.5,
            ),
            read("oliver", 1),
        ),
    ),
    Story(
        "stats-ru",
        "dmitry",
        "application-help",
        33,
        "Как посмотреть статистику по операторам за неделю?\n\n"
        "Нужна таблица: сколько звонков сделал каждый оператор и средняя длительность разговора.",
        steps=(
            take("ivan", 1),
            solve(
                "ivan",
                "Статистика → Операторы, период «Последние 7 дней». Колонки «Звонков» и «Средняя "
                "длительность» включаются в настройке таблицы (значок шестерёнки). Отчёт можно выгрузить в "
                "Excel кнопкой «Экспорт».",
                0.7,
            ),
            read("dmitry", 2),
        ),
    ),
    Story(
        "appointments-tariff",
        "oliver",
        "documents-finance",
        30,
        "Metrics tariffing: billing per confirmed appointment",
        ticket_type="metrics-tariffing",
        fields={
            "campaign": "Dental check-up reminders",
            "metrics": "Appointment confirmed by the client",
            "price_per_action": "1.20",
            "start_date": DaysFromStart(10),
        },
        steps=(
            take("maria", 5),
            note("maria", "Finance asks for a minimum monthly volume of 500 confirmations at this price.", 2),
            reply(
                "maria",
                "We can offer 1.20 per confirmed appointment with a minimum of 500 per month. Does that work for you?",
                0.5,
            ),
            answer("oliver", "Yes, we expect around 800 a month. Please go ahead.", 18),
            solve(
                "maria",
                "Configured: confirmed appointments are billed at 1.20 from the start date, minimum "
                "500 per month. You can follow the counter in Billing → Usage.",
                4,
            ),
        ),
    ),
    # --- Declined ---------------------------------------------------------------------------------
    Story(
        "export-recordings",
        "anna",
        "application-help",
        31,
        "Statistics: how to export the weekly numbers of each operator?",
        steps=(
            decline(
                "maria",
                "duplicate",
                "Your colleague Dmitry asked the same two days ago and has the answer "
                "in his ticket “Как посмотреть статистику по операторам за неделю?”. Acme shares tickets, "
                "so you can open it from your list.",
                3,
            ),
        ),
    ),
    Story(
        "blank-dashboard",
        "anna",
        "system-errors",
        35,
        "The dashboard is blank in Firefox",
        fields={"occurred_at": HoursBeforeStart(20)},
        client_info={
            "browser": "Firefox 133 on Ubuntu",
            "screen": "2560×1440",
            "language": "en-GB",
            "page": "https://app.example.com/dashboard",
            "time_zone": "Europe/Berlin",
        },
        steps=(
            take("ivan", 2),
            ask(
                "ivan",
                "Could you open the page in a private window and tell us whether it is still blank? If "
                "it is, a screenshot of the browser console (F12 → Console) would help.",
                0.3,
            ),
            answer("anna", "In a private window it works. So it is one of my extensions, I suppose?", 26),
            decline(
                "ivan",
                "cannot_reproduce",
                "The dashboard loads in a clean Firefox profile, here and on your "
                "side, so we cannot reproduce a fault in the platform. A content-blocking extension is the "
                "likely cause: allow app.example.com in it. Open a new ticket if it comes back.",
                1,
            ),
        ),
    ),
    Story(
        "vat-rate",
        "oliver",
        "documents-finance",
        27,
        "Can you invoice us with a reduced VAT rate?",
        ticket_type="other",
        steps=(
            take("maria", 6),
            decline(
                "maria",
                "out_of_scope",
                "The VAT rate follows the law of the country of our legal entity, "
                "so support cannot change it. Your account manager can tell you about contracting through "
                "our partner in your country.",
                0.5,
            ),
        ),
    ),
    Story(
        "own-pbx",
        "oliver",
        "system-errors",
        22,
        "Our office PBX drops calls forwarded from the platform",
        fields={"occurred_at": HoursBeforeStart(30)},
        client_info={
            **WEB_CHROME,
            "page": "https://app.example.com/telephony/forwarding",
            "time_zone": "Europe/London",
        },
        steps=(
            take("ivan", 3),
            note("ivan", "Our side: forwarded calls complete normally, the BYE comes from their PBX.", 0.5),
            decline(
                "ivan",
                "out_of_scope",
                "The calls leave our platform correctly and are ended by your office "
                "PBX, which we do not operate. Your PBX vendor can check its logs for the times in this "
                "ticket; we are glad to share our SIP traces with them.",
                1,
            ),
        ),
    ),
    Story(
        "invoice-twice",
        "oliver",
        "documents-finance",
        12,
        "We were charged twice for October",
        ticket_type="other",
        steps=(
            take("maria", 2),
            decline(
                "maria",
                "other",
                "There is one charge: the second line on your card statement is a "
                "pre-authorisation of the bank, released within three days. No refund is needed.",
                0.5,
            ),
        ),
    ),
    # --- Awaiting response ----------------------------------------------------------------------------
    Story(
        "stats-mismatch",
        "anna",
        "application-help",
        6,
        "Statistics show fewer completed calls than the telephony report\n\n"
        "For last Tuesday Statistics says 1,034 completed calls, the telephony report 1,101.",
        steps=(
            take("maria", 1),
            ask(
                "maria",
                "Statistics count a call as completed when it lasted at least 10 seconds, the telephony "
                "report counts every answered call. To compare the same thing: which time zone is each report "
                "set to, and do you need calls shorter than 10 seconds counted?",
                0.5,
            ),
        ),
    ),
    Story(
        "csv-upload",
        "anna",
        "system-errors",
        3,
        "CSV upload of contacts stops at “Processing 0%”",
        fields={"occurred_at": HoursBeforeStart(1)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/contacts/import", "time_zone": "Europe/Berlin"},
        shot=Shot(
            "csv-upload.png",
            "Contacts · Import",
            ("file: leads_november.csv (4.2 MB)", "rows detected: -", "status: Processing 0%"),
            "The import has not progressed for 20 minutes",
        ),
        steps=(
            take("ivan", 1),
            urgent("ivan", "Blocks the November campaign launch."),
            ask(
                "ivan",
                "Thanks for the screenshot. Could you attach the first 20 lines of the file (with phone "
                "numbers masked)? The importer stops when the delimiter is not detected.",
                0.3,
            ),
        ),
    ),
    Story(
        "tariff-ru",
        "dmitry",
        "documents-finance",
        4,
        "Тарификация по метрикам: оплата за успешный дозвон",
        ticket_type="metrics-tariffing",
        fields={
            "campaign": "Осенний обзвон клиентов",
            "metrics": "Успешный дозвон\nПеревод на оператора",
            "price_per_action": "0.18",
            "start_date": DaysFromStart(7),
        },
        steps=(
            take("ivan", 2),
            ask(
                "ivan",
                "Уточните, пожалуйста: что считать успешным дозвоном — ответ клиента или разговор дольше 20 секунд?",
                0.5,
            ),
        ),
    ),
    # --- In progress ----------------------------------------------------------------------------------
    Story(
        "callback-window",
        "anna",
        "application-help",
        2,
        "How do I set up a callback window for missed calls?\n\n"
        "Clients who miss our call should be called back between 18:00 and 20:00 the same day.",
        steps=(
            take("maria", 1),
            reply(
                "maria",
                "Good question — callbacks are set per campaign. I'm checking whether a same-day window "
                "can start after the campaign's working hours end and will come back to you today.",
                0.2,
            ),
            note(
                "maria",
                "Callback window outside working hours needs the ‘extended hours’ flag; asking the "
                "telephony team whether it applies to callbacks only.",
                0.2,
            ),
        ),
    ),
    Story(
        "no-route",
        "anna",
        "system-errors",
        0.35,
        "Telephony failure: all operators see “No route to host”",
        fields={"occurred_at": HoursBeforeStart(0.3)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/operator/workspace", "time_zone": "Europe/Berlin"},
        urgent="No operator can call; the whole call center is stopped.",
        steps=(
            take("ivan", 0.1),
            note("ivan", "Media servers in zone B unreachable since 10:12 UTC; network team paged.", 0.1),
            reply(
                "ivan",
                "We know about it and are working on it: a network fault in one of our data centres. "
                "We will post updates here every 30 minutes.",
                0.05,
            ),
        ),
    ),
    Story(
        "webinar-tariff",
        "anna",
        "documents-finance",
        1.2,
        "Metrics tariffing request: pay per qualified lead for webinar invitations",
        ticket_type="metrics-tariffing",
        fields={
            "campaign": "Webinar invitations, December",
            "metrics": "Qualified lead (registered for the webinar)",
            "price_per_action": "2.50",
            "start_date": DaysFromStart(20),
        },
        steps=(
            take("maria", 2),
            note("maria", "Waiting for billing to confirm they can count registrations from the webhook.", 0.4),
        ),
    ),
    Story(
        "inbound-ru",
        "dmitry",
        "system-errors",
        0.8,
        "Телефония: входящие звонки не распределяются на операторов\n\n"
        "Звонки висят в очереди, хотя 6 операторов в статусе «Готов».",
        fields={"occurred_at": HoursBeforeStart(0.5)},
        client_info={
            "browser": "Яндекс Браузер 24 on Windows 10",
            "screen": "1366×768",
            "language": "ru-RU",
            "page": "https://app.example.com/queues/inbound-main",
            "time_zone": "Europe/Moscow",
        },
        urgent="Клиенты ждут на линии больше 5 минут.",
        steps=(
            take("ivan", 0.2),
            reply(
                "ivan",
                "Видим проблему: после обновления у очереди сбросился навык «Входящие». Восстанавливаем "
                "настройки, отпишусь через 10 минут.",
                0.1,
            ),
            answer("dmitry", "Звонки пошли, но не на всех операторов — двое всё ещё ничего не получают.", 0.4),
        ),
    ),
    Story(
        "variables",
        "anna",
        "system-errors",
        5,
        "Script variables are not substituted: operators see {client_name}",
        fields={"occurred_at": HoursBeforeStart(3)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/scripts/77/preview", "time_zone": "Europe/Berlin"},
        steps=(
            take("maria", 1),
            reply(
                "maria",
                "The variable is written with single braces; the script editor expects "
                "{{client_name}}. Could you check the greeting step?",
                0.5,
            ),
            recategorize(
                "anna",
                "application-help",
                comment="It was my mistake in the script, not an error of "
                "the system — please move it to Application help.",
                h=2,
            ),
        ),
    ),
    Story(
        "operator-groups",
        "oliver",
        "application-help",
        9,
        "Operator groups: new operators do not see the campaign",
        steps=(
            take("maria", 2),
            recategorize("oliver", "system-errors", comment="Looks like a bug after all: it worked last week.", h=3),
            accept("maria", 1),
            reply(
                "maria",
                "Moved to System errors as you asked. We reproduced it: operators added to a group after "
                "the campaign started do not get it until the next start. A fix is planned; meanwhile pause "
                "and resume the campaign.",
                0.5,
            ),
            reassign("alex", "ivan", 4),
            note("alex", "Ivan, please follow the fix and tell Oliver when it is deployed.", 0.1),
        ),
    ),
    # --- Open -----------------------------------------------------------------------------------------
    Story(
        "notification-email",
        "anna",
        "application-help",
        1,
        "How do I change the e-mail that receives notifications?\n\nReports still go to my old address.",
    ),
    Story(
        "editor-wont-load",
        "anna",
        "system-errors",
        0.1,
        "The campaign editor won't load after today's update",
        fields={"occurred_at": HoursBeforeStart(0.5)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/campaigns/4190/edit", "time_zone": "Europe/Berlin"},
        urgent="We cannot launch tomorrow's campaign.",
        shot=Shot(
            "editor-error.png",
            "Campaigns · Autumn follow-up · Edit",
            ("Loading...",),
            "Something went wrong (error 502). Try again later.",
        ),
    ),
    Story(
        "invoice-address",
        "anna",
        "documents-finance",
        0.5,
        "Invoice 2024-118 shows our old company address",
        ticket_type="other",
    ),
    Story(
        "extra-seats",
        "dmitry",
        "application-help",
        1.5,
        "Сколько стоят дополнительные места операторов?",
        steps=(recategorize("dmitry", "documents-finance", "other", h=0.1),),
    ),
    Story(
        "reconciliation-ru",
        "dmitry",
        "documents-finance",
        2.5,
        "Нужен акт сверки за третий квартал",
        ticket_type="other",
    ),
    Story(
        "recordings-playback",
        "oliver",
        "system-errors",
        0.7,
        "Call recordings fail to play in the browser",
        fields={"occurred_at": HoursBeforeStart(2)},
        client_info={
            "browser": "Safari 18 on macOS 15",
            "screen": "1512×982",
            "language": "en-GB",
            "page": "https://app.example.com/statistics/calls/88121",
            "time_zone": "Europe/London",
        },
        shot=Shot(
            "player.png", "Statistics · Calls · #88121", ("Recording   > 0:00 / 0:00",), "The media could not be loaded"
        ),
    ),
    Story(
        "contacts-empty",
        "anna",
        "application-help",
        4,
        "Follow-up: the campaign started, but its contact list looks empty",
        link=("first-campaign", "follow_up"),
    ),
    Story(
        "recording-export",
        "anna",
        "system-errors",
        2.2,
        "Exported recordings archive is empty",
        fields={"occurred_at": HoursBeforeStart(1)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/statistics/export", "time_zone": "Europe/Berlin"},
    ),
    Story(
        "recording-export-urgent",
        "anna",
        "system-errors",
        0.2,
        "Still no answer: the exported recordings archive is empty",
        fields={"occurred_at": HoursBeforeStart(53)},
        client_info={**WEB_CHROME, "page": "https://app.example.com/statistics/export", "time_zone": "Europe/Berlin"},
        urgent="The client's audit is due on Friday.",
        link=("recording-export", "unanswered"),
    ),
]
