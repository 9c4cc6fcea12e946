"""The spec's sections, the Documents/Finance types and their typed fields, in English and Russian.

Admins change them afterwards; this migration only adds what is missing, by code.
"""

from django.db import migrations

SECTIONS = [
    {
        "code": "application-help",
        "position": 1,
        "name_en": "Application help",
        "name_ru": "Помощь по приложению",
        "summary_en": "Usage questions",
        "summary_ru": "Вопросы по работе с системой",
        "includes_en": "Interface usage questions\nFunction work instructions\nSystem capability explanations\nWork optimization tips",
        "includes_ru": "Вопросы по использованию интерфейса\nИнструкции по работе функций\nРазъяснение возможностей системы\nСоветы по оптимизации работы",
        "examples_en": "How to create a new campaign?\nHow to configure a script?\nHow to view statistics?\nHow to change profile settings?",
        "examples_ru": "Как создать новую кампанию?\nКак настроить скрипт?\nКак посмотреть статистику?\nКак изменить настройки профиля?",
    },
    {
        "code": "system-errors",
        "position": 2,
        "name_en": "System errors",
        "name_ru": "Ошибки системы",
        "summary_en": "Technical problems",
        "summary_ru": "Технические проблемы",
        "includes_en": "Technical problems\nSystem work errors\nConnection problems\nFunction failures",
        "includes_ru": "Технические проблемы\nОшибки в работе системы\nПроблемы с подключением\nСбои в работе функций",
        "examples_en": "System won't load\nErrors when creating campaigns\nData upload problems\nTelephony failures",
        "examples_ru": "Система не загружается\nОшибки при создании кампаний\nПроблемы с загрузкой данных\nСбои телефонии",
    },
    {
        "code": "documents-finance",
        "position": 3,
        "name_en": "Documents/Finance",
        "name_ru": "Документы/Финансы",
        "summary_en": "Billing and document questions",
        "summary_ru": "Вопросы по оплате и документам",
        "includes_en": "Billing questions\nDocument requests\nPayment problems\nTariffing configuration",
        "includes_ru": "Вопросы по биллингу\nЗапросы документов\nПроблемы с оплатой\nНастройка тарификации",
        "examples_en": "",
        "examples_ru": "",
    },
]

TYPES = [
    {
        "section": "documents-finance",
        "code": "metrics-tariffing",
        "position": 1,
        "name_en": "Metrics tariffing request",
        "name_ru": "Запрос на тарификацию метрик",
        "summary_en": "Action-based billing configuration",
        "summary_ru": "Настройка тарификации по действиям",
    },
    {
        "section": "documents-finance",
        "code": "other",
        "position": 2,
        "name_en": "Other",
        "name_ru": "Другое",
        "summary_en": "Other financial questions",
        "summary_ru": "Другие финансовые вопросы",
    },
]

FIELDS = [
    {
        "section": "system-errors",
        "type": None,
        "key": "occurred_at",
        "kind": "datetime",
        "required": True,
        "position": 1,
        "label_en": "When did it occur?",
        "label_ru": "Когда это произошло?",
        "help_en": "The date and time you first saw the problem.",
        "help_ru": "Дата и время, когда вы впервые заметили проблему.",
    },
    {
        "section": "documents-finance",
        "type": "metrics-tariffing",
        "key": "campaign",
        "kind": "text",
        "required": True,
        "position": 1,
        "label_en": "Campaign",
        "label_ru": "Кампания",
        "help_en": "The name or ID of the campaign to bill.",
        "help_ru": "Название или ID кампании для тарификации.",
    },
    {
        "section": "documents-finance",
        "type": "metrics-tariffing",
        "key": "metrics",
        "kind": "textarea",
        "required": True,
        "position": 2,
        "label_en": "Actions (metrics) to bill",
        "label_ru": "Действия (метрики) для тарификации",
        "help_en": "One per line, for example: successful call, lead, transfer to operator.",
        "help_ru": "По одному в строке, например: успешный звонок, лид, перевод на оператора.",
    },
    {
        "section": "documents-finance",
        "type": "metrics-tariffing",
        "key": "price_per_action",
        "kind": "decimal",
        "required": True,
        "position": 3,
        "label_en": "Proposed price per action",
        "label_ru": "Предлагаемая цена за действие",
        "help_en": "In your contract's currency, for example 0.25.",
        "help_ru": "В валюте договора, например 0.25.",
    },
    {
        "section": "documents-finance",
        "type": "metrics-tariffing",
        "key": "start_date",
        "kind": "date",
        "required": True,
        "position": 4,
        "label_en": "Start date",
        "label_ru": "Дата начала",
        "help_en": "From when the new billing should apply.",
        "help_ru": "С какой даты применять новую тарификацию.",
    },
]


def seed(apps, schema_editor):
    Section = apps.get_model("tickets", "Section")
    TicketType = apps.get_model("tickets", "TicketType")
    TypedField = apps.get_model("tickets", "TypedField")
    sections = {}
    for data in SECTIONS:
        values = {k: v for k, v in data.items() if k != "code"}
        sections[data["code"]], _ = Section.objects.get_or_create(code=data["code"], defaults=values)
    types = {}
    for data in TYPES:
        values = {k: v for k, v in data.items() if k not in ("code", "section")}
        types[data["code"]], _ = TicketType.objects.get_or_create(
            section=sections[data["section"]], code=data["code"], defaults=values
        )
    for data in FIELDS:
        values = {k: v for k, v in data.items() if k not in ("key", "section", "type")}
        TypedField.objects.get_or_create(
            section=sections[data["section"]],
            ticket_type=types[data["type"]] if data["type"] else None,
            key=data["key"],
            defaults=values,
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
