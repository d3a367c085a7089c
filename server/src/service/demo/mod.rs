//! Demo data: two departments, three operators (one in both), a moderator, an administrator,
//! five members and a dozen tickets with histories of varied age. Every demo account signs in
//! with the password [`PASSWORD`].

use app::i18n::Lang;
use app::protocol::{
    Channel, ClientMsgId, DepartmentId, EventKind, Person, Role, TicketStatus, UserId,
};
use tracing::info;

use crate::{
    clock::now,
    store::{self, EventDraft, Store},
};

mod accounts;
mod russian;

use russian::RUSSIAN;

/// The password of every demo account.
pub const PASSWORD: &str = "switchboard";

/// The demo members' emails (load generators and long tests sign them all in).
pub const MEMBERS: [&str; 5] = [
    people::ANNA,
    people::BORIS,
    people::CHLOE,
    people::DAVID,
    people::ELENA,
];

/// The demo people by name — one list for the demo data, the tests and the benchmarks.
pub mod people {
    /// A member: Anna Ivanova.
    pub const ANNA: &str = "anna@example.com";
    /// A member: Boris Kuznetsov.
    pub const BORIS: &str = "boris@example.com";
    /// A member: Chloé Martin.
    pub const CHLOE: &str = "chloe@example.com";
    /// A member: David Okafor.
    pub const DAVID: &str = "david@example.com";
    /// A member: Elena Rossi.
    pub const ELENA: &str = "elena@example.com";
    /// An operator of Customer care and Billing: Olga Petrova.
    pub const OLGA: &str = "olga@desk.example";
    /// An operator of Customer care: Ivan Sokolov.
    pub const IVAN: &str = "ivan@desk.example";
    /// An operator of Billing: Maria Garcia.
    pub const MARIA: &str = "maria@desk.example";
    /// The moderator: Mike Chen.
    pub const MIKE: &str = "mike@desk.example";
    /// The administrator: Ada Lovelace.
    pub const ADA: &str = "ada@desk.example";
}

/// The demo accounts: email, name, role, departments (by index into [`DEPARTMENTS`]).
pub const PEOPLE: &[(&str, &str, Role, &[usize])] = &[
    (people::OLGA, "Olga Petrova", Role::Operator, &[0, 1]),
    (people::IVAN, "Ivan Sokolov", Role::Operator, &[0]),
    (people::MARIA, "Maria Garcia", Role::Operator, &[1]),
    (people::MIKE, "Mike Chen", Role::Moderator, &[0, 1]),
    (people::ADA, "Ada Lovelace", Role::Administrator, &[]),
    (MEMBERS[0], "Anna Ivanova", Role::Member, &[]),
    (MEMBERS[1], "Boris Kuznetsov", Role::Member, &[]),
    (MEMBERS[2], "Chloé Martin", Role::Member, &[]),
    (MEMBERS[3], "David Okafor", Role::Member, &[]),
    (MEMBERS[4], "Elena Rossi", Role::Member, &[]),
];

/// The call-centre agents of the demo and their phone extensions.
const AGENTS: &[(&str, &str)] = &[(people::OLGA, "201"), (people::IVAN, "202")];

/// The demo departments.
pub const DEPARTMENTS: &[&str] = &["Customer care", "Billing"];

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Tickets: member index, department index, age, subject, then alternating member / operator
/// messages (operator index into PEOPLE), each with minutes after the previous one.
type Script = (
    usize,
    usize,
    i64,
    &'static str,
    &'static [(usize, i64, &'static str)],
);

const TICKETS: &[Script] = &[
    (
        5,
        0,
        9 * DAY,
        "Points missing after my last purchase",
        &[
            (
                5,
                0,
                "Hello! I bought groceries on the 3rd but the points never showed up on my card.",
            ),
            (
                1,
                25,
                "Hi Anna, sorry about that. Could you tell me the store and the receipt number?",
            ),
            (5, 40, "Store on Lenina street, receipt 00451-7782."),
            (
                1,
                18,
                "Found it: the points were credited today. You should see 312 points now.",
            ),
            (5, 6, "Yes, I see them. Thank you!"),
        ],
    ),
    (
        6,
        1,
        6 * DAY,
        "Charged twice for the annual plan",
        &[
            (
                6,
                0,
                "My card was charged twice for the annual plan on Monday.",
            ),
            (
                2,
                55,
                "Hello Boris, I can see both charges. The second one is being refunded; it takes 3–5 business days.",
            ),
        ],
    ),
    (
        7,
        0,
        4 * DAY,
        "Card blocked after three wrong PINs",
        &[
            (
                7,
                0,
                "I entered a wrong PIN three times and now my card is blocked. Can you unblock it?",
            ),
            (
                0,
                12,
                "Hi Chloé, for your safety we need to confirm your identity. What is your date of birth?",
            ),
            (7, 30, "12 May 1990."),
        ],
    ),
    (
        8,
        1,
        3 * DAY,
        "Invoice for October has the wrong company name",
        &[(
            8,
            0,
            "The October invoice says Okafor Ltd, it should be Okafor Trading Ltd.",
        )],
    ),
    (
        9,
        0,
        2 * DAY,
        "How do I add a second card to my account?",
        &[
            (
                9,
                0,
                "I have a new card from the store and want to add it to my existing account.",
            ),
            (
                1,
                90,
                "Hello Elena! Go to Cards → Add a card and type the number on its back.",
            ),
            (9, 15, "There is no such menu on my phone."),
        ],
    ),
    (
        5,
        1,
        30 * HOUR,
        "Refund for a returned coffee machine",
        &[(
            5,
            0,
            "I returned a coffee machine last week; when will the refund arrive?",
        )],
    ),
    (
        6,
        0,
        20 * HOUR,
        "Cannot log in to the mobile app",
        &[
            (
                6,
                0,
                "The app says my password is wrong, but it works on the website.",
            ),
            (
                0,
                35,
                "Hi Boris, please update the app to the latest version and try again.",
            ),
        ],
    ),
    (
        7,
        1,
        9 * HOUR,
        "Bonus points expired without warning",
        &[(
            7,
            0,
            "My 2,000 points expired yesterday. I never got a reminder email.",
        )],
    ),
    (
        8,
        0,
        5 * HOUR,
        "Change my phone number",
        &[
            (
                8,
                0,
                "I have a new phone number, +44 20 7946 0018. Please update my card.",
            ),
            (
                1,
                20,
                "Done, David. You will get a confirmation SMS shortly.",
            ),
            (8, 3, "Got it, thanks."),
        ],
    ),
    (
        9,
        1,
        3 * HOUR,
        "Где мой чек за сентябрь?",
        &[(
            9,
            0,
            "Здравствуйте! Не могу найти электронный чек за сентябрь в личном кабинете.",
        )],
    ),
    (
        5,
        0,
        70 * MINUTE,
        "Gift card balance",
        &[(
            5,
            0,
            "How can I check the balance of a gift card I received?",
        )],
    ),
    (
        6,
        1,
        12 * MINUTE,
        "VAT number on receipts",
        &[(
            6,
            0,
            "Could you add my company's VAT number to future receipts? It is GB123456789.",
        )],
    ),
];

/// Canned responses: department index, title, body (with placeholders).
const CANNED: &[(usize, &str, &str)] = &[
    (
        0,
        "Greeting",
        "Hello {member}, thank you for contacting us. My name is {operator} and I will take care of your request #{ticket}.",
    ),
    (
        0,
        "Card unblocked",
        "{member}, your card is unblocked and ready to use. If it happens again, just write to us here.",
    ),
    (
        0,
        "Closing",
        "Is there anything else I can help you with? If not, I will close this conversation. — {operator}, {department}",
    ),
    (
        1,
        "Greeting",
        "Hello {member}, this is {operator} from {department}. I am looking into request #{ticket} now.",
    ),
    (
        1,
        "Refund timing",
        "Refunds take 3–5 business days to reach your card after we approve them, {member}.",
    ),
];

/// Tickets (by index into [`TICKETS`]) that support has already closed.
const CLOSED: &[usize] = &[0, 8];

/// The Russian of an English text of the demo data, if it has one.
fn russian(english: &str) -> Option<&'static str> {
    RUSSIAN
        .iter()
        .find(|(en, _)| *en == english)
        .map(|(_, ru)| *ru)
}

/// A text of the demo data in `lang`.
fn say(lang: Lang, english: &'static str) -> &'static str {
    match lang {
        Lang::En => english,
        Lang::Ru => russian(english).unwrap_or(english),
    }
}

/// A new desk (nobody has an account yet) speaking `lang`: what it seeded for itself in
/// English — queues, ticket options, rating marks, call-end reasons — in its language.
pub async fn seeded_lists_in(store: &Store, lang: Lang) -> Result<(), store::Error> {
    if store.has_users().await? {
        return Ok(());
    }
    seeded_names_in(store, lang).await
}

/// Renames what the desk seeded for itself in English (queues, options, rating marks,
/// call-end reasons).
async fn seeded_names_in(store: &Store, lang: Lang) -> Result<(), store::Error> {
    if lang == Lang::En {
        return Ok(());
    }
    let state = store.admin_state().await?;
    let mut w = store.begin_write().await?;
    for q in &state.queues {
        if let Some(name) = russian(&q.queue.name) {
            w.update_queue(q.queue.id, name).await?;
        }
    }
    for o in &state.options {
        if let Some(label) = russian(&o.option.label) {
            w.update_option(o.option.id, label, o.option.side).await?;
        }
    }
    for m in &state.rating_marks {
        if let Some(label) = russian(&m.label) {
            w.update_mark(m.id, label).await?;
        }
    }
    for r in &state.call_end_reasons {
        if let Some(label) = russian(&r.label) {
            w.update_call_end_reason(r.id, label, r.closes).await?;
        }
    }
    w.commit().await
}

/// Loads the demo data, written in `lang`, unless somebody already has an account.
pub async fn load_if_empty(store: &Store, lang: Lang) -> Result<(), store::Error> {
    if store.has_users().await? {
        info!("the database already has people in it; demo data not loaded");
        return Ok(());
    }
    seeded_names_in(store, lang).await?;
    let started = now();
    let mut departments: Vec<DepartmentId> = Vec::new();
    for name in DEPARTMENTS {
        departments.push(
            store
                .create_department(say(lang, name), started - 60 * DAY)
                .await?,
        );
    }
    // Mail to support@ becomes Customer care's tickets (and new members); billing@, Billing's.
    for (name, address, department, allow_new_members) in [
        ("support", "support@desk.example", 0, true),
        ("billing", "billing@desk.example", 1, false),
    ] {
        let mailbox = app::protocol::Mailbox {
            imap: None,
            id: app::protocol::MailboxId(0),
            name: name.into(),
            address: address.into(),
            department_id: departments[department],
            queue_id: None,
            allow_new_members,
            hold_all: false,
        };
        store.create_mailbox(&mailbox, started).await?;
    }
    for (department, title, body) in CANNED {
        store
            .create_canned_response(
                departments[*department],
                say(lang, title),
                say(lang, body),
                started,
            )
            .await?;
    }
    let hash = crate::passwords::hash_password(PASSWORD)
        .map_err(|e| store::Error::Backend(sqlx::Error::Protocol(e.to_string())))?;
    let mut people: Vec<Person> = Vec::new();
    for (email, name, role, in_departments) in PEOPLE {
        let ids: Vec<DepartmentId> = in_departments.iter().map(|i| departments[*i]).collect();
        let id: UserId = store
            .create_user(
                email,
                say(lang, name),
                *role,
                &hash,
                &ids,
                started - 60 * DAY,
            )
            .await?;
        people.push(Person {
            id,
            name: say(lang, name).to_owned(),
            role: *role,
        });
        if let Some((_, extension)) = AGENTS.iter().find(|(who, _)| who == email) {
            let mut w = store.begin_write().await?;
            w.set_extension(id, Some(extension)).await?;
            w.commit().await?;
        }
    }
    let all_departments = store.departments().await?;
    for (n, (member, department, age, subject, messages)) in TICKETS.iter().enumerate() {
        let member = &people[*member];
        let department_id = departments[*department];
        let department = all_departments
            .iter()
            .find(|d| d.id == department_id)
            .cloned()
            .ok_or(store::Error::NotFound)?;
        let mut at = started - age;
        let mut w = store.begin_write().await?;
        let ticket = w
            .create_ticket(
                member.id,
                department_id,
                say(lang, subject),
                Channel::Chat,
                None,
                at,
            )
            .await?;
        w.append_event(
            ticket,
            EventDraft {
                author: member.clone(),
                kind: EventKind::Created {
                    subject: say(lang, subject).to_owned(),
                    department,
                    form: None,
                },
                client_msg_id: None,
                ref_public_seq: None,
            },
            at,
        )
        .await?;
        for (m, (author, after, body)) in messages.iter().enumerate() {
            at += after * MINUTE;
            let client_msg_id = ClientMsgId::parse(&format!("demo-{n}-{m}")).ok();
            w.append_event(
                ticket,
                EventDraft {
                    author: people[*author].clone(),
                    kind: EventKind::Message {
                        body: say(lang, body).to_owned(),
                        client_msg_id: client_msg_id.clone(),
                        attachments: Vec::new(),
                        mail: None,
                    },
                    client_msg_id,
                    ref_public_seq: None,
                },
                at,
            )
            .await?;
        }
        if CLOSED.contains(&n) {
            w.set_status(ticket, TicketStatus::Closed).await?;
            let closer = people
                .iter()
                .find(|p| p.role == Role::Operator)
                .cloned()
                .ok_or(store::Error::NotFound)?;
            w.append_event(
                ticket,
                EventDraft {
                    author: closer,
                    kind: EventKind::Closed,
                    client_msg_id: None,
                    ref_public_seq: None,
                },
                at + MINUTE,
            )
            .await?;
        }
        w.commit().await?;
    }
    accounts::load(store, lang, started).await?;
    info!(
        people = PEOPLE.len(),
        tickets = TICKETS.len(),
        "demo data loaded"
    );
    Ok(())
}

impl crate::service::Desk {
    /// Loads the demo desk into an empty database; a database with people in it is left as
    /// it is.
    pub async fn load_demo_if_empty(&self, lang: Lang) -> store::Result<()> {
        load_if_empty(&self.store, lang).await
    }
}
