## Pages and frame

app-name = Switchboard
page-not-found = Page not found
page-not-found-title = Not found · Switchboard
back-home = Back to Switchboard
sign-in-title = Sign in · Switchboard
sign-in-lead = Sign in to reach support or to work your queue.
sign-in-error-credentials = Wrong email or password.
sign-in-error-unavailable = Signing in is unavailable right now. Please try again shortly.
sign-in-error-form = Please enter your email and password.
sign-in-error-wait = Too many attempts. Please wait { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} and try again.
email = Email
password = Password
sign-in = Sign in
sign-out = Sign out
language = Language
board-title = Board · Switchboard
support-title = Support · Switchboard
queue = Queue
your-conversations = Your conversations
tickets-shown = tickets shown
new-conversation = New conversation
conversation = Conversation
pick-ticket = Pick a ticket from the queue to read and answer it.
pick-conversation = Pick a conversation, or start a new one: we usually answer within minutes.
role-member = Member
role-operator = Operator
role-moderator = Moderator
role-administrator = Administrator
places = Places
board = Board
administration = Administration
away-hint = Away: members are told nobody is online
away = Away
notifications = Notifications
notifications-unread = Notifications, { $count } unread
mark-all-read = Mark all read
notifications-empty = Nothing yet. Follow a ticket to hear of what happens to it.
unread-mark = · unread
team = Team
team-nobody = No colleague online
team-online = Online: { $names }
team-away = Away: { $names }
team-both = Online: { $online } · Away: { $away }
support = Support
support-online = An operator is online and will answer soon.
support-offline = No operator is online right now: we will answer here as soon as we are back.
link-connecting = Connecting…
link-live = Live
link-reconnecting = Reconnecting…
link-signed-out = Signed out
tickets-count = { $count ->
    [one] { $count } ticket
   *[other] { $count } tickets
}

## Times

just-now = just now
minutes-ago = { $n } min ago
hours-ago = { $n } h ago
days-ago = { $n } d ago
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
date-time = { $day } { $month } { $time }

## Sizes

size-b = { $n } B
size-kb = { $n } KB
size-mb = { $n } MB

## Lists and the board

loading = Loading…
filter-tickets = Filter tickets
filter-placeholder-staff = Filter tickets, search messages
filter-placeholder-member = Search your conversations
no-conversations = No conversations yet.
queue-empty = The queue is empty.
no-match = No tickets match these filters.
tickets = Tickets
conversations = Conversations
archive = Archive
option-status = Status
option-criticality = Criticality
option-category = Category
option-service = Related service
filter-by-status = Filter by status
filter-by-criticality = Filter by criticality
filter-by-category = Filter by category
filter-by-service = Filter by related service
any-status = Any status
any-criticality = Any criticality
any-category = Any category
any-service = Any related service
state-queue = Queue (open)
state-awaiting = Awaiting member
state-archived = Archived
state-all = All tickets
member-number = member #{ $id }
board-filters = Board filters
show-tickets = Show tickets
filter-by-department = Filter by department
every-department = Every department
filter-by-queue = Filter by queue
every-queue = Every queue
member-chip = Member: { $name }
stop-member-filter = Stop filtering by member
searching = Searching…
no-messages-match = No messages match “{ $query }”.
messages-found = { $count ->
    [one] { $count } message
   *[other] { $count } messages
} found for “{ $query }”
messages = Messages
search-results = Search results
hit-archived = archived
hit-closed = closed
hit-open = open
hidden-note = Hidden note
taken-by = Taken by { $name }
taken-by-since = Taken by { $name } · { $since }
someone-replying = { $name } replying
someone-viewing = { $name } viewing
release-from = Release #{ $id } from { $name }
release = Release
new-to-me = New
unread = unread
awaiting-reply = Awaiting reply
archived = Archived
awaiting-member = Awaiting member
status-under-review = Under review
status-new-messages = New messages
status-viewed = Viewed
status-closed = Closed

## The conversation

ticket-number = Ticket #{ $id }
back = Back
here-now = Here now
presence-typing = { $name } · typing…
presence-replying = { $name } · replying
presence-viewing = { $name } · viewing
is-typing = { $name } is typing…
archive-it = Archive
transfer-to-department = Transfer to department
transfer-to = Transfer to…
follow-hint = Be notified of what happens to this ticket
following = Following
follow = Follow
assign-to = Assign to
assign-to-choose = Assign to…
name-you = { $name } (you)
nobody-has-it = Nobody has taken it
take = Take
taken-by-you = Taken by you
active-at = Active at { $department }
rate-answer = Rate the answer
rate-answer-lead = Rate the answer:
someone = Someone
event-opened = { $who } opened this conversation in { $department }
event-taken = { $who } took this ticket
event-released-from = { $who } released this ticket from { $holder }
event-released = { $who } released this ticket
event-closed = { $who } closed this conversation
event-reopened = { $who } reopened this conversation
event-archived = { $who } archived this conversation
event-rated = { $who } rated the answer: { $mark }
event-edited = { $who } edited a message; it read: “{ $previous }”
event-split-off = { $who } split this conversation: it continues in #{ $ticket } “{ $subject }”
event-split-from = { $who } split this conversation off #{ $ticket } “{ $subject }”
event-parameters = { $who } changed the { $changes }
parameter-change = { $field } { $from } → { $to }
field-subject = subject
field-status = status
field-criticality = criticality
field-category = category
field-service = related service
quoted = “{ $text }”
value-none = none
event-transferred = { $who } transferred this conversation to { $department }
event-assigned = { $who } assigned this ticket to { $to }
edit = Edit
quote-hint = Quote the selected passage (or the whole message) in the reply
quote = Quote
split-hint = Move the conversation from this message on into a new ticket
split-confirm = Move this message and the ones after it into a new ticket?
split = Split
split-here = Split from here
edited = edited
sent = Sent
sending = Sending…
not-sent = Not sent: { $why }
retry = Retry
you = You

## Writing

insert-canned = Insert canned response
canned-choose = Canned response…
editing-hint = Editing your message: Enter saves, Esc cancels. The previous text stays in the history.
held-by-other = { $name } has taken this ticket: only they can write to it until it is released.
your-message = Your message
note-placeholder = Hidden note for staff… (Enter saves)
message-placeholder = Write a message… (Enter sends, Shift+Enter for a new line)
save = Save
uploading = Uploading…
add-note = Add note
send = Send
send-and-close = Send and close
hidden-note-toggle = Hidden note (staff only)
notes-by-default = Hidden notes by default
message-too-long = A message is at most { $max } characters.
starting = Starting…
department = Department
subject = Subject
subject-placeholder = In a few words (optional)
message = Message
first-message-placeholder = How can we help? (Enter sends, Shift+Enter for a new line)
first-message-placeholder-touch = How can we help?
files-up-to = Pictures and documents, up to { $size } each
cancel = Cancel
start-conversation = Start conversation

## Parameters

option-closes = { $label } (closes)
all-tickets-of = All tickets of { $name }
someone-else-has-it = Someone else has taken this ticket
edit-parameters = Edit parameters
ticket-parameters = Ticket parameters
save-parameters = Save parameters

## Files

pasted-image = Pasted image.png
larger-than-limit = larger than the { $size } limit
upload-unsupported = this browser cannot upload
upload-cannot-start = cannot start the upload
upload-unreadable-answer = the server's answer was unreadable
upload-broke-off = the connection broke off
upload-refused = refused ({ $status })
upload-cannot-read = cannot read the file
files-to-send = Files to send
uploading-name = Uploading { $name }
upload-ready = Ready
not-uploaded = Not uploaded: { $why }
cancel-uploading = Cancel uploading { $name }
remove-file = Remove { $name }
take-file-out = Take this file out
attach-files = Attach files
attach-hint = Attach files (or drop them here, or paste a screenshot)
attach = Attach
open-full-size = Open { $name } full size
download-name = Download { $name }
attachments = Attachments
download = Download
close-picture = Close picture
close = Close
ticket-moved-away = This ticket has moved to a department you do not work in.
conversation-not-found = This conversation does not exist or is not yours to see.

## Notifications

notify-message = New message: { $text }
notify-mention = Mentioned you: { $text }
notify-note = Hidden note: { $text }
notify-closed = Closed
notify-reopened = Reopened
notify-archived = Archived by the member
notify-transferred = Transferred to { $department }
notify-assigned = Assigned to { $name }
notify-released = Released
notify-rated = Rated: { $mark }
notify-split = Split: continued in #{ $ticket }
notify-parameters = Parameters: { $changes }
change-password = Change password
change-password-lead = Your other sessions are signed out when the password changes.
current-password = Current password
new-password = New password
repeat-password = New password again
new-password-rules = 8 characters or more; not a common password, a sequence or your email address.
password-changed = Password changed. Your other sessions were signed out.
password-mismatch = The two new passwords differ.
password-busy = The server is busy or you tried too often; please try again in a minute.
api-tokens = API tokens
api-tokens-lead = Scripts and integrations (a telephone exchange, your platform) call the HTTP API with a token instead of a password: it acts as its owner, with at most its scope.
new-token = New token
token-name = Name
token-owner = For
token-scope = Scope
token-created = Created
token-last-used = Last used
token-never-used = Never
token-create = Create token
token-revoke = Revoke
token-revoke-named = Revoke token { $name }
token-revoked = Token revoked: it no longer works.
token-made = Token “{ $name }” created
token-copy-now = Copy it now: it is shown this once and cannot be seen again.
token-secret = Secret
token-how-to-use = Send it as the header “Authorization: Bearer …” on HTTP requests.
token-scope-rules = A token can do at most what its owner can; it cannot make tokens or change a password. Revoked tokens stop working at once.
token-too-many = Too many tokens: revoke one first.
token-name-invalid = Give the token a name of at most 80 characters.
token-gone = That token no longer exists.
no-tokens = No tokens yet.
actions = Actions
send-anyway = Send anyway
take-lapsed = Not answered in time
event-lapsed = { $who } left the member waiting { $minutes } min without an answer: back in the queue
notify-lapsed = Back in the queue: not answered within { $minutes } min
event-undelivered = Not delivered by mail to { $to }: { $reason }
notify-undelivered = A reply mailed to { $to } was not delivered
incoming-unknown-sender = From an address no member has
incoming-third-party = Answers a ticket, but not from its member
incoming-automatic = Sent by a program (an automatic reply, a bounce, a list)
incoming-held = The mailbox holds all mail for sorting
incoming-unreadable = Could not be read as a mail; its raw copy is kept
incoming-title = Incoming
incoming-lead = { $count ->
    [one] One mail matched no member or ticket: read it, then make it a ticket, attach it to one, or delete it.
   *[other] { $count } mails matched no member or ticket: read them, then make each a ticket, attach it to one, or delete it.
}
incoming-read = Read the mail
incoming-make-ticket = Make a ticket
incoming-ticket-number = Ticket number
incoming-attach = Attach to ticket
incoming-delete = Delete
incoming-made = Ticket #{ $id } made from the mail.
incoming-attached = The mail is a hidden note of ticket #{ $id } now.
incoming-deleted = The mail was deleted.
incoming-answers = answers #{ $id }
incoming-no-sender = no sender
incoming-no-subject = (no subject)
error-ticket-held = Someone else holds that ticket.
invalid-ticket-number = Give the ticket's number.

## Mail to members
mail-reply-footer = { $department } · ticket #{ $ticket }. To answer, reply to this mail (keep [#{ $ticket }] in the subject).
mail-reply-subject = Re: { $subject } [#{ $ticket }]
mail-file-too-large = { $name }: not attached — larger than { $mb } MB (the raw mail keeps it)
mail-file-refused = { $name }: not attached — a kind of file not accepted (the raw mail keeps it)
mail-file-too-many = { $name }: not attached — the files together pass the limit for one message (the raw mail keeps it)
incoming-spam = Spam
incoming-mark-spam = Spam
incoming-not-spam = Not spam
incoming-spam-title = Spam
incoming-spam-lead = { $count ->
    [0] No spam. Mail the filter takes for spam is kept here 30 days, never put in a queue. It learns from what you mark, and judges nothing until it has learned from 5 spam and 5 good mails.
    [one] One mail taken for spam, kept 30 days. The filter learns from what you mark.
   *[other] { $count } mails taken for spam, kept 30 days. The filter learns from what you mark.
}
incoming-marked-spam = Marked as spam: the filter learned from it.
incoming-marked-not-spam = Not spam: the mail waits to be sorted, and the filter learned from it.
mail-digest-subject = New answer: { $subject } [#{ $ticket }]
mail-replies = Answers by mail
mail-replies-away = when I have not read them
mail-replies-always = always
mail-replies-never = never

## A mail as it came
mail-quoted = Quoted text
mail-original = Original mail
mail-title = Mail: { $subject }
mail-from = From
mail-to = To
mail-cc = Copy
mail-written = Written
mail-received = Received
mail-subject = Subject
mail-files = Files
mail-formatted = The mail as formatted
mail-text = The mail's text
mail-remote-images = { $count ->
    [one] One image from the internet was not loaded (a sender can learn that you read the mail).
   *[other] { $count } images from the internet were not loaded (a sender can learn that you read the mail).
}
mail-show-remote = Show images from the internet
mail-ticket = Ticket #{ $id }
mail-back-incoming = Back to Incoming
mail-marked-not-spam = Not spam: the filter learned from it.
call-subject = Call from { $caller }
event-call-ring = { $caller } called line { $line }
event-call-answer = { $who } answered the call
event-call-hangup = The call ended after { $duration }
event-call-abandon = { $caller } hung up before anyone answered
event-call-ended = { $who } ended the call: { $reason }
event-call-ended-queue = { $who } ended the call: { $reason } — the request goes to the { $queue } queue
notify-call-ended = Call ended: { $reason }
calls-title = Calls
calls-not-agent = Only call-centre agents work calls: an administrator gives you a phone extension in Administration.
calls-to-end = { $count ->
    [one] You have a call to end: choose why it ended before you take the next one.
   *[other] You have { $count } calls to end: choose why each ended before you take the next one.
}
calls-mine = Your call
calls-none-mine = No call of yours now. When you answer one, the caller's card opens here by itself.
calls-ringing = Ringing
calls-none-ringing = Nobody is waiting on your lines.
call-line = line { $line } · since { $at }
call-on = line { $line }
call-on-line = On the line since { $at }
call-over = Hung up at { $at }: end the call
call-request = request #{ $id }
call-new-caller = A new caller: nobody had this number. Ask who they are.
call-end = End a call
call-end-title = End the call
call-reason = Reason
call-choose-reason = Choose a reason
call-close-request = Close the request
call-queue = Send the request to the queue
call-choose-queue = Choose a queue
call-description = Description
saving = Saving…
account-phones = Phones
account-birth-date = Birth date
account-city = City
account-cards = Cards
account-subscriptions = Subscribed to:
account-purchases = Newest purchases
card-number = Number
card-status = Status
card-balance = Balance
card-active = Active
card-blocked = Blocked
card-not_activated = Not activated
card-points = { $count ->
    [one] { $count } point
   *[other] { $count } points
}
purchase-when = When
purchase-where = Where
purchase-amount = Amount
calls-title-to-end = Calls ({ $count } to end)
call-new = new caller
block-lost = Lost
block-stolen = Stolen
block-damaged = Damaged
block-fraud = Suspected fraud
block-members-request = At the member's request
event-account-changed = { $who } changed the caller's account: { $changes }
account-field-name = name
account-field-birth-date = birth date
account-field-city = city
account-field-email = email
account-field-phones = phones
account-field-card = card { $number }
account-field-subscription = mailing “{ $topic }” by { $channel }
account-subscribed = subscribed
account-unsubscribed = not subscribed
card-details = Who the caller is
card-contacts = How to reach the caller
card-save-details = Save details
card-save-contacts = Save contacts
card-action = Action
card-block = Block
card-unblock = Unblock
card-block-one = Block card { $number }
card-unblock-one = Unblock card { $number }
card-block-why = Why card { $number } is blocked
mailing-email = email
mailing-sms = SMS
mailing-push = push
subscription-line = { $topic } by { $channel }
card-requests = Other open requests
card-history = Changes to the account
card-history-line = { $who }: { $changes }
card-reply-to = Answer “{ $subject }”
card-reply = Send to the member
event-calling-back = { $who } is calling back { $number } (try { $attempt })
event-called-back = { $who } called back { $number } (try { $attempt }): { $outcome }
callback-reached = reached
callback-no_answer = no answer
callback-retry_later = asked to be called later
callback-give_up = given up
callbacks-title = Call back
callbacks-waiting = { $count ->
    [0] Nobody waits to be called back.
    [one] { $count } caller waits to be called back.
   *[other] { $count } callers wait to be called back.
}
callback-to = Call back { $who }
callback-offered = Gave up waiting at { $at }. Try { $attempt } of { $max }: take it within a minute, or it goes to another agent.
callback-accept = Call back now
callback-dialing = Your phone rings first, then theirs (try { $attempt } of { $max }).
callback-dial-yourself = Dial the number yourself:
callback-how = How did it go?
callback-say-reached = Reached
callback-say-no_answer = No answer
callback-say-retry_later = Call later
callback-say-give_up = Give up
card-activate = Activate
card-activate-one = Activate card { $number }
card-new-member = Create the caller's member
card-create-member = Create member
purchases-filter = Purchases between two dates
purchases-from = From
purchases-to = To
purchases-show = Show
purchases-older = Older purchases
account-services = Services
service-active = Active
service-suspended = Suspended
service-closed = Closed

## The feedback form
feedback-form = Feedback form
feedback-lead = Tell us what it is about. The answer comes to your conversations here, and by mail if you wish.
feedback-subject-placeholder = In a few words
service-none = Not about one of my services
option-none = Not chosen
answer-by = Answer
answer-by-legend = How should we answer?
answer-by-here = Here, in my conversations
answer-by-confirmation = Here, and confirm by email that you received it
answer-by-email = By email, and here
description = Description
description-placeholder = What happened, what you expected, what you have tried
send-form = Send
sending-form = Sending…
event-form-sent = { $who } sent the feedback form to { $department }
mail-form-received-subject = We have your request: { $subject } [#{ $ticket }]
mail-form-received = Hello, { $name }.

    We have received your request #{ $ticket }, “{ $subject }”. { $how ->
        [email] Our answers will come to this address, and to your conversations in your personal account.
       *[other] We will answer in your conversations in your personal account.
    }
form-subject-required = Give your request a subject.
form-description-required = Describe your question.

## Waiting in line
waiting-taken = An operator is on your request now.
waiting-place = You are number { $place } in line.
waiting-minutes = { $minutes ->
    [one] About a minute.
   *[other] About { $minutes } minutes.
}
waiting-hours = { $hours ->
    [one] About an hour.
   *[other] About { $hours } hours.
}
waiting-answer-by-email = Answer me by email too
waiting-by-email = The answer will come to your email as well.
in-line = No. { $place } in line
in-line-taken = Being answered

# The widget on a host site's pages.
widget-launcher = Support
widget-launcher-unread = { $count ->
    [one] Support, { $count } unread answer
   *[other] Support, { $count } unread answers
}
widget-title = Support chat
widget-close = Close support chat
widget-refused-title = Support could not open here
widget-refused = This page could not sign you in to support. Reload the page to try again; if it keeps happening, write to us by email.

# Members signing themselves up.
sign-up-title = Create an account
sign-up-lead = Your name, your email address and a password. We mail you a link to confirm the address.
sign-up = Create account
sign-up-sent = We sent a link to your address. Follow it within a day to finish creating your account.
sign-up-link-used = This link no longer works: it was used already, or a day has passed. Sign up again.
sign-up-wait = Too many sign-ups from here. Try again in a few minutes.
sign-up-closed = Signing up is not open here. Ask support for an account.
sign-up-have-account = I have an account: sign in
sign-up-check-fields = Check your name and email address.
sign-in-create-account = Create an account
mail-sign-up-subject = Confirm your email address
mail-sign-up = Hello, { $name }.

    To finish creating your support account, follow this link within a day:
    { $link }

    If you did not ask for an account, ignore this mail: none is made.
mail-sign-up-known = Hello.

    Someone asked to create a support account with this address, which has one already. If it was you, sign in at { $link }.

    If it was not you, ignore this mail: nothing has changed.
sign-up-no-mail = This desk cannot send mail yet, so it cannot confirm an address. Ask support for an account.
sign-up-mail-failed = The mail with the link could not be sent just now. Try again in a few minutes.

## The board's views, sort and filters

views = Views
view-mine = Mine
view-unassigned = Unassigned
view-all-open = All open
view-waiting-on-member = Waiting on member
view-archived = Archived
state-waiting-on-member = Waiting on member
sort-by = Sort
sort-longest_waiting = Longest waiting
sort-newest = Newest
sort-last_member_message = Member's last message
sort-criticality = Criticality
past-target = { $count ->
    [one] { $count } past its target
   *[other] { $count } past their target
}
filters = Filters
save-view = Save view
view-name = Name of the view
remove-view = Remove view { $name }
remove-filter = Remove filter { $name }
chip-department = Department: { $name }
chip-queue = Queue: { $name }
chip-status = Status
chip-criticality = Criticality
chip-category = Category
chip-service = Related service
span-seconds = { $n } s
span-minutes = { $n } min
span-hours = { $h } h { $m } min
span-days = { $d } d { $h } h
waiting-for = Awaiting reply · { $waited }
waiting-past-target = Awaiting reply · { $waited } · past target
response-target = Target: answer within { $target }

## The member beside the ticket

about-member = Member
close-member-pane = Close the member's panel
member-phones = Phone
member-since = Member since
internal-comment = Internal comment (staff only, never shown to the member)
save-comment = Save comment
member-services = Services
member-tickets = Tickets
transfer-confirm = Transfer #{ $id } to { $department }?
transfer = Transfer
alert-new-ticket = New ticket: { $subject }
alert-burst = { $count ->
    [one] { $count } update
   *[other] { $count } updates
}

## Each person's settings

settings = Settings
settings-news = When something needs me
setting-title-count = Count in the tab's title and icon
setting-sound = A short sound
setting-desktop = Desktop notifications while I look elsewhere
setting-desktop-refused = The browser does not allow notifications for this desk: allow them in its site settings.
settings-display = Display
setting-theme = Theme
theme-system = As the system
theme-light = Light
theme-dark = Dark
setting-font = Conversation font
font-system = System
font-serif = Serif
font-mono = Monospace
setting-text-size = Conversation text size
size-small = Small
size-normal = Normal
size-large = Large
setting-compact = Compact rows and messages
date-day = { $day } { $month } { $year }
date-full = { $day } { $month } { $year }, { $time }
day-today = Today
day-yesterday = Yesterday

## The keyboard

skip-to-list = Skip to the list
keys-title = Keyboard shortcuts
key-next = Next ticket in the list
key-previous = Previous ticket in the list
key-open = Open the ticket in focus
key-take = Take the open ticket
key-reply = Write a reply
key-note = Switch between a reply and a hidden note
key-search = Search
key-help = Show these shortcuts
key-close = Close a panel or this list
message-placeholder-touch = Write a message…

## The moderator's wall

wall = Wall
wall-title = Moderator's wall
wall-open = { $count ->
    [one] { $count } open ticket
   *[other] { $count } open tickets
}
wall-unassigned = { $count } unassigned
wall-empty = No ticket is open.
wall-departments = Departments
wall-department = Department
wall-open-head = Open
wall-unassigned-head = Unassigned
wall-late-head = Past target
wall-online-head = Online
wall-operators = Team
wall-operator = Colleague
wall-availability = Availability
wall-held-head = Tickets held
status-online = Online
status-away = Away
status-offline = Offline
wall-ticket = Ticket
wall-waiting = Waiting
wall-target = Target
wall-holder = Held by
wall-here = Viewing and replying
wall-actions = Actions
wall-answered = Answered
wall-held-for = { $name } · { $held }
sla-none = No target
sla-within = On time
sla-near = Near target
sla-breached = Past target
reassign = Reassign #{ $id }
canned-responses = Canned responses

## Statistics
stats = Statistics
stats-title = Statistics
stats-lead = What the desk did over the days you choose; tickets by the day they were created, work by the hour it was done.
stats-range = Range
stats-from = From
stats-to = To
stats-departments = Departments
stats-all-departments = none ticked: every department
stats-channels = Channels
stats-all-channels = none ticked: every channel
stats-show = Show
stats-last-7 = Last 7 days
stats-last-30 = Last 30 days
stats-last-365 = Last year
stats-period = { $from } – { $to }
stats-csv = CSV
stats-csv-of = Download “{ $table }” as CSV
stats-chart-of = Chart: { $table }
stats-nothing = Nothing in this range.
stats-own-only = The colleagues' table shows your own work only.
stats-bad-range = Choose a first and a last day, the first not after the last, at most 400 days apart.
stats-contacts = Contacts by channel
stats-call_reasons = Calls by how they ended
stats-categories = Tickets by category
stats-criticality = Tickets by criticality
stats-times = Response and resolution times
stats-operators = Each colleague's work
stats-ratings = Ratings by mark
stats-open_by_age = Open now, by age
stats-tickets = Tickets
stats-calls = Calls
stats-reason = How it ended
stats-mark = Mark
stats-ratings-count = Ratings
stats-age = Age
stats-measure = Measure
stats-median = Median
stats-p90 = 90th percentile
stats-first_response = First response
stats-resolution = Resolution
stats-queue_wait = Wait for the first take
stats-colleague = Colleague
stats-taken = Taken
stats-messages = Messages
stats-notes = Notes
stats-held = Holding time
stats-in-seconds = { $column } (s)
stats-none = Not set
stats-abandoned = The caller gave up
stats-hour = Under an hour
stats-day = 1 to 24 hours
stats-days3 = 1 to 3 days
stats-week = 3 to 7 days
stats-older = Over a week
member-ticket-count = Tickets
member-tickets-open = { $count } ({ $open } open)
member-ratings = Ratings given
member-cards = Loyalty cards
member-purchases = Purchases
diagnostics = Diagnostics
diagnostics-domain = Domain
diagnostics-record = Record
diagnostics-dns = Look up DNS
diagnostics-whois = Whois
diagnostics-running = Looking up…
diagnosis-output = What the lookup found
diagnosis-keep = Keep as hidden note
diagnosis-kept = Kept as a hidden note.
diagnosis-note = { $what } (asked of { $server }):
