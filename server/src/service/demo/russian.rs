//! The demo desk's texts in Russian.

/// The demo desk in Russian: every English text of the demo data beside its Russian, and
/// the names the desk seeds for itself (queues, statuses, criticality levels, categories,
/// related services, rating marks). Looked up by the English text; what is missing stays as
/// it is (the one Russian ticket already is).
pub(super) const RUSSIAN: &[(&str, &str)] = &[
    ("Customer care", "Обслуживание клиентов"),
    ("Billing", "Расчёты"),
    ("Olga Petrova", "Ольга Петрова"),
    ("Ivan Sokolov", "Иван Соколов"),
    ("Maria Garcia", "Мария Гарсия"),
    ("Mike Chen", "Михаил Чен"),
    ("Ada Lovelace", "Ада Лавлейс"),
    ("Anna Ivanova", "Анна Иванова"),
    ("Boris Kuznetsov", "Борис Кузнецов"),
    ("Chloé Martin", "Хлоя Мартен"),
    ("David Okafor", "Давид Окафор"),
    ("Elena Rossi", "Елена Росси"),
    (
        "Points missing after my last purchase",
        "Не начислились баллы за последнюю покупку",
    ),
    (
        "Hello! I bought groceries on the 3rd but the points never showed up on my card.",
        "Здравствуйте! Я купила продукты 3-го числа, но баллы на карту так и не пришли.",
    ),
    (
        "Hi Anna, sorry about that. Could you tell me the store and the receipt number?",
        "Анна, здравствуйте, извините за неудобство. Подскажите, пожалуйста, магазин и номер чека?",
    ),
    (
        "Store on Lenina street, receipt 00451-7782.",
        "Магазин на улице Ленина, чек 00451-7782.",
    ),
    (
        "Found it: the points were credited today. You should see 312 points now.",
        "Нашла: баллы начислены сегодня. Сейчас у вас должно быть 312 баллов.",
    ),
    ("Yes, I see them. Thank you!", "Да, вижу. Спасибо!"),
    (
        "Charged twice for the annual plan",
        "Годовой тариф списали дважды",
    ),
    (
        "My card was charged twice for the annual plan on Monday.",
        "В понедельник с карты дважды списали оплату годового тарифа.",
    ),
    (
        "Hello Boris, I can see both charges. The second one is being refunded; it takes 3–5 business days.",
        "Борис, здравствуйте, вижу оба списания. Второе возвращаем: это займёт 3–5 рабочих дней.",
    ),
    (
        "Card blocked after three wrong PINs",
        "Карта заблокирована после трёх неверных PIN-кодов",
    ),
    (
        "I entered a wrong PIN three times and now my card is blocked. Can you unblock it?",
        "Я трижды ввела неверный PIN-код, и карту заблокировали. Можно её разблокировать?",
    ),
    (
        "Hi Chloé, for your safety we need to confirm your identity. What is your date of birth?",
        "Хлоя, здравствуйте. Для вашей безопасности нужно подтвердить личность. Какая у вас дата рождения?",
    ),
    ("12 May 1990.", "12 мая 1990 года."),
    (
        "Invoice for October has the wrong company name",
        "В счёте за октябрь неверное название компании",
    ),
    (
        "The October invoice says Okafor Ltd, it should be Okafor Trading Ltd.",
        "В счёте за октябрь указано ООО «Окафор», а должно быть ООО «Окафор Трейдинг».",
    ),
    (
        "How do I add a second card to my account?",
        "Как добавить вторую карту в личный кабинет?",
    ),
    (
        "I have a new card from the store and want to add it to my existing account.",
        "В магазине мне выдали новую карту, хочу добавить её к своему кабинету.",
    ),
    (
        "Hello Elena! Go to Cards → Add a card and type the number on its back.",
        "Елена, здравствуйте! Откройте «Карты» → «Добавить карту» и введите номер с обратной стороны.",
    ),
    (
        "There is no such menu on my phone.",
        "В телефоне такого меню нет.",
    ),
    (
        "Refund for a returned coffee machine",
        "Возврат денег за кофемашину",
    ),
    (
        "I returned a coffee machine last week; when will the refund arrive?",
        "На прошлой неделе я вернула кофемашину. Когда придут деньги?",
    ),
    (
        "Cannot log in to the mobile app",
        "Не могу войти в мобильное приложение",
    ),
    (
        "The app says my password is wrong, but it works on the website.",
        "Приложение пишет, что пароль неверный, хотя на сайте он подходит.",
    ),
    (
        "Hi Boris, please update the app to the latest version and try again.",
        "Борис, здравствуйте, обновите, пожалуйста, приложение до последней версии и попробуйте снова.",
    ),
    (
        "Bonus points expired without warning",
        "Бонусные баллы сгорели без предупреждения",
    ),
    (
        "My 2,000 points expired yesterday. I never got a reminder email.",
        "Вчера сгорели мои 2 000 баллов. Письма-напоминания я не получала.",
    ),
    ("Change my phone number", "Смена номера телефона"),
    (
        "I have a new phone number, +44 20 7946 0018. Please update my card.",
        "У меня новый номер телефона, +7 495 123-45-67. Обновите его в карте, пожалуйста.",
    ),
    (
        "Done, David. You will get a confirmation SMS shortly.",
        "Готово, Давид. Скоро придёт СМС с подтверждением.",
    ),
    ("Got it, thanks.", "Пришло, спасибо."),
    ("Gift card balance", "Баланс подарочной карты"),
    (
        "How can I check the balance of a gift card I received?",
        "Как узнать баланс подарочной карты, которую мне подарили?",
    ),
    ("VAT number on receipts", "ИНН в чеках"),
    (
        "Could you add my company's VAT number to future receipts? It is GB123456789.",
        "Можно указывать ИНН моей компании в следующих чеках? ИНН 7701234567.",
    ),
    ("Greeting", "Приветствие"),
    (
        "Hello {member}, thank you for contacting us. My name is {operator} and I will take care of your request #{ticket}.",
        "Здравствуйте, {member}! Спасибо за обращение. Меня зовут {operator}, я займусь вашим запросом №{ticket}.",
    ),
    ("Card unblocked", "Карта разблокирована"),
    (
        "{member}, your card is unblocked and ready to use. If it happens again, just write to us here.",
        "{member}, ваша карта разблокирована, ею можно пользоваться. Если это повторится, просто напишите нам здесь.",
    ),
    ("Closing", "Завершение"),
    (
        "Is there anything else I can help you with? If not, I will close this conversation. — {operator}, {department}",
        "Могу ли я ещё чем-то помочь? Если нет, я закрою обращение. — {operator}, {department}",
    ),
    (
        "Hello {member}, this is {operator} from {department}. I am looking into request #{ticket} now.",
        "Здравствуйте, {member}! Это {operator}, отдел «{department}». Я уже разбираюсь с запросом №{ticket}.",
    ),
    ("Refund timing", "Сроки возврата"),
    (
        "Refunds take 3–5 business days to reach your card after we approve them, {member}.",
        "{member}, после одобрения деньги возвращаются на карту за 3–5 рабочих дней.",
    ),
    // What the desk seeds for itself.
    ("Chat", "Чат"),
    ("Email", "Электронная почта"),
    ("Feedback form", "Форма обратной связи"),
    ("Phone", "Телефон"),
    ("Accepted", "Принят"),
    ("In progress", "В работе"),
    ("Waiting for a third party", "Ждёт третьей стороны"),
    ("Resolved", "Решён"),
    ("Low", "Низкая"),
    ("Normal", "Обычная"),
    ("High", "Высокая"),
    ("Critical", "Критическая"),
    ("Question", "Вопрос"),
    ("Problem", "Проблема"),
    ("Feature request", "Пожелание"),
    ("Complaint", "Жалоба"),
    ("Website", "Сайт"),
    ("Mobile app", "Мобильное приложение"),
    ("Payments", "Платежи"),
    ("Delivery", "Доставка"),
    ("The answer is fine", "Ответ устраивает"),
    ("Not complete enough", "Ответ неполный"),
    ("It did not help", "Не помогло"),
    ("Moscow", "Москва"),
    ("Kazan", "Казань"),
    ("Lyon", "Лион"),
    ("Lagos", "Лагос"),
    ("Milan", "Милан"),
    ("Lost by the member", "Утеряна участником"),
    ("Store 12, Tverskaya St.", "Магазин № 12, ул. Тверская"),
    ("Store 7, Central Market", "Магазин № 7, Центральный рынок"),
    ("Online shop", "Интернет-магазин"),
    ("Milk 1 l", "Молоко 1 л"),
    ("Rye bread", "Хлеб ржаной"),
    ("Coffee beans 250 g", "Кофе в зёрнах 250 г"),
    ("Apples 1 kg", "Яблоки 1 кг"),
    ("Cheese 200 g", "Сыр 200 г"),
    ("Orange juice 1 l", "Апельсиновый сок 1 л"),
    (
        "Address, phone number of POS",
        "Адрес, телефон торговой точки",
    ),
    (
        "The offer has not worked (no bonus points accrued, discount has not calculated etc.)",
        "Не сработало предложение (не начислены бонусы, не рассчитана скидка и т. п.)",
    ),
    ("Vacancies", "Вакансии"),
    (
        "Complaints about the product quality",
        "Жалобы на качество товара",
    ),
    ("Complaints about false weight", "Жалобы на обвес"),
    (
        "Complaints against the call center agent",
        "Жалобы на оператора контакт-центра",
    ),
    (
        "Complaints against POS sellers",
        "Жалобы на продавцов торговой точки",
    ),
    (
        "Complaints about the POS (dirty, prices do not match actual, wrong working time, etc.)",
        "Жалобы на торговую точку (грязно, цены не соответствуют, неверное время работы и т. п.)",
    ),
    (
        "Fraud (For example, gave false currency note, etc.)",
        "Мошенничество (например, дали фальшивую купюру и т. п.)",
    ),
    (
        "Proposal to improve the service in the POS",
        "Предложение по улучшению обслуживания в торговой точке",
    ),
    (
        "Composition, product manufacture",
        "Состав, производство товара",
    ),
    ("Cooperation", "Сотрудничество"),
    ("Customer registration", "Регистрация клиента"),
    (
        "Work on the loyalty program (blocking/unblocking cards, merging accounts, sending a password, etc.)",
        "Работа с программой лояльности (блокировка и разблокировка карт, объединение счетов, отправка пароля и т. п.)",
    ),
    (
        "Call from LP participant using another number",
        "Звонок участника ПЛ с другого номера",
    ),
    (
        "Consultations on Loyalty Program",
        "Консультации по программе лояльности",
    ),
    ("Test call", "Тестовый звонок"),
    ("Refusal to register", "Отказ от регистрации"),
    ("Account balance", "Баланс счёта"),
    ("Change of personal data", "Изменение персональных данных"),
    ("Call diverting to a Partner", "Перевод звонка на партнёра"),
    (
        "Delayed appeal to a partner",
        "Отложенное обращение к партнёру",
    ),
    ("The call fell through", "Звонок прервался"),
    ("Other", "Другое"),
];
