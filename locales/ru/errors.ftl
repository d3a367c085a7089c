## Почему что-то не получилось (сообщения сервера об ошибках; коды те же)

error-ticket-not-found = запрос не найден
error-file-not-found = файл не найден
error-department-not-found = отдел не найден
error-member-not-found = клиент не найден
error-only-members-start = начать обращение может только клиент
error-ticket-locked = Запрос взят: { $by }. Писать в него может только он(а), пока запрос не освобождён
error-staff-only = это могут делать только сотрудники
error-not-holder = освободить запрос может только тот, кто его взял, или модератор
error-administrators-only = это могут делать только администраторы
error-invalid = { $field }: { $reason }
error-not-found = не найдено
error-unavailable = база данных недоступна; ничего не сохранено, повторите попытку
error-internal = произошла внутренняя ошибка; ничего не сохранено
error-sign-in-first = сначала войдите
error-bad-credentials = неверный адрес почты или пароль
error-too-large = тело запроса слишком велико
error-cross-origin = запросы с других сайтов не принимаются
error-origin = заголовок Origin отсутствует или не разрешён
error-file-store = хранилище файлов недоступно, повторите позже

invalid-no-such-message = такого сообщения нет
invalid-only-messages-edited = исправлять можно только сообщения и комментарии
state-only-author-edits = исправить сообщение может только его автор
invalid-file-unknown = файл неизвестен, не ваш или уже отправлен
state-nobody-has-it = этот запрос никто не брал
state-only-member-archives = отправить запрос в архив может только клиент
state-only-closed-archived = в архив можно отправить только закрытый запрос
state-only-member-rates = оценить ответ может только клиент
invalid-no-such-mark = такой оценки нет
state-no-answer-yet = оценивать пока нечего: ответа ещё не было
state-already-there = запрос уже в этом отделе
invalid-no-such-person = такого человека нет
invalid-split-at-message = разделить запрос можно только по сообщению, которое видит клиент
invalid-stats-range = укажите первый и последний день (ГГГГ-ММ-ДД): первый не позже последнего, не больше 400 дней
invalid-domain = доменное имя вида shop.example: буквы, цифры и дефисы между точками
state-first-message-stays = первое сообщение отделить нельзя
invalid-nothing-to-change = изменять нечего: такого нет
invalid-cannot-be-stored = не удаётся сохранить
state-own-administration = нельзя снять с себя права администратора: попросите другого администратора
state-last-mark = клиентам нужна хотя бы одна оценка, чтобы оценивать ответы
invalid-staff-roles = сотрудник — это оператор, модератор или администратор
invalid-status-side = статус относит запрос к одной из сторон: открыт или закрыт
invalid-empty-message = сообщение не может быть пустым
invalid-empty = не может быть пустым
invalid-email = это не адрес электронной почты
invalid-password-length = в пароле от 8 до 200 символов
invalid-empty-subject = тема не может быть пустой
invalid-not-your-service = это не ваша услуга
invalid-no-mail-address = в вашей учётной записи нет адреса e-mail, на который можно написать
invalid-no-search-words = введите хотя бы одно слово для поиска
state-already-theirs = запрос уже у этого сотрудника
invalid-message-files-too-large = файлы одного сообщения вместе — не больше { $mb } МБ
invalid-no-such-option = { $kind ->
    [status] статуса
    [criticality] уровня критичности
    [category] категории
   *[service] связанной услуги
} { $id } нет
invalid-taken = «{ $name }» уже занято
in-use-department = В отделе «{ $name }» { $count ->
    [one] { $count } запрос
    [few] { $count } запроса
   *[many] { $count } запросов
}: сначала передайте их в другой отдел или перестаньте предлагать отдел клиентам
in-use-option = «{ $name }» стоит { $count ->
    [one] в { $count } запросе
   *[other] в { $count } запросах
}: выведите значение из употребления, и запросы его сохранят
in-use-queue = В очереди «{ $name }» { $count ->
    [one] { $count } запрос
    [few] { $count } запроса
   *[many] { $count } запросов
}: выведите её из употребления, и они в ней останутся
in-use-last-queue = «{ $name }» — последняя очередь канала «{ $channel ->
    [chat] чат
    [email] электронная почта
    [form] форма обратной связи
   *[phone] телефон
}»: сначала добавьте ещё одну
invalid-no-such-department = отдела { $id } нет
invalid-length = от 1 до { $max } символов
invalid-too-many-files = к сообщению можно приложить не больше { $max } файлов
invalid-message-too-long = сообщение — не длиннее { $max } символов
invalid-too-long = не длиннее { $max } символов
invalid-subject-too-long = тема — не длиннее { $max } символов
invalid-search-too-long = поисковый запрос — не длиннее { $max } символов
invalid-not-in-department = { $name } не работает в отделе этого запроса
error-busy = сервер занят, повторите через { $seconds ->
    [one] { $seconds } секунду
    [few] { $seconds } секунды
   *[many] { $seconds } секунд
}
error-rate-limited = слишком много попыток, подождите { $seconds ->
    [one] { $seconds } секунду
    [few] { $seconds } секунды
   *[many] { $seconds } секунд
} и повторите
invalid-password-common = слишком простой: не используйте распространённые пароли, последовательности и один повторяющийся символ
invalid-password-email = слишком простой: не используйте в нём свой адрес почты
invalid-current-password = это не ваш текущий пароль
state-own-password = свой пароль меняйте под своим именем в верхней панели, указав текущий
error-file-damaged = этот файл повреждён в хранилище и не может быть отдан; администратор может восстановить его из резервной копии
state-own-account = нельзя отключить собственную учётную запись: попросите другого администратора
error-token-not-here = API-токен не может этого сделать: войдите и сделайте это сами
invalid-token-scope = токен может не больше, чем его владелец (и токен сотрудника — сотрудника)
invalid-token-count = у одного человека может быть не больше { $count } токенов: сначала отзовите один
error-stale = { $count ->
    [one] пока вы писали, пришло { $count } новое сообщение: прочитайте его и отправьте снова
    [few] пока вы писали, пришло { $count } новых сообщения: прочитайте их и отправьте снова
   *[many] пока вы писали, пришло { $count } новых сообщений: прочитайте их и отправьте снова
}
error-stale-parameters = пока вы редактировали, параметры изменил кто-то другой: проверьте их и сохраните снова
error-stale-both = { $count ->
    [one] тем временем пришло { $count } новое сообщение и изменились параметры: прочитайте его и повторите
    [few] тем временем пришло { $count } новых сообщения и изменились параметры: прочитайте их и повторите
   *[many] тем временем пришло { $count } новых сообщений и изменились параметры: прочитайте их и повторите
}
invalid-no-such-mailbox = почтового ящика «{ $name }» нет
invalid-no-such-mail = этого письма нет во входящих (возможно, его уже разобрали)
invalid-setting = нужно заполнить: одна строка, не больше 255 символов
state-no-secret-key = у службы нет секретного ключа, чтобы сохранить пароль: задайте secret_key или дайте ей писать в каталог данных
invalid-external-id = от 1 до 64 латинских букв, цифр и знаков - _ . :
invalid-phone = номер телефона в международном виде: + и от 8 до 15 цифр (+79161234567)
invalid-date = это не дата (ГГГГ-ММ-ДД, с 1900 по 2100 год)
invalid-card-number = в номере карты от 4 до 32 цифр
invalid-amount = целое число от 0 до триллиона
invalid-block-reason = причина бывает только у заблокированной карты
invalid-too-many-items = в покупке не больше 200 строк
invalid-too-many-phones = у участника не больше { $max } номеров телефона
invalid-too-many-views = не больше { $max } сохранённых видов
invalid-target = целое число минут от 1 до { $max } или пусто, если цели нет
invalid-held-by-another = это уже есть у другого участника
invalid-cursor = это не отметка страницы из этого списка
state-last-reason = операторам нужна хотя бы одна причина, чтобы завершить звонок
invalid-call-token = от 1 до 100 видимых символов, без пробелов
invalid-extension = от 1 до 16 латинских букв, цифр, - или _
invalid-no-such-agent = ни у одного оператора колл-центра нет добавочного { $extension }
invalid-no-such-reason = выберите причину из списка
invalid-queue-required = выберите очередь, в которую уйдёт обращение, или закройте его
state-not-your-call = этот звонок завершает только принявший его оператор
state-call-not-answered = на этот звонок ещё не ответили: завершать пока нечего
state-call-ended = этот звонок уже завершён с другой причиной
error-agents-only = со звонками работают только операторы колл-центра (сотрудники с добавочным номером)
error-member-only = это может выбрать только автор обращения
invalid-held-by = уже указан у участника { $name }
invalid-not-their-card = это не карта этого участника
state-not-your-callback = этот обратный звонок предложен не вам
state-callback-moved-on = этот обратный звонок уже изменился: его забрали или уже попробовали
invalid-origin = «{ $origin }» — не адрес сайта вида https://my.example.com
invalid-origins-count = укажите от 1 до { $max } адресов
state-sign-up-closed = регистрация здесь закрыта
state-no-mail-out = эта служба пока не умеет отправлять почту, поэтому адрес нельзя подтвердить; попросите поддержку создать вам учётную запись
state-mail-not-sent = письмо со ссылкой сейчас не удалось отправить; попробуйте через несколько минут
diagnostics-silent = Сервер не ответил за { $seconds } с.
diagnostics-unreachable = Не удалось связаться с сервером.
diagnostics-malformed = Не удалось прочитать ответ сервера.
diagnostics-no-domain = Такого домена нет.
diagnostics-refused = Сервер отказался отвечать.
