## Why something was refused (the server's error messages; the codes stay the same)

error-ticket-not-found = ticket not found
error-file-not-found = file not found
error-department-not-found = department not found
error-member-not-found = member not found
error-only-members-start = only members can start a conversation
error-ticket-locked = { $by } has taken this ticket; only they can write to it until it is released
error-staff-only = only staff can do that
error-not-holder = only its holder or a moderator can release this ticket
error-administrators-only = only administrators can do that
error-invalid = { $field }: { $reason }
error-not-found = not found
error-unavailable = the database is unavailable; nothing was stored, please retry
error-internal = an internal error occurred; nothing was stored
error-sign-in-first = sign in first
error-bad-credentials = wrong email or password
error-too-large = the request body is too large
error-cross-origin = cross-origin requests are not allowed
error-origin = the Origin header is missing or not allowed
error-file-store = the file store is unavailable, retry later

invalid-no-such-message = no such message
invalid-only-messages-edited = only messages and notes can be edited
state-only-author-edits = only its author can edit a message
invalid-file-unknown = a file is unknown, not yours, or already sent
state-nobody-has-it = nobody has taken this ticket
state-only-member-archives = only the member archives their tickets
state-only-closed-archived = only a closed ticket can be archived
state-only-member-rates = only the member rates the answer
invalid-no-such-mark = no such rating mark
state-no-answer-yet = there is no answer to rate yet
state-already-there = the ticket is already in that department
invalid-no-such-person = there is no such person
invalid-split-at-message = a ticket is split at a message the member can see
invalid-stats-range = give a first and a last day (YYYY-MM-DD), the first not after the last, at most 400 days apart
invalid-domain = a domain name such as shop.example: letters, digits and hyphens between dots
state-first-message-stays = the first message cannot be split off
invalid-nothing-to-change = there is no such thing to change
invalid-cannot-be-stored = cannot be stored
state-own-administration = you cannot take away your own administration: ask another administrator
state-last-mark = members need at least one mark to rate answers with
invalid-staff-roles = staff are operators, moderators or administrators
invalid-status-side = a status puts the ticket on a side: open or closed
invalid-empty-message = a message cannot be empty
invalid-empty = cannot be empty
invalid-email = not an email address
invalid-password-length = a password has 8 to 200 characters
invalid-empty-subject = a subject cannot be empty
invalid-not-your-service = not one of your services
invalid-no-mail-address = your account has no email address we can write to
invalid-no-search-words = type at least one word to search for
state-already-theirs = the ticket is already theirs
invalid-message-files-too-large = the files of one message are at most { $mb } MB together
invalid-no-such-option = there is no { $kind ->
    [status] status
    [criticality] criticality
    [category] category
   *[service] related service
} { $id }
invalid-taken = “{ $name }” is already taken
in-use-department = { $name } holds { $count } tickets: transfer them elsewhere first, or stop offering it to members instead
in-use-option = “{ $name }” is set on { $count } tickets: retire it instead, and they keep it
in-use-queue = { $name } holds { $count } tickets: retire it instead, and they stay in it
in-use-last-queue = { $name } is the last queue of the { $channel ->
    [chat] chat
    [email] email
    [form] feedback form
   *[phone] phone
} channel: add another one first
invalid-no-such-department = there is no department { $id }
invalid-length = 1 to { $max } characters
invalid-too-many-files = a message carries at most { $max } files
invalid-message-too-long = a message is at most { $max } characters
invalid-too-long = at most { $max } characters
invalid-subject-too-long = a subject is at most { $max } characters
invalid-search-too-long = a search is at most { $max } characters
invalid-not-in-department = { $name } does not work in this ticket's department
error-busy = the server is busy; please retry in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}
error-rate-limited = too many attempts; please wait { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
} and try again
invalid-password-common = too easy to guess: avoid common passwords, sequences and one character repeated
invalid-password-email = too easy to guess: do not use your email address in it
invalid-current-password = this is not your current password
state-own-password = change your own password under your name in the top bar, with your current one
error-file-damaged = this file is damaged in the file store and cannot be sent; an administrator can restore it from a backup
state-own-account = you cannot disable your own account: ask another administrator
error-token-not-here = an API token cannot do this: sign in to do it yourself
invalid-token-scope = a token can do at most what its owner does (and a staff token is staff)
invalid-token-count = { $count } tokens is the most one person can hold: revoke one first
error-stale = { $count ->
    [one] a new message arrived while you were writing: read it, then send again
   *[other] { $count } new messages arrived while you were writing: read them, then send again
}
error-stale-parameters = someone else changed these parameters while you were editing: check them, then save again
error-stale-both = { $count ->
    [one] a new message arrived and the parameters changed meanwhile: read it, then try again
   *[other] { $count } new messages arrived and the parameters changed meanwhile: read them, then try again
}
invalid-no-such-mailbox = there is no mailbox named “{ $name }”
invalid-no-such-mail = that mail is not waiting in Incoming messages (someone may have sorted it)
invalid-setting = must be filled in, on one line, at most 255 characters
state-no-secret-key = the desk has no secret key to keep the password with: set secret_key, or let it write its data directory
invalid-external-id = 1 to 64 letters, digits and - _ . :
invalid-phone = a phone number in international form: + and 8 to 15 digits (+79161234567)
invalid-date = not a date (YYYY-MM-DD, between 1900 and 2100)
invalid-card-number = a card number has 4 to 32 digits
invalid-amount = a whole number from 0 up to a trillion
invalid-block-reason = only a blocked card has a reason for it
invalid-too-many-items = a purchase has at most 200 lines
invalid-too-many-phones = a member has at most { $max } phone numbers
invalid-too-many-views = at most { $max } saved views
invalid-target = a whole number of minutes from 1 to { $max }, or empty for none
invalid-held-by-another = another member already has it
invalid-cursor = not a page mark this list gave
state-last-reason = agents need at least one reason to end a call with
invalid-call-token = 1 to 100 visible characters, without spaces
invalid-extension = 1 to 16 letters, digits, - or _
invalid-no-such-agent = no call-centre agent has the extension { $extension }
invalid-no-such-reason = choose a reason from the list
invalid-queue-required = choose the queue the request goes to, or close it
state-not-your-call = this call is not yours to end: only the agent who answered it ends it
state-call-not-answered = this call has not been answered: there is nothing to end yet
state-call-ended = this call was already ended with another reason
error-agents-only = only call-centre agents (staff with a phone extension) work calls
error-member-only = only the ticket's member can choose that
invalid-held-by = { $name } already has it
invalid-not-their-card = not one of this member's cards
state-not-your-callback = this callback is not offered to you
state-callback-moved-on = this callback has moved on: it was taken back or already tried
invalid-origin = “{ $origin }” is not an origin such as https://my.example.com
invalid-origins-count = list 1 to { $max } origins
state-sign-up-closed = signing up is not open here
state-no-mail-out = mail cannot be sent from this desk yet, so an address cannot be confirmed; ask support for an account
state-mail-not-sent = the mail with the link could not be sent just now; try again in a few minutes
diagnostics-silent = The server did not answer within { $seconds } s.
diagnostics-unreachable = The server could not be reached.
diagnostics-malformed = The server's answer could not be read.
diagnostics-no-domain = There is no such domain.
diagnostics-refused = The server refused to answer.
