//! The demo members' loyalty accounts, as a host platform would have synced them: phone
//! numbers, a city and birth date, a card or two (one blocked), subscriptions, a service or
//! two, and a few months of purchases at the shops of a small chain.

use app::i18n::Lang;
use app::protocol::{
    CardStatus, CardUpsert, MailingChannel, Purchase, PurchaseItem, ServiceStatus, ServiceUpsert,
    Subscription,
};

use super::{DAY, MEMBERS, PEOPLE, say};
use crate::store::{self, MemberRecord, Store};

/// Per demo member: phone, birth date, city.
const DETAILS: [(&str, &str, &str); 5] = [
    ("+79161234501", "1988-03-14", "Moscow"),
    ("+79031234502", "1979-11-02", "Kazan"),
    ("+33612345603", "1994-07-21", "Lyon"),
    ("+2348012345604", "1990-01-30", "Lagos"),
    ("+393471234505", "1985-09-09", "Milan"),
];

/// Shops purchases are made at.
const SHOPS: [&str; 3] = [
    "Store 12, Tverskaya St.",
    "Store 7, Central Market",
    "Online shop",
];

/// What is bought: name, price in minor units.
const GOODS: [(&str, i64); 6] = [
    ("Milk 1 l", 8_900),
    ("Rye bread", 5_500),
    ("Coffee beans 250 g", 49_900),
    ("Apples 1 kg", 12_900),
    ("Cheese 200 g", 31_900),
    ("Orange juice 1 l", 17_900),
];

/// Loads the accounts of the demo members (already made), in `lang`, as of `now`.
pub(super) async fn load(store: &Store, lang: Lang, now: i64) -> Result<(), store::Error> {
    for (i, email) in MEMBERS.iter().enumerate() {
        let (phone, birth_date, city) = DETAILS[i];
        let name = PEOPLE
            .iter()
            .find(|(e, ..)| e == email)
            .map_or(*email, |(_, name, ..)| say(lang, name));
        let external_id = format!("lp-{}", 1001 + i);
        let id = store
            .upsert_member(
                &MemberRecord {
                    external_id: &external_id,
                    name,
                    email,
                    phones: &[phone.to_owned()],
                    birth_date: Some(birth_date),
                    city: Some(say(lang, city)),
                    no_password: crate::passwords::NO_PASSWORD,
                    partial: false,
                },
                now - 50 * DAY,
            )
            .await?;
        let number = format!("27000000{:08}", 1001 + i);
        let balance = 350 + 417 * i as i64;
        store
            .upsert_card(
                id,
                &number,
                &CardUpsert {
                    status: CardStatus::Active,
                    balance,
                    block_reason: None,
                },
                None,
                now - 50 * DAY,
            )
            .await?;
        // Boris lost his first card: it is blocked, the new one not yet activated.
        if i == 1 {
            store
                .upsert_card(
                    id,
                    &number,
                    &CardUpsert {
                        status: CardStatus::Blocked,
                        balance,
                        block_reason: Some(say(lang, "Lost by the member").to_owned()),
                    },
                    None,
                    now - 3 * DAY,
                )
                .await?;
            store
                .upsert_card(
                    id,
                    "2700000099991002",
                    &CardUpsert {
                        status: CardStatus::NotActivated,
                        balance: 0,
                        block_reason: None,
                    },
                    None,
                    now - 3 * DAY,
                )
                .await?;
        }
        // A hosting plan each, at a domain of their own; Boris also has a VPS, suspended.
        let first = email.split('@').next().unwrap_or("member");
        let mut services = vec![(
            format!("svc-{}", 1001 + i),
            if i % 2 == 0 {
                "Hosting Start"
            } else {
                "Hosting Pro"
            },
            "hosting",
            format!("{first}.example.net"),
            ServiceStatus::Active,
        )];
        if i == 1 {
            services.push((
                "svc-2002".into(),
                "VPS 2",
                "vps",
                "vps2002.example.net".into(),
                ServiceStatus::Suspended,
            ));
        }
        for (service_id, name, kind, address, status) in services {
            let service = ServiceUpsert {
                name: name.into(),
                kind: kind.into(),
                address: Some(address),
                status,
            };
            store
                .upsert_service(id, &service_id, &service, now - 50 * DAY)
                .await?;
        }
        let subscriptions = [
            (MailingChannel::Email, "news", true),
            (MailingChannel::Email, "offers", i % 2 == 0),
            (MailingChannel::Sms, "offers", i == 0),
            (MailingChannel::Push, "orders", true),
        ]
        .map(|(channel, topic, subscribed)| Subscription {
            channel,
            topic: topic.to_owned(),
            subscribed,
        });
        store
            .set_subscriptions(id, &subscriptions, now - 50 * DAY)
            .await?;
        for p in 0..6 {
            let items: Vec<PurchaseItem> = (0..=(p + i) % 3)
                .map(|k| {
                    let (name, price) = GOODS[(p + i + k) % GOODS.len()];
                    PurchaseItem {
                        name: say(lang, name).to_owned(),
                        quantity: 1 + (k as i64 % 2),
                        amount: price * (1 + (k as i64 % 2)),
                    }
                })
                .collect();
            let amount: i64 = items.iter().map(|item| item.amount).sum();
            let spent = if p == 4 { 100.min(balance) } else { 0 };
            store
                .upsert_purchase(
                    id,
                    &Purchase {
                        id: format!("r-{}-{p}", 1001 + i),
                        at: now - (45 - 7 * p as i64) * DAY - (i as i64) * 3_600_000,
                        point_of_sale: say(lang, SHOPS[(p + i) % SHOPS.len()]).to_owned(),
                        items,
                        amount,
                        points_earned: amount / 1_000,
                        points_spent: spent,
                    },
                )
                .await?;
        }
    }
    Ok(())
}
