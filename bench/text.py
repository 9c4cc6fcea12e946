"""Made-up but plausible ticket text in English and Russian, cheap to produce by the million.

A question is a few sentences drawn from pools per section (what happens, since when, what was done,
what was expected), so words such as "campaign" or "кампания" recur the way they do in a real queue:
in a share of the tickets, not all of them. Replies come from support's usual phrases.
"""

from __future__ import annotations

import random

SUBJECTS_EN = {
    "application-help": [
        "How do I create a new campaign from a template",
        "How can I configure the call script branches",
        "Where do I see the statistics of last week's campaign",
        "How to change the profile language and time zone",
        "How do I give an operator access to one campaign only",
        "Can I pause a campaign for the weekend and resume it on Monday",
        "How to export the call recordings of a campaign",
        "How do I set up a callback queue for missed calls",
    ],
    "system-errors": [
        "The system won't load, white screen after sign-in",
        "Calls do not go through since this morning",
        "Error 500 when I save a campaign with a script",
        "Upload of the contact list fails with an encoding error",
        "Telephony drops calls after ten seconds",
        "The dashboard shows no data for yesterday",
        "Operators cannot hear the customer, the microphone is silent",
        "The report export hangs at 99 percent",
    ],
    "documents-finance": [
        "Please send the invoice and the act for October",
        "We need a reconciliation statement for the quarter",
        "The balance was charged twice for one payment",
        "Configure pay per lead tariffing for our campaign",
        "How do I download closing documents",
        "The card payment failed but the money was taken",
    ],
    "other": [
        "A question about the API limits",
        "We want to integrate with our CRM through webhooks",
        "Feedback about the new interface",
        "Request for a training session for new operators",
    ],
}
SUBJECTS_RU = {
    "application-help": [
        "Как создать новую кампанию по шаблону",
        "Как настроить ветвления скрипта звонка",
        "Где посмотреть статистику кампании за прошлую неделю",
        "Как изменить язык профиля и часовой пояс",
        "Как дать оператору доступ только к одной кампании",
        "Можно ли поставить кампанию на паузу на выходные",
        "Как выгрузить записи разговоров кампании",
    ],
    "system-errors": [
        "Система не загружается, белый экран после входа",
        "Звонки не проходят с утра",
        "Ошибка 500 при сохранении кампании со скриптом",
        "Загрузка списка контактов падает с ошибкой кодировки",
        "Телефония обрывает звонки через десять секунд",
        "Операторы не слышат клиента, микрофон молчит",
    ],
    "documents-finance": [
        "Пришлите, пожалуйста, счет и акт за октябрь",
        "Нужен акт сверки за квартал",
        "Баланс списан дважды за один платеж",
        "Настройте тарификацию за лид для нашей кампании",
        "Как скачать закрывающие документы",
    ],
    "other": [
        "Вопрос о лимитах API",
        "Хотим интеграцию с нашей CRM через вебхуки",
        "Отзыв о новом интерфейсе",
        "Просим провести обучение для новых операторов",
    ],
}
DETAILS_EN = [
    "It started yesterday around {hour}:00.",
    "We have {n} operators working on this campaign.",
    "I tried another browser and cleared the cache, nothing changed.",
    "The campaign is called \u201c{name}\u201d.",
    "It worked fine last week.",
    "The problem happens for every operator in the team.",
    "I expected the numbers to match the report from the CRM.",
    "Screenshot attached, the error appears after pressing Save.",
    "This blocks the whole team, please help as soon as possible.",
    "Our contract number is {n}.",
    "The contact list has about {n} thousand rows.",
    "We use the widget on our site and the webhook integration.",
]
DETAILS_RU = [
    "Началось вчера около {hour}:00.",
    "В кампании работают {n} операторов.",
    "Пробовали другой браузер и очистили кэш, не помогло.",
    "Кампания называется \u00ab{name}\u00bb.",
    "На прошлой неделе все работало.",
    "Проблема у всех операторов команды.",
    "Ожидали, что цифры совпадут с отчетом из CRM.",
    "Скриншот приложен, ошибка появляется после нажатия Сохранить.",
    "Вся команда стоит, помогите как можно скорее.",
    "Номер договора {n}.",
    "В списке контактов примерно {n} тысяч строк.",
]
RESPONSES_EN = [
    "Thank you for the details. We are checking the logs of your account now.",
    "Could you send a screenshot of the error and the exact time it happened?",
    "We have found the cause: the script had a loop in branch {n}. It is fixed now, please check.",
    "The documents are attached to this ticket and also sent by e-mail.",
    "Please open Settings \u2192 Campaigns, choose the campaign and press Pause; Resume works the same way.",
    "Our engineers restarted the telephony node serving your line. Calls should go through again.",
    "The statistics are rebuilt every night; yesterday's numbers will be there in the morning.",
]
RESPONSES_RU = [
    "Спасибо за подробности. Проверяем журналы вашего аккаунта.",
    "Пришлите, пожалуйста, скриншот ошибки и точное время, когда она возникла.",
    "Нашли причину: в скрипте было зацикливание в ветке {n}. Исправили, проверьте, пожалуйста.",
    "Документы приложены к тикету и отправлены на почту.",
    "Откройте Настройки \u2192 Кампании, выберите кампанию и нажмите Пауза; Возобновить работает так же.",
    "Инженеры перезапустили узел телефонии вашей линии. Звонки должны проходить.",
]
FOLLOW_UPS_EN = [
    "Thanks, here is the screenshot. It happened at {hour}:{n:02d}.",
    "Still the same after the fix, the error appears again.",
    "It works now, thank you!",
    "One more question: can we do the same for the second campaign?",
]
FOLLOW_UPS_RU = [
    "Спасибо, вот скриншот. Это было в {hour}:{n:02d}.",
    "После исправления то же самое, ошибка снова появляется.",
    "Теперь работает, спасибо!",
    "Еще вопрос: можно сделать то же для второй кампании?",
]
NOTES = [
    "Checked the node logs: timeouts from the SIP provider between 09:00 and 09:40.",
    "Customer on the legacy tariff, billing team informed.",
    "Looks like a duplicate of an older ticket of this organization.",
]
NAMES = ["Spring sale", "Debt reminder", "NPS survey", "Весенняя акция", "Опрос NPS", "Win-back", "Лиды Q3"]
SEARCH_WORDS = ["campaign", "invoice", "telephony", "статистику", "скрипта", "webhooks", "microphone"]


class Writer:
    """Text for one language; ``rng`` is the generator's own, so a dataset is reproducible."""

    def __init__(self, rng: random.Random, russian: bool) -> None:
        self.rng = rng
        self.subjects = SUBJECTS_RU if russian else SUBJECTS_EN
        self.details = DETAILS_RU if russian else DETAILS_EN
        self.responses = RESPONSES_RU if russian else RESPONSES_EN
        self.follow_ups = FOLLOW_UPS_RU if russian else FOLLOW_UPS_EN

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(hour=rng.randint(7, 22), n=rng.randint(2, 59), name=rng.choice(NAMES))

    def question(self, section_code: str) -> str:
        rng = self.rng
        subject = rng.choice(self.subjects.get(section_code) or self.subjects["other"])
        details = " ".join(self._fill(d) for d in rng.sample(self.details, rng.randint(1, 4)))
        return f"{subject}?\n\n{details}"

    def response(self) -> str:
        return self._fill(self.rng.choice(self.responses))

    def follow_up(self) -> str:
        return self._fill(self.rng.choice(self.follow_ups))

    def note(self) -> str:
        return self.rng.choice(NOTES)
