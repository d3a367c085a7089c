## Страницы и рамка

app-name = Switchboard
page-not-found = Страница не найдена
page-not-found-title = Не найдено · Switchboard
back-home = Вернуться в Switchboard
sign-in-title = Вход · Switchboard
sign-in-lead = Войдите, чтобы обратиться в поддержку или работать с очередью.
sign-in-error-credentials = Неверный адрес почты или пароль.
sign-in-error-unavailable = Вход сейчас недоступен. Пожалуйста, попробуйте чуть позже.
sign-in-error-form = Введите адрес почты и пароль.
sign-in-error-wait = Слишком много попыток. Подождите { $seconds ->
    [one] { $seconds } секунду
    [few] { $seconds } секунды
   *[many] { $seconds } секунд
} и попробуйте снова.
email = Электронная почта
password = Пароль
sign-in = Войти
sign-out = Выйти
language = Язык
board-title = Запросы · Switchboard
support-title = Поддержка · Switchboard
queue = Очередь
your-conversations = Ваши обращения
tickets-shown = показано запросов
new-conversation = Новое обращение
conversation = Переписка
pick-ticket = Выберите запрос в очереди, чтобы прочитать его и ответить.
pick-conversation = Выберите обращение или начните новое: обычно мы отвечаем за несколько минут.
role-member = Клиент
role-operator = Оператор
role-moderator = Модератор
role-administrator = Администратор
places = Разделы
board = Запросы
administration = Администрирование
away-hint = Отошёл: клиентам сообщается, что в сети никого нет
away = Отошёл
notifications = Уведомления
notifications-unread = Уведомления, непрочитанных: { $count }
mark-all-read = Отметить все прочитанными
notifications-empty = Пока ничего. Подпишитесь на запрос, чтобы узнавать, что с ним происходит.
unread-mark = · не прочитано
team = Команда
team-nobody = Коллег в сети нет
team-online = В сети: { $names }
team-away = Отошли: { $names }
team-both = В сети: { $online } · Отошли: { $away }
support = Поддержка
support-online = Оператор в сети и скоро ответит.
support-offline = Сейчас операторов в сети нет: мы ответим здесь, как только вернёмся.
link-connecting = Подключение…
link-live = На связи
link-reconnecting = Переподключение…
link-signed-out = Вы вышли
tickets-count = { $count ->
    [one] { $count } запрос
    [few] { $count } запроса
   *[many] { $count } запросов
}

## Время

just-now = только что
minutes-ago = { $n } мин назад
hours-ago = { $n } ч назад
days-ago = { $n } дн. назад
month-1 = янв.
month-2 = февр.
month-3 = марта
month-4 = апр.
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = авг.
month-9 = сент.
month-10 = окт.
month-11 = нояб.
month-12 = дек.
date-time = { $day } { $month } { $time }

## Размеры

size-b = { $n } Б
size-kb = { $n } КБ
size-mb = { $n } МБ

## Списки и очередь

loading = Загрузка…
filter-tickets = Фильтр запросов
filter-placeholder-staff = Фильтр запросов, поиск по сообщениям
filter-placeholder-member = Поиск по вашим обращениям
no-conversations = Обращений пока нет.
queue-empty = Очередь пуста.
no-match = Под эти фильтры запросов нет.
tickets = Запросы
conversations = Обращения
archive = Архив
option-status = Статус
option-criticality = Критичность
option-category = Категория
option-service = Связанная услуга
filter-by-status = Фильтр по статусу
filter-by-criticality = Фильтр по критичности
filter-by-category = Фильтр по категории
filter-by-service = Фильтр по связанной услуге
any-status = Любой статус
any-criticality = Любая критичность
any-category = Любая категория
any-service = Любая связанная услуга
state-queue = Очередь (открытые)
state-awaiting = Ждут клиента
state-archived = В архиве
state-all = Все запросы
member-number = клиент №{ $id }
board-filters = Фильтры очереди
show-tickets = Показать запросы
filter-by-department = Фильтр по отделу
every-department = Все отделы
filter-by-queue = Фильтр по очереди
every-queue = Все очереди
member-chip = Клиент: { $name }
stop-member-filter = Снять фильтр по клиенту
searching = Поиск…
no-messages-match = По запросу «{ $query }» сообщений не найдено.
messages-found = { $count ->
    [one] Найдено { $count } сообщение
    [few] Найдено { $count } сообщения
   *[many] Найдено { $count } сообщений
} по запросу «{ $query }»
messages = Сообщения
search-results = Результаты поиска
hit-archived = в архиве
hit-closed = закрыт
hit-open = открыт
hidden-note = Внутренний комментарий
taken-by = Взят: { $name }
taken-by-since = Взят: { $name } · { $since }
someone-replying = { $name } отвечает
someone-viewing = { $name } просматривает
release-from = Освободить №{ $id } от { $name }
release = Освободить
new-to-me = Новое
unread = не прочитано
awaiting-reply = Ждёт ответа
archived = В архиве
awaiting-member = Ждёт клиента
status-under-review = На рассмотрении
status-new-messages = Новые сообщения
status-viewed = Просмотрен
status-closed = Закрыт

## Переписка

ticket-number = Запрос №{ $id }
back = Назад
here-now = Сейчас здесь
presence-typing = { $name } · печатает…
presence-replying = { $name } · отвечает
presence-viewing = { $name } · просматривает
is-typing = { $name } печатает…
archive-it = В архив
transfer-to-department = Передать в отдел
transfer-to = Передать в…
follow-hint = Получать уведомления о том, что происходит с этим запросом
following = Вы подписаны
follow = Подписаться
assign-to = Назначить
assign-to-choose = Назначить…
name-you = { $name } (вы)
nobody-has-it = Никто не взял
take = Взять
taken-by-you = Взят вами
active-at = Сейчас в отделе «{ $department }»
rate-answer = Оцените ответ
rate-answer-lead = Оцените ответ:
someone = Кто-то
event-opened = { $who } открыл(а) обращение в отделе «{ $department }»
event-taken = { $who } взял(а) запрос
event-released-from = { $who } освободил(а) запрос от { $holder }
event-released = { $who } освободил(а) запрос
event-closed = { $who } закрыл(а) обращение
event-reopened = { $who } снова открыл(а) обращение
event-archived = { $who } отправил(а) обращение в архив
event-rated = { $who } оценил(а) ответ: { $mark }
event-edited = { $who } исправил(а) сообщение; было: «{ $previous }»
event-split-off = { $who } разделил(а) обращение: продолжение в №{ $ticket } «{ $subject }»
event-split-from = { $who } выделил(а) это обращение из №{ $ticket } «{ $subject }»
event-parameters = { $who } изменил(а): { $changes }
parameter-change = { $field } { $from } → { $to }
field-subject = тема
field-status = статус
field-criticality = критичность
field-category = категория
field-service = связанная услуга
quoted = «{ $text }»
value-none = нет
event-transferred = { $who } передал(а) обращение в отдел «{ $department }»
event-assigned = { $who } назначил(а) запрос: { $to }
edit = Изменить
quote-hint = Процитировать выделенный фрагмент (или всё сообщение) в ответе
quote = Цитировать
split-hint = Перенести переписку начиная с этого сообщения в новый запрос
split-confirm = Перенести это сообщение и следующие за ним в новый запрос?
split = Разделить
split-here = Разделить отсюда
edited = изменено
sent = Отправлено
sending = Отправка…
not-sent = Не отправлено: { $why }
retry = Повторить
you = Вы

## Ответ

insert-canned = Вставить шаблон ответа
canned-choose = Шаблон ответа…
editing-hint = Исправление сообщения: Enter сохраняет, Esc отменяет. Прежний текст останется в истории.
held-by-other = Запрос взят: { $name }. Писать в него может только он(а), пока запрос не освобождён.
your-message = Ваше сообщение
note-placeholder = Внутренний комментарий для сотрудников… (Enter сохраняет)
message-placeholder = Напишите сообщение… (Enter отправляет, Shift+Enter — новая строка)
save = Сохранить
uploading = Загрузка…
add-note = Добавить комментарий
send = Отправить
send-and-close = Отправить и закрыть
hidden-note-toggle = Внутренний комментарий (только сотрудникам)
notes-by-default = Скрывать и не уведомлять по умолчанию
message-too-long = Сообщение — не длиннее { $max } символов.
starting = Создаём обращение…
department = Отдел
subject = Тема
subject-placeholder = В двух словах (необязательно)
message = Сообщение
first-message-placeholder = Чем мы можем помочь? (Enter отправляет, Shift+Enter — новая строка)
first-message-placeholder-touch = Чем мы можем помочь?
files-up-to = Изображения и документы, каждый до { $size }
cancel = Отмена
start-conversation = Начать обращение

## Параметры

option-closes = { $label } (закрывает)
all-tickets-of = Все запросы клиента { $name }
someone-else-has-it = Запрос взят другим сотрудником
edit-parameters = Изменить параметры
ticket-parameters = Параметры запроса
save-parameters = Сохранить параметры

## Файлы

pasted-image = Вставленное изображение.png
larger-than-limit = больше предела в { $size }
upload-unsupported = этот браузер не умеет загружать файлы
upload-cannot-start = не удаётся начать загрузку
upload-unreadable-answer = ответ сервера не удалось прочитать
upload-broke-off = соединение прервалось
upload-refused = отклонено ({ $status })
upload-cannot-read = не удаётся прочитать файл
files-to-send = Файлы к отправке
uploading-name = Загружается { $name }
upload-ready = Готово
not-uploaded = Не загружено: { $why }
cancel-uploading = Отменить загрузку { $name }
remove-file = Убрать { $name }
take-file-out = Убрать этот файл
attach-files = Прикрепить файлы
attach-hint = Прикрепить файлы (или перетащите их сюда, или вставьте снимок экрана)
attach = Прикрепить
open-full-size = Открыть { $name } в полном размере
download-name = Скачать { $name }
attachments = Вложения
download = Скачать
close-picture = Закрыть изображение
close = Закрыть
ticket-moved-away = Запрос передан в отдел, в котором вы не работаете.
conversation-not-found = Такого обращения нет, или оно не ваше.

## Уведомления

notify-message = Новое сообщение: { $text }
notify-mention = Упомянул(а) вас: { $text }
notify-note = Внутренний комментарий: { $text }
notify-closed = Закрыт
notify-reopened = Открыт снова
notify-archived = Клиент отправил в архив
notify-transferred = Передан в отдел «{ $department }»
notify-assigned = Назначен: { $name }
notify-released = Освобождён
notify-rated = Оценка: { $mark }
notify-split = Разделён: продолжение в №{ $ticket }
notify-parameters = Параметры: { $changes }
change-password = Сменить пароль
change-password-lead = После смены пароля остальные ваши сеансы будут завершены.
current-password = Текущий пароль
new-password = Новый пароль
repeat-password = Новый пароль ещё раз
new-password-rules = Не короче 8 символов; не распространённый пароль, не последовательность и не ваш адрес почты.
password-changed = Пароль изменён. Остальные ваши сеансы завершены.
password-mismatch = Новые пароли не совпадают.
password-busy = Сервер занят или попыток было слишком много; попробуйте через минуту.
api-tokens = API-токены
api-tokens-lead = Скрипты и интеграции (телефонная станция, ваша платформа) обращаются к HTTP API с токеном вместо пароля: он действует от имени владельца, но не больше своей области.
new-token = Новый токен
token-name = Название
token-owner = Для кого
token-scope = Область
token-created = Создан
token-last-used = Последнее использование
token-never-used = Не использовался
token-create = Создать токен
token-revoke = Отозвать
token-revoke-named = Отозвать токен { $name }
token-revoked = Токен отозван и больше не действует.
token-made = Токен «{ $name }» создан
token-copy-now = Скопируйте его сейчас: он показывается один раз, и увидеть его снова нельзя.
token-secret = Секрет
token-how-to-use = Передавайте его в заголовке «Authorization: Bearer …» в HTTP-запросах.
token-scope-rules = Токен может не больше, чем его владелец; он не может создавать токены или менять пароль. Отозванный токен сразу перестаёт действовать.
token-too-many = Слишком много токенов: сначала отзовите один.
token-name-invalid = Дайте токену название не длиннее 80 символов.
token-gone = Этого токена больше нет.
no-tokens = Токенов пока нет.
actions = Действия
send-anyway = Всё равно отправить
take-lapsed = Не отвечен вовремя
event-lapsed = { $who } не отвечал(а) клиенту { $minutes } мин: запрос вернулся в очередь
notify-lapsed = Вернулся в очередь: нет ответа { $minutes } мин
event-undelivered = Письмо на { $to } не доставлено: { $reason }
notify-undelivered = Ответ, отправленный письмом на { $to }, не доставлен
incoming-unknown-sender = С адреса, которого нет ни у одного клиента
incoming-third-party = Отвечает на запрос, но не от его клиента
incoming-automatic = Отправлено программой (автоответ, возврат, рассылка)
incoming-held = Ящик задерживает всю почту для разбора
incoming-unreadable = Не удалось прочитать как письмо; исходная копия сохранена
incoming-title = Входящие
incoming-lead = { $count ->
    [one] { $count } письмо не совпало ни с клиентом, ни с запросом: прочитайте его, затем сделайте запросом, прикрепите к запросу или удалите.
    [few] { $count } письма не совпали ни с клиентом, ни с запросом: прочитайте их, затем сделайте каждое запросом, прикрепите к запросу или удалите.
   *[many] { $count } писем не совпали ни с клиентом, ни с запросом: прочитайте их, затем сделайте каждое запросом, прикрепите к запросу или удалите.
}
incoming-read = Прочитать письмо
incoming-make-ticket = Сделать запросом
incoming-ticket-number = Номер запроса
incoming-attach = Прикрепить к запросу
incoming-delete = Удалить
incoming-made = Из письма создан запрос №{ $id }.
incoming-attached = Письмо стало скрытой заметкой запроса №{ $id }.
incoming-deleted = Письмо удалено.
incoming-answers = отвечает на №{ $id }
incoming-no-sender = без отправителя
incoming-no-subject = (без темы)
error-ticket-held = Этот запрос взят другим сотрудником.
invalid-ticket-number = Укажите номер запроса.

## Письма клиентам
mail-reply-footer = { $department } · обращение №{ $ticket }. Чтобы ответить, ответьте на это письмо (сохраните [#{ $ticket }] в теме).
mail-reply-subject = Re: { $subject } [#{ $ticket }]
mail-file-too-large = { $name }: не приложен — больше { $mb } МБ (остался в исходном письме)
mail-file-refused = { $name }: не приложен — такие файлы не принимаются (остался в исходном письме)
mail-file-too-many = { $name }: не приложен — вместе файлы больше предела для одного сообщения (остался в исходном письме)
incoming-spam = Спам
incoming-mark-spam = Спам
incoming-not-spam = Не спам
incoming-spam-title = Спам
incoming-spam-lead = { $count ->
    [0] Спама нет. Письма, которые фильтр считает спамом, хранятся здесь 30 дней и никогда не попадают в очередь. Фильтр учится на ваших отметках и ничего не решает, пока не узнает хотя бы 5 писем со спамом и 5 обычных.
    [one] { $count } письмо сочтено спамом, хранится 30 дней. Фильтр учится на ваших отметках.
    [few] { $count } письма сочтены спамом, хранятся 30 дней. Фильтр учится на ваших отметках.
   *[many] { $count } писем сочтены спамом, хранятся 30 дней. Фильтр учится на ваших отметках.
}
incoming-marked-spam = Отмечено как спам: фильтр это учёл.
incoming-marked-not-spam = Не спам: письмо ждёт разбора, фильтр это учёл.
mail-digest-subject = Новый ответ: { $subject } [#{ $ticket }]
mail-replies = Ответы по почте
mail-replies-away = если они ещё не прочитаны
mail-replies-always = всегда
mail-replies-never = никогда

## Письмо как оно пришло
mail-quoted = Цитата
mail-original = Исходное письмо
mail-title = Письмо: { $subject }
mail-from = От
mail-to = Кому
mail-cc = Копия
mail-written = Написано
mail-received = Получено
mail-subject = Тема
mail-files = Файлы
mail-formatted = Письмо с оформлением
mail-text = Текст письма
mail-remote-images = { $count ->
    [one] { $count } изображение из интернета не загружено (отправитель может узнать, что письмо прочитано).
    [few] { $count } изображения из интернета не загружены (отправитель может узнать, что письмо прочитано).
   *[many] { $count } изображений из интернета не загружено (отправитель может узнать, что письмо прочитано).
}
mail-show-remote = Показать изображения из интернета
mail-ticket = Обращение №{ $id }
mail-back-incoming = К входящим
mail-marked-not-spam = Не спам: фильтр это учёл.
call-subject = Звонок с номера { $caller }
event-call-ring = { $caller } позвонил(а) на линию { $line }
event-call-answer = { $who } ответил(а) на звонок
event-call-hangup = Звонок завершён, разговор длился { $duration }
event-call-abandon = { $caller } положил(а) трубку, не дождавшись ответа
event-call-ended = { $who } завершил(а) звонок: { $reason }
event-call-ended-queue = { $who } завершил(а) звонок: { $reason } — обращение уходит в очередь «{ $queue }»
notify-call-ended = Звонок завершён: { $reason }
calls-title = Звонки
calls-not-agent = Со звонками работают только операторы колл-центра: администратор задаёт добавочный номер в разделе «Администрирование».
calls-to-end = { $count ->
    [one] Завершите { $count } звонок: выберите причину, прежде чем брать следующий.
    [few] Завершите { $count } звонка: выберите причину каждого, прежде чем брать следующий.
   *[many] Завершите { $count } звонков: выберите причину каждого, прежде чем брать следующий.
}
calls-mine = Ваш звонок
calls-none-mine = Сейчас у вас нет звонка. Когда вы ответите, карточка звонящего откроется здесь сама.
calls-ringing = Звонят
calls-none-ringing = На ваших линиях никто не ждёт.
call-line = линия { $line } · с { $at }
call-on = линия { $line }
call-on-line = На линии с { $at }
call-over = Положил(а) трубку в { $at }: завершите звонок
call-request = обращение №{ $id }
call-new-caller = Новый абонент: этого номера ещё не было. Спросите, кто звонит.
call-end = Завершить звонок
call-end-title = Завершение звонка
call-reason = Причина
call-choose-reason = Выберите причину
call-close-request = Закрыть обращение
call-queue = Передать обращение в очередь
call-choose-queue = Выберите очередь
call-description = Описание
saving = Сохраняем…
account-phones = Телефоны
account-birth-date = Дата рождения
account-city = Город
account-cards = Карты
account-subscriptions = Подписки:
account-purchases = Последние покупки
card-number = Номер
card-status = Статус
card-balance = Баланс
card-active = Активна
card-blocked = Заблокирована
card-not_activated = Не активирована
card-points = { $count ->
    [one] { $count } балл
    [few] { $count } балла
   *[many] { $count } баллов
}
purchase-when = Когда
purchase-where = Где
purchase-amount = Сумма
calls-title-to-end = Звонки (завершить: { $count })
call-new = новый абонент
block-lost = Утеряна
block-stolen = Украдена
block-damaged = Повреждена
block-fraud = Подозрение на мошенничество
block-members-request = По просьбе участника
event-account-changed = { $who } изменил(а) данные звонящего: { $changes }
account-field-name = имя
account-field-birth-date = дата рождения
account-field-city = город
account-field-email = электронная почта
account-field-phones = телефоны
account-field-card = карта { $number }
account-field-subscription = рассылка «{ $topic }» по каналу { $channel }
account-subscribed = подписан(а)
account-unsubscribed = не подписан(а)
card-details = Кто звонит
card-contacts = Как связаться
card-save-details = Сохранить данные
card-save-contacts = Сохранить контакты
card-action = Действие
card-block = Заблокировать
card-unblock = Разблокировать
card-block-one = Заблокировать карту { $number }
card-unblock-one = Разблокировать карту { $number }
card-block-why = Причина блокировки карты { $number }
mailing-email = почта
mailing-sms = SMS
mailing-push = push
subscription-line = { $topic }, канал: { $channel }
card-requests = Другие открытые обращения
card-history = Изменения данных
card-history-line = { $who }: { $changes }
card-reply-to = Ответ на «{ $subject }»
card-reply = Отправить участнику
event-calling-back = { $who } перезванивает на { $number } (попытка { $attempt })
event-called-back = { $who } перезвонил(а) на { $number } (попытка { $attempt }): { $outcome }
callback-reached = дозвонились
callback-no_answer = не ответили
callback-retry_later = просили перезвонить позже
callback-give_up = больше не звонить
callbacks-title = Перезвонить
callbacks-waiting = { $count ->
    [0] Никто не ждёт обратного звонка.
    [one] { $count } абонент ждёт обратного звонка.
    [few] { $count } абонента ждут обратного звонка.
   *[many] { $count } абонентов ждут обратного звонка.
}
callback-to = Перезвонить: { $who }
callback-offered = Не дождался ответа в { $at }. Попытка { $attempt } из { $max }: возьмите звонок в течение минуты, иначе он уйдёт другому оператору.
callback-accept = Перезвонить сейчас
callback-dialing = Сначала зазвонит ваш телефон, затем — абонента (попытка { $attempt } из { $max }).
callback-dial-yourself = Наберите номер сами:
callback-how = Чем закончилось?
callback-say-reached = Дозвонились
callback-say-no_answer = Не ответили
callback-say-retry_later = Перезвонить позже
callback-say-give_up = Больше не звонить
card-activate = Активировать
card-activate-one = Активировать карту { $number }
card-new-member = Новый участник для звонящего
card-create-member = Создать участника
purchases-filter = Покупки за период
purchases-from = С
purchases-to = По
purchases-show = Показать
purchases-older = Покупки раньше
account-services = Услуги
service-active = Активна
service-suspended = Приостановлена
service-closed = Закрыта

## Форма обратной связи
feedback-form = Форма обратной связи
feedback-lead = Расскажите, о чём вопрос. Ответ придёт в ваши обращения здесь, а если хотите — и на почту.
feedback-subject-placeholder = В двух словах
service-none = Не о моей услуге
option-none = Не выбрано
answer-by = Ответ
answer-by-legend = Как вам ответить?
answer-by-here = Здесь, в моих обращениях
answer-by-confirmation = Здесь, с подтверждением получения по e-mail
answer-by-email = По e-mail и здесь
description = Описание
description-placeholder = Что случилось, чего вы ожидали, что уже пробовали
send-form = Отправить
sending-form = Отправляем…
event-form-sent = { $who } отправил(а) форму обратной связи в отдел «{ $department }»
mail-form-received-subject = Ваше обращение получено: { $subject } [#{ $ticket }]
mail-form-received = Здравствуйте, { $name }!

    Мы получили ваше обращение №{ $ticket } «{ $subject }». { $how ->
        [email] Ответы придут на этот адрес и в ваши обращения в личном кабинете.
       *[other] Мы ответим в ваших обращениях в личном кабинете.
    }
form-subject-required = Укажите тему обращения.
form-description-required = Опишите ваш вопрос.

## Очередь
waiting-taken = Оператор уже занимается вашим обращением.
waiting-place = Вы { $place }-й в очереди.
waiting-minutes = Примерно { $minutes } { $minutes ->
    [one] минута
    [few] минуты
   *[many] минут
}.
waiting-hours = Примерно { $hours } { $hours ->
    [one] час
    [few] часа
   *[many] часов
}.
waiting-answer-by-email = Ответьте мне и по e-mail
waiting-by-email = Ответ придёт и на ваш e-mail.
in-line = { $place }-й в очереди
in-line-taken = Оператор отвечает

# The widget on a host site's pages.
widget-launcher = Поддержка
widget-launcher-unread = { $count ->
    [one] Поддержка, { $count } непрочитанный ответ
    [few] Поддержка, { $count } непрочитанных ответа
   *[many] Поддержка, { $count } непрочитанных ответов
}
widget-title = Чат поддержки
widget-close = Закрыть чат поддержки
widget-refused-title = Поддержка не открылась на этой странице
widget-refused = Страница не смогла войти в поддержку от вашего имени. Обновите страницу и попробуйте снова; если это повторяется, напишите нам по почте.

# Members signing themselves up.
sign-up-title = Регистрация
sign-up-lead = Ваше имя, адрес электронной почты и пароль. Мы пришлём на адрес ссылку, чтобы его подтвердить.
sign-up = Зарегистрироваться
sign-up-sent = Мы отправили ссылку на ваш адрес. Перейдите по ней в течение суток, чтобы завершить регистрацию.
sign-up-link-used = Эта ссылка больше не действует: по ней уже переходили или прошли сутки. Зарегистрируйтесь снова.
sign-up-wait = Слишком много регистраций отсюда. Попробуйте через несколько минут.
sign-up-closed = Регистрация здесь закрыта. Попросите поддержку создать вам учётную запись.
sign-up-have-account = У меня есть учётная запись: войти
sign-up-check-fields = Проверьте имя и адрес электронной почты.
sign-in-create-account = Зарегистрироваться
mail-sign-up-subject = Подтвердите адрес электронной почты
mail-sign-up = Здравствуйте, { $name }.

    Чтобы завершить регистрацию в поддержке, перейдите по ссылке в течение суток:
    { $link }

    Если вы не регистрировались, просто не обращайте внимания на это письмо: учётная запись не будет создана.
mail-sign-up-known = Здравствуйте.

    Кто-то попросил зарегистрироваться в поддержке с этим адресом, но у него уже есть учётная запись. Если это были вы, войдите: { $link }.

    Если это были не вы, не обращайте внимания на это письмо: ничего не изменилось.
sign-up-no-mail = Эта служба пока не умеет отправлять почту, поэтому не может подтвердить адрес. Попросите поддержку создать вам учётную запись.
sign-up-mail-failed = Письмо со ссылкой сейчас не удалось отправить. Попробуйте через несколько минут.

## The board's views, sort and filters

views = Виды
view-mine = Мои
view-unassigned = Ничьи
view-all-open = Все открытые
view-waiting-on-member = Ждут клиента
view-archived = В архиве
state-waiting-on-member = Ждут клиента
sort-by = Порядок
sort-longest_waiting = Дольше всех ждут
sort-newest = Сначала новые
sort-last_member_message = Последнее сообщение клиента
sort-criticality = Критичность
past-target = { $count ->
    [one] { $count } обращение вышло за срок
    [few] { $count } обращения вышли за срок
   *[many] { $count } обращений вышло за срок
}
filters = Фильтры
save-view = Сохранить вид
view-name = Название вида
remove-view = Удалить вид { $name }
remove-filter = Снять фильтр { $name }
chip-department = Отдел: { $name }
chip-queue = Очередь: { $name }
chip-status = Статус
chip-criticality = Критичность
chip-category = Категория
chip-service = Услуга
span-seconds = { $n } с
span-minutes = { $n } мин
span-hours = { $h } ч { $m } мин
span-days = { $d } дн. { $h } ч
waiting-for = Ждёт ответа · { $waited }
waiting-past-target = Ждёт ответа · { $waited } · срок вышел
response-target = Цель: ответить за { $target }

## The member beside the ticket

about-member = Клиент
close-member-pane = Закрыть панель клиента
member-phones = Телефон
member-since = Клиент с
internal-comment = Внутренний комментарий (только для сотрудников, клиент его не видит)
save-comment = Сохранить комментарий
member-services = Услуги
member-tickets = Обращения
transfer-confirm = Передать обращение №{ $id } в отдел «{ $department }»?
transfer = Передать
alert-new-ticket = Новое обращение: { $subject }
alert-burst = { $count ->
    [one] { $count } новость
    [few] { $count } новости
   *[many] { $count } новостей
}

## Each person's settings

settings = Настройки
settings-news = Когда я нужен
setting-title-count = Число во вкладке и её значке
setting-sound = Короткий звук
setting-desktop = Уведомления на рабочем столе, когда я в другом окне
setting-desktop-refused = Браузер не разрешает уведомления этого сайта: разрешите их в настройках сайта.
settings-display = Вид
setting-theme = Тема
theme-system = Как в системе
theme-light = Светлая
theme-dark = Тёмная
setting-font = Шрифт переписки
font-system = Системный
font-serif = С засечками
font-mono = Моноширинный
setting-text-size = Размер текста переписки
size-small = Мелкий
size-normal = Обычный
size-large = Крупный
setting-compact = Плотные строки и сообщения
date-day = { $day } { $month } { $year }
date-full = { $day } { $month } { $year }, { $time }
day-today = Сегодня
day-yesterday = Вчера

## The keyboard

skip-to-list = Перейти к списку
keys-title = Клавиши
key-next = Следующее обращение в списке
key-previous = Предыдущее обращение в списке
key-open = Открыть выбранное обращение
key-take = Взять открытое обращение
key-reply = Написать ответ
key-note = Переключить ответ и скрытую заметку
key-search = Поиск
key-help = Показать эти клавиши
key-close = Закрыть панель или этот список
message-placeholder-touch = Напишите сообщение…

## Обзор модератора

wall = Обзор
wall-title = Обзор модератора
wall-open = { $count ->
    [one] { $count } открытое обращение
    [few] { $count } открытых обращения
   *[many] { $count } открытых обращений
}
wall-unassigned = { $count ->
    [one] { $count } ничьё
    [few] { $count } ничьих
   *[many] { $count } ничьих
}
wall-empty = Открытых обращений нет.
wall-departments = Отделы
wall-department = Отдел
wall-open-head = Открыто
wall-unassigned-head = Ничьи
wall-late-head = Срок вышел
wall-online-head = В сети
wall-operators = Команда
wall-operator = Сотрудник
wall-availability = Доступность
wall-held-head = Взято обращений
status-online = В сети
status-away = Отошёл
status-offline = Не в сети
wall-ticket = Обращение
wall-waiting = Ждёт
wall-target = Срок
wall-holder = Кто взял
wall-here = Смотрят и отвечают
wall-actions = Действия
wall-answered = Отвечено
wall-held-for = { $name } · { $held }
sla-none = Без срока
sla-within = В срок
sla-near = Срок близко
sla-breached = Срок вышел
reassign = Передать №{ $id } другому
canned-responses = Готовые ответы

## Статистика
stats = Статистика
stats-title = Статистика
stats-lead = Что сделано за выбранные дни: обращения — по дню создания, работа — по часу, когда она сделана.
stats-range = Период
stats-from = С
stats-to = По
stats-departments = Отделы
stats-all-departments = ничего не отмечено — все отделы
stats-channels = Каналы
stats-all-channels = ничего не отмечено — все каналы
stats-show = Показать
stats-last-7 = Последние 7 дней
stats-last-30 = Последние 30 дней
stats-last-365 = Последний год
stats-period = { $from } – { $to }
stats-csv = CSV
stats-csv-of = Скачать «{ $table }» в CSV
stats-chart-of = Диаграмма: { $table }
stats-nothing = За этот период ничего нет.
stats-own-only = В таблице сотрудников — только ваша работа.
stats-bad-range = Выберите первый и последний день: первый не позже последнего, не больше 400 дней.
stats-contacts = Обращения по каналам
stats-call_reasons = Звонки по причинам завершения
stats-categories = Обращения по категориям
stats-criticality = Обращения по критичности
stats-times = Время ответа и решения
stats-operators = Работа сотрудников
stats-ratings = Оценки
stats-open_by_age = Открыты сейчас, по возрасту
stats-tickets = Обращения
stats-calls = Звонки
stats-reason = Чем завершился
stats-mark = Оценка
stats-ratings-count = Оценок
stats-age = Возраст
stats-measure = Показатель
stats-median = Медиана
stats-p90 = 90-й перцентиль
stats-first_response = Первый ответ
stats-resolution = Решение
stats-queue_wait = Ожидание до взятия в работу
stats-colleague = Сотрудник
stats-taken = Взято
stats-messages = Сообщений
stats-notes = Заметок
stats-held = Время в работе
stats-in-seconds = { $column } (с)
stats-none = Не указано
stats-abandoned = Звонящий не дождался
stats-hour = Меньше часа
stats-day = От 1 до 24 часов
stats-days3 = От 1 до 3 дней
stats-week = От 3 до 7 дней
stats-older = Больше недели
member-ticket-count = Обращения
member-tickets-open = { $count } (открыто: { $open })
member-ratings = Оценки
member-cards = Карты лояльности
member-purchases = Покупки
diagnostics = Диагностика
diagnostics-domain = Домен
diagnostics-record = Запись
diagnostics-dns = Запрос DNS
diagnostics-whois = Whois
diagnostics-running = Идёт запрос…
diagnosis-output = Результат запроса
diagnosis-keep = Сохранить скрытой заметкой
diagnosis-kept = Сохранено скрытой заметкой.
diagnosis-note = { $what } (сервер { $server }):
