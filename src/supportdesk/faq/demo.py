"""The demo FAQ, written from the spec: its example questions per section and its own FAQ, in English
and Russian. ``seed_faq`` loads it; the search relevance tests read it."""

from __future__ import annotations

from typing import Any

# section: a Help section's code, or None for the questions about support itself.
ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "create-campaign",
        "section": "application-help",
        "title_en": "How do I create a new campaign?",
        "title_ru": "Как создать новую кампанию?",
        "keywords_en": "new campaign, launch calls, start calling, add campaign",
        "keywords_ru": "новая кампания, запустить обзвон, добавить кампанию",
        "body_en": """Open **Campaigns** in the main menu and click **New campaign**.

1. Give the campaign a name and choose its calling schedule.
2. Pick the **script** operators will follow (see [How do I configure a script?](/faq/configure-script/)).
3. Upload the contact list (CSV or XLSX).
4. Choose the phone numbers to call from and click **Launch**.

The campaign starts at the next scheduled hour. Its progress shows on the campaign card and in
[campaign statistics](/faq/view-statistics/).""",
        "body_ru": """Откройте **Кампании** в главном меню и нажмите **Новая кампания**.

1. Укажите название кампании и выберите расписание звонков.
2. Выберите **скрипт**, по которому работают операторы (см. [Как настроить скрипт?](/faq/configure-script/)).
3. Загрузите список контактов (CSV или XLSX).
4. Выберите номера, с которых идут звонки, и нажмите **Запустить**.

Кампания стартует в ближайший час по расписанию. Ход кампании виден на ее карточке и в
[статистике](/faq/view-statistics/).""",
        "related": ["configure-script", "campaign-creation-errors", "view-statistics"],
    },
    {
        "slug": "configure-script",
        "section": "application-help",
        "title_en": "How do I configure a call script?",
        "title_ru": "Как настроить скрипт разговора?",
        "keywords_en": "script editor, dialogue, operator questions, branches",
        "keywords_ru": "редактор скриптов, сценарий, диалог, вопросы оператора, ветки",
        "body_en": """Scripts live under **Scripts** in the main menu.

- Click **New script**, or open an existing one to edit it.
- Add **steps**: what the operator says and the answers he can mark.
- Connect answers to the next step to build **branches**.
- Use **variables** such as the contact's name: type `{name}`.
- Click **Save**, then choose the script in the campaign's settings.

Changes apply to new calls at once; calls in progress keep the old version.""",
        "body_ru": """Скрипты находятся в разделе **Скрипты** главного меню.

- Нажмите **Новый скрипт** или откройте существующий, чтобы изменить его.
- Добавьте **шаги**: что говорит оператор и какие ответы он отмечает.
- Свяжите ответы со следующим шагом, чтобы получить **ветки** сценария.
- Используйте **переменные**, например имя контакта: `{name}`.
- Нажмите **Сохранить** и выберите скрипт в настройках кампании.

Изменения сразу действуют для новых звонков; идущие звонки доводятся по старой версии.""",
        "related": ["create-campaign"],
    },
    {
        "slug": "view-statistics",
        "section": "application-help",
        "title_en": "How do I view campaign statistics?",
        "title_ru": "Как посмотреть статистику кампании?",
        "keywords_en": "statistics, reports, analytics, results, conversion, calls made",
        "keywords_ru": "статистика, отчеты, аналитика, результаты, конверсия, звонки",
        "body_en": """Open the campaign and go to the **Statistics** tab.

- **Calls**: made, answered, failed, with the share of each.
- **Results**: the answers operators marked in the script, and the conversion.
- **Operators**: calls and results per operator.

Choose the period at the top right. **Export** downloads the report as XLSX. Statistics refresh
every five minutes.""",
        "body_ru": """Откройте кампанию и перейдите на вкладку **Статистика**.

- **Звонки**: совершенные, отвеченные, неудачные и доля каждых.
- **Результаты**: ответы, отмеченные операторами в скрипте, и конверсия.
- **Операторы**: звонки и результаты по каждому оператору.

Период выбирается справа вверху. Кнопка **Экспорт** скачивает отчет в XLSX. Статистика обновляется
каждые пять минут.""",
        "related": ["create-campaign"],
    },
    {
        "slug": "profile-settings",
        "section": "application-help",
        "title_en": "How do I change my profile settings?",
        "title_ru": "Как изменить настройки профиля?",
        "keywords_en": "profile, password, language, time zone, name, account settings",
        "keywords_ru": "профиль, пароль, язык, часовой пояс, имя, настройки аккаунта",
        "body_en": """Click your name at the top right and choose **Profile**.

There you change your **name**, interface **language** and **time zone**, and your **password**
(you need the current one). Save with **Save changes**. The e-mail you sign in with is changed by
your organization's administrator.""",
        "body_ru": """Нажмите на свое имя справа вверху и выберите **Профиль**.

Там меняются **имя**, **язык** интерфейса, **часовой пояс** и **пароль** (нужен текущий). Сохраните
кнопкой **Сохранить изменения**. Адрес почты для входа меняет администратор вашей организации.""",
        "related": [],
    },
    {
        "slug": "system-wont-load",
        "section": "system-errors",
        "title_en": "The system won't load",
        "title_ru": "Система не загружается",
        "keywords_en": "blank page, white screen, does not open, loading forever, cannot log in, site down",
        "keywords_ru": "белый экран, пустая страница, не открывается, долго грузится, не могу войти",
        "body_en": """Try these steps in order:

1. Reload the page with **Ctrl+F5** (Cmd+Shift+R on a Mac).
2. Open the system in a private window: if it works there, clear the browser's cache and cookies.
3. Turn off browser extensions that block scripts or ads.
4. Check your internet connection and whether other sites open.

Still not loading? [Create a ticket](/help/new/?section=system-errors) in **System errors**: the
form adds your browser's details. Say when it started and attach a screenshot.""",
        "body_ru": """Попробуйте по порядку:

1. Обновите страницу с **Ctrl+F5** (Cmd+Shift+R на Mac).
2. Откройте систему в приватном окне: если там работает, очистите кэш и cookie браузера.
3. Отключите расширения браузера, которые блокируют скрипты или рекламу.
4. Проверьте подключение к интернету и открываются ли другие сайты.

Все равно не загружается? [Создайте тикет](/help/new/?section=system-errors) в разделе **Ошибки
системы**: форма добавит данные о браузере. Укажите, когда началось, и приложите скриншот.""",
        "related": ["describe-problem"],
    },
    {
        "slug": "campaign-creation-errors",
        "section": "system-errors",
        "title_en": "Errors when creating a campaign",
        "title_ru": "Ошибки при создании кампании",
        "keywords_en": "campaign error, cannot save campaign, launch fails, validation error",
        "keywords_ru": "ошибка кампании, не сохраняется кампания, не запускается",
        "body_en": """Most errors when creating a campaign come from its settings:

- **No numbers to call from**: add a number under Telephony first.
- **Script not published**: open the script and click Save.
- **Empty contact list**: check the upload (see [data upload problems](/faq/data-upload-problems/)).
- **Schedule in the past**: choose a start time from now on.

If the message names none of these, copy its exact text and create a ticket in **System errors**
with a screenshot.""",
        "body_ru": """Чаще всего ошибки при создании кампании связаны с ее настройками:

- **Нет номеров для звонков**: сначала добавьте номер в разделе Телефония.
- **Скрипт не опубликован**: откройте скрипт и нажмите Сохранить.
- **Пустой список контактов**: проверьте загрузку (см. [проблемы с загрузкой данных](/faq/data-upload-problems/)).
- **Расписание в прошлом**: выберите время начала не раньше текущего.

Если сообщение об ошибке другое, скопируйте его текст и создайте тикет в разделе **Ошибки системы**
со скриншотом.""",
        "related": ["create-campaign", "data-upload-problems"],
    },
    {
        "slug": "data-upload-problems",
        "section": "system-errors",
        "title_en": "Problems uploading data (contact lists)",
        "title_ru": "Проблемы с загрузкой данных (списки контактов)",
        "keywords_en": "upload, import, csv, xlsx, file, contacts, encoding, phone numbers",
        "keywords_ru": "загрузка, импорт, файл, csv, xlsx, контакты, кодировка, номера телефонов",
        "body_en": """Contact lists are uploaded as **CSV** (UTF-8) or **XLSX**, up to 50 MB.

- The first row holds the column names; one column must be the phone number.
- Phone numbers in international format: `+7...`, `+44...`.
- Garbled letters mean a wrong encoding: save the CSV as UTF-8.
- Rows with invalid numbers are skipped and listed in the upload report.

If the file is correct and the upload still fails, attach it (or its first rows) to a ticket.""",
        "body_ru": """Списки контактов загружаются в формате **CSV** (UTF-8) или **XLSX**, до 50 МБ.

- В первой строке названия столбцов; один столбец должен содержать номер телефона.
- Номера в международном формате: `+7...`, `+44...`.
- Непонятные символы вместо букв значат неверную кодировку: сохраните CSV в UTF-8.
- Строки с неверными номерами пропускаются и перечислены в отчете о загрузке.

Если файл верный, а загрузка не проходит, приложите его (или первые строки) к тикету.""",
        "related": ["campaign-creation-errors"],
    },
    {
        "slug": "telephony-failures",
        "section": "system-errors",
        "title_en": "Telephony failures: calls don't go through",
        "title_ru": "Сбои телефонии: звонки не проходят",
        "keywords_en": "telephony, calls fail, no sound, dropped calls, SIP, phone line, busy",
        "keywords_ru": "телефония, звонки не проходят, нет звука, обрыв звонка, SIP, линия",
        "body_en": """When calls fail or drop:

1. Open **Telephony** and check the status of your numbers and SIP lines.
2. Check the balance: calls stop when it runs out.
3. No sound: allow the microphone in the browser and check the headset.
4. Note the time of failed calls and a few numbers you called.

Create an **urgent** ticket in **System errors** if no calls go out for the whole team.""",
        "body_ru": """Если звонки не проходят или обрываются:

1. Откройте **Телефонию** и проверьте статус номеров и SIP-линий.
2. Проверьте баланс: при нулевом балансе звонки останавливаются.
3. Нет звука: разрешите доступ к микрофону в браузере и проверьте гарнитуру.
4. Запишите время неудачных звонков и несколько номеров, на которые звонили.

Если звонки не идут у всей команды, создайте **срочный** тикет в разделе **Ошибки системы**.""",
        "related": ["describe-problem"],
    },
    {
        "slug": "billing-questions",
        "section": "documents-finance",
        "title_en": "How is billing calculated and how do I pay?",
        "title_ru": "Как рассчитывается оплата и как оплатить?",
        "keywords_en": "billing, payment, pay, balance, top up, tariff, price, charges",
        "keywords_ru": "оплата, платеж, баланс, пополнить, тариф, цена, списания",
        "body_en": """You pay in advance: calls and services are charged from your **balance**.

- **Balance** and charges are under **Billing** in the main menu.
- Top up by card, or by bank transfer against an invoice you download there.
- Charges follow your **tariff**: per minute of calls, and per action if you use
  [metrics tariffing](/faq/metrics-tariffing/).

A question about a charge? Create a ticket in **Documents/Finance** with the date and amount.""",
        "body_ru": """Оплата вносится заранее: звонки и услуги списываются с **баланса**.

- **Баланс** и списания находятся в разделе **Биллинг** главного меню.
- Пополнить можно картой или переводом по счету, который там же скачивается.
- Списания идут по вашему **тарифу**: за минуту звонков и за действия, если подключена
  [тарификация метрик](/faq/metrics-tariffing/).

Вопрос по списанию? Создайте тикет в разделе **Документы/Финансы** с датой и суммой.""",
        "related": ["documents-request", "metrics-tariffing"],
    },
    {
        "slug": "documents-request",
        "section": "documents-finance",
        "title_en": "How do I request closing documents (invoices, acts)?",
        "title_ru": "Как запросить закрывающие документы (счета, акты)?",
        "keywords_en": "documents, invoice, act, reconciliation, contract, accounting papers",
        "keywords_ru": "документы, счет, акт, сверка, договор, бухгалтерия",
        "body_en": """Monthly **acts** and **invoices** are under **Billing → Documents**, ready on the 5th of
the next month.

For a **reconciliation statement**, a copy of the contract or originals by post, create a ticket in
**Documents/Finance**, type **Other**: name the documents, the period and the delivery address.""",
        "body_ru": """Ежемесячные **акты** и **счета** находятся в разделе **Биллинг → Документы** и готовы к
5-му числу следующего месяца.

Для **акта сверки**, копии договора или оригиналов по почте создайте тикет в разделе
**Документы/Финансы**, тип **Другое**: укажите документы, период и адрес доставки.""",
        "related": ["billing-questions"],
    },
    {
        "slug": "metrics-tariffing",
        "section": "documents-finance",
        "title_en": "How do I set up metrics tariffing (action-based billing)?",
        "title_ru": "Как настроить тарификацию метрик (оплата за действия)?",
        "keywords_en": "metrics tariffing, pay per action, per lead, successful call price",
        "keywords_ru": "тарификация метрик, оплата за действие, за лид, цена успешного звонка",
        "body_en": """With **metrics tariffing** you pay for results (a successful call, a lead) instead of minutes.

Create a ticket in **Documents/Finance**, type **Metrics tariffing request**. The form asks for:

- the **campaign**;
- the **metrics** to bill, one per line (for example "successful call", "lead");
- the **price per action**;
- the **start date**.

A specialist checks the metrics against your script and confirms the new tariff in the ticket.""",
        "body_ru": """При **тарификации метрик** вы платите за результат (успешный звонок, лид), а не за минуты.

Создайте тикет в разделе **Документы/Финансы**, тип **Запрос на тарификацию метрик**. Форма спросит:

- **кампанию**;
- **метрики** для тарификации, по одной в строке (например «успешный звонок», «лид»);
- **цену за действие**;
- **дату начала**.

Специалист сверит метрики со скриптом и подтвердит новый тариф в тикете.""",
        "related": ["billing-questions"],
    },
    {
        "slug": "get-help-quickly",
        "section": None,
        "title_en": "How do I get help quickly?",
        "title_ru": "Как быстро получить помощь?",
        "keywords_en": "fast answer, quick support, speed up",
        "keywords_ru": "быстрый ответ, быстрая поддержка, ускорить",
        "body_en": """- **First study the FAQ**: the answer might already exist.
- **Describe the problem in detail**: more details, faster solution
  (see [how to describe a problem](/faq/describe-problem/)).
- **Specify the correct category**: this speeds up routing.
- **Attach screenshots**: visual information helps.""",
        "body_ru": """- **Сначала изучите FAQ**: ответ может уже быть.
- **Подробно опишите проблему**: чем больше деталей, тем быстрее решение
  (см. [как описать проблему](/faq/describe-problem/)).
- **Укажите правильную категорию**: это ускоряет маршрутизацию.
- **Приложите скриншоты**: визуальная информация помогает.""",
        "related": ["describe-problem", "ticket-not-answered", "change-category"],
    },
    {
        "slug": "ticket-not-answered",
        "section": None,
        "title_en": "What should I do if my ticket is not answered?",
        "title_ru": "Что делать, если на тикет не ответили?",
        "keywords_en": "no response, no answer, waiting long, nobody replies, urgent",
        "keywords_ru": "нет ответа, долго жду, никто не отвечает, срочно",
        "body_en": """1. **Check the ticket's status** in the Help section.
2. **Make sure your response is not required**: in *Awaiting response* support waits for you.
3. **Create a new ticket marked "Urgent"**: the ticket page offers it, linked to the unanswered one.
4. **Contact your manager directly**: [ask for a consultation](/help/consultations/new/).""",
        "body_ru": """1. **Проверьте статус тикета** в разделе Помощь.
2. **Убедитесь, что не требуется ваш ответ**: в статусе *Ожидает ответа* поддержка ждет вас.
3. **Создайте новый тикет с пометкой «Срочно»**: страница тикета предлагает это, со ссылкой на неотвеченный.
4. **Свяжитесь с менеджером напрямую**: [запросите консультацию](/help/consultations/new/).""",
        "related": ["ticket-statuses", "get-help-quickly"],
    },
    {
        "slug": "describe-problem",
        "section": None,
        "title_en": "How do I describe a problem properly?",
        "title_ru": "Как правильно описать проблему?",
        "keywords_en": "describe, description, write a good ticket, details, structure",
        "keywords_ru": "описать, описание, хороший тикет, детали, структура",
        "body_en": """Use this structure:

- **What's happening**: describe the problem.
- **When it occurred**: the time it appeared.
- **What you did**: your actions before it.
- **What you expected**: the result you expected.
- **Additional information**: browser, campaign, examples, screenshots.

Be specific, avoid general formulations, give examples of specific cases.""",
        "body_ru": """Используйте такую структуру:

- **Что происходит**: опишите проблему.
- **Когда возникло**: время появления.
- **Что вы делали**: ваши действия перед этим.
- **Что ожидали**: какой результат ожидали.
- **Дополнительно**: браузер, кампания, примеры, скриншоты.

Будьте конкретны, избегайте общих формулировок, приводите примеры конкретных случаев.""",
        "related": ["get-help-quickly"],
    },
    {
        "slug": "change-category",
        "section": None,
        "title_en": "Can a ticket's category be changed?",
        "title_ru": "Можно ли изменить категорию тикета?",
        "keywords_en": "wrong category, wrong section, move ticket, change type",
        "keywords_ru": "неверная категория, другой раздел, перенести тикет, сменить тип",
        "body_en": """- **Before processing** (status *Open*): yes, change it yourself on the ticket's page.
- **During processing**: by agreement with the specialist: ask on the ticket's page and he accepts or refuses.
- **After closing**: no, create a new ticket instead.""",
        "body_ru": """- **До начала обработки** (статус *Открыт*): да, измените ее сами на странице тикета.
- **Во время обработки**: по согласованию со специалистом: запросите на странице тикета, он примет или отклонит.
- **После закрытия**: нет, создайте новый тикет.""",
        "related": ["ticket-statuses"],
    },
    {
        "slug": "ticket-statuses",
        "section": None,
        "title_en": "What does each ticket status mean?",
        "title_ru": "Что означает каждый статус тикета?",
        "keywords_en": "status, open, in progress, awaiting response, closed, declined, track",
        "keywords_ru": "статус, открыт, в работе, ожидает ответа, закрыт, отклонен, отслеживание",
        "body_en": """- **Open**: your request is accepted for processing.
- **In progress**: a specialist is studying your question.
- **Awaiting response**: support needs additional information from you: reply in the ticket.
- **Closed**: the problem is solved, the ticket is completed.
- **Declined**: the ticket was declined; the reason is shown on it.

The ticket page updates by itself, so you always see the current status and new responses.""",
        "body_ru": """- **Открыт**: ваш запрос принят в обработку.
- **В работе**: специалист изучает ваш вопрос.
- **Ожидает ответа**: поддержке нужна дополнительная информация от вас: ответьте в тикете.
- **Закрыт**: проблема решена, тикет завершен.
- **Отклонен**: тикет отклонен; причина указана в нем.

Страница тикета обновляется сама, поэтому вы всегда видите текущий статус и новые ответы.""",
        "related": ["ticket-not-answered", "change-category"],
    },
    {
        "slug": "reply-to-ticket",
        "section": None,
        "title_en": "How do I reply to a ticket?",
        "title_ru": "Как ответить в тикете?",
        "keywords_en": "reply, answer support, add information, continue dialogue, message",
        "keywords_ru": "ответить, ответ поддержке, добавить информацию, продолжить диалог, сообщение",
        "body_en": """Open the ticket from the list in Help, find the **Reply** field under the correspondence,
write your response or additional information, and click **Send reply**. A reply to a ticket
*Awaiting response* returns it to the specialist.""",
        "body_ru": """Откройте тикет из списка в разделе Помощь, найдите поле **Ответ** под перепиской, напишите
ответ или дополнительную информацию и нажмите **Отправить ответ**. Ответ на тикет в статусе
*Ожидает ответа* возвращает его специалисту.""",
        "related": ["ticket-statuses"],
    },
    {
        "slug": "request-history",
        "section": None,
        "title_en": "Where do I find my previous tickets (request history)?",
        "title_ru": "Где найти прошлые тикеты (история обращений)?",
        "keywords_en": "history, old tickets, previous requests, archive, closed tickets, filters",
        "keywords_ru": "история, старые тикеты, прошлые обращения, архив, закрытые тикеты, фильтры",
        "body_en": """Go to **Help → Request history**: all your closed and declined tickets, with creation date,
question type, status and brief description. Use the filters (status, type, dates, words) to find
one; open it to read its solution or start a follow-up ticket.""",
        "body_ru": """Перейдите в **Помощь → История обращений**: все закрытые и отклоненные тикеты с датой
создания, типом вопроса, статусом и кратким описанием. Фильтры (статус, тип, даты, слова) помогут
найти нужный; откройте его, чтобы прочитать решение или создать повторный тикет.""",
        "related": ["ticket-statuses"],
    },
]
