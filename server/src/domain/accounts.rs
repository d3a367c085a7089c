//! The values of a member's account as the host platform sends them, parsed once: ids,
//! phone numbers in E.164, dates, card numbers, topics, purchases. Each refusal names the
//! field and why.

use app::protocol::{CardStatus, CardUpsert, Purchase, PurchaseItem};

use super::{Error, Label, Reason};

/// Longest city, topic, point of sale or item name.
const MAX_TEXT_CHARS: usize = 200;
/// Most lines in one purchase.
pub const MAX_ITEMS: usize = 200;
/// Largest amount or balance taken (in minor units or points).
const MAX_AMOUNT: i64 = 1_000_000_000_000;
/// Most phone numbers one member holds.
pub const MAX_PHONES: usize = 10;

fn invalid(field: &'static str, key: &'static str) -> Error {
    Error::Invalid {
        field,
        reason: Reason::new(key),
    }
}

/// An id of the host platform's (a member's, a purchase's): 1 to 64 letters, digits and
/// `-_.:`, so that it is safe in a path.
pub fn external_id(field: &'static str, raw: &str) -> Result<String, Error> {
    let ok = !raw.is_empty()
        && raw.len() <= 64
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(invalid(field, "invalid-external-id"))
    }
}

/// A phone number in E.164: `+`, then 8 to 15 digits not starting with 0 (spaces, dashes and
/// brackets as people write them are dropped).
pub fn phone(raw: &str) -> Result<String, Error> {
    let kept: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = kept.strip_prefix('+').unwrap_or("");
    let ok = (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(kept)
    } else {
        Err(invalid("phones", "invalid-phone"))
    }
}

/// A birth date as `YYYY-MM-DD`, a real day between 1900 and 2100.
pub fn birth_date(raw: &str) -> Result<String, Error> {
    let bad = || invalid("birth_date", "invalid-date");
    let parts: Vec<&str> = raw.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return Err(bad());
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if !(1900..=2100).contains(&y) || d == 0 || d > days {
        return Err(bad());
    }
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// A card's number: 4 to 32 digits.
pub fn card_number(raw: &str) -> Result<String, Error> {
    if (4..=32).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_digit()) {
        Ok(raw.to_owned())
    } else {
        Err(invalid("number", "invalid-card-number"))
    }
}

/// One line of text of at most [`MAX_TEXT_CHARS`], or refused as `field`.
pub fn text(field: &'static str, raw: &str) -> Result<String, Error> {
    Ok(Label::parse(field, raw, MAX_TEXT_CHARS)?.into_string())
}

/// An amount, balance or count: from 0 up to a trillion.
pub fn amount(field: &'static str, value: i64) -> Result<i64, Error> {
    if (0..=MAX_AMOUNT).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(field, "invalid-amount"))
    }
}

/// A card as the host sends it: a blocked card says why, another says nothing of it.
pub fn card(card: CardUpsert) -> Result<CardUpsert, Error> {
    let reason = card
        .block_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let block_reason = match (card.status, reason) {
        (CardStatus::Blocked, Some(reason)) => Some(text("block_reason", reason)?),
        (CardStatus::Blocked, None) => return Err(invalid("block_reason", "invalid-empty")),
        (_, Some(_)) => return Err(invalid("block_reason", "invalid-block-reason")),
        (_, None) => None,
    };
    Ok(CardUpsert {
        status: card.status,
        balance: amount("balance", card.balance)?,
        block_reason,
    })
}

/// A purchase as the host sends it, with its id `id`.
pub fn purchase(id: &str, purchase: Purchase) -> Result<Purchase, Error> {
    if purchase.items.len() > MAX_ITEMS {
        return Err(invalid("items", "invalid-too-many-items"));
    }
    let items = purchase
        .items
        .into_iter()
        .map(|item| {
            Ok(PurchaseItem {
                name: text("items", &item.name)?,
                quantity: amount("items", item.quantity)?,
                amount: amount("items", item.amount)?,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    if purchase.at <= 0 {
        return Err(invalid("at", "invalid-date"));
    }
    Ok(Purchase {
        id: external_id("id", id)?,
        at: purchase.at,
        point_of_sale: text("point_of_sale", &purchase.point_of_sale)?,
        items,
        amount: amount("amount", purchase.amount)?,
        points_earned: amount("points_earned", purchase.points_earned)?,
        points_spent: amount("points_spent", purchase.points_spent)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_values_are_parsed_once_or_refused_by_name() {
        assert_eq!(phone("+7 (916) 123-45-67").unwrap(), "+79161234567");
        for bad in ["89161234567", "+0123456789", "+7916", "+7916abc4567", ""] {
            assert!(phone(bad).is_err(), "{bad}");
        }
        assert_eq!(birth_date("1990-02-28").unwrap(), "1990-02-28");
        assert_eq!(birth_date("2000-02-29").unwrap(), "2000-02-29");
        for bad in [
            "1900-02-29",
            "1990-13-01",
            "1990-1-1",
            "31.12.1990",
            "1800-01-01",
        ] {
            assert!(birth_date(bad).is_err(), "{bad}");
        }
        assert!(external_id("external_id", "crm:42-a_b.c").is_ok());
        let long = "x".repeat(65);
        for bad in ["", "a/b", "a b", "é", long.as_str()] {
            assert!(external_id("external_id", bad).is_err(), "{bad}");
        }
        assert!(card_number("4000123412341234").is_ok());
        assert!(card_number("40001234 1234").is_err());
        let blocked = |reason: Option<&str>| CardUpsert {
            status: CardStatus::Blocked,
            balance: 10,
            block_reason: reason.map(str::to_owned),
        };
        assert!(card(blocked(Some("Lost"))).is_ok());
        assert!(card(blocked(None)).is_err(), "a blocked card says why");
        assert!(
            card(CardUpsert {
                status: CardStatus::Active,
                ..blocked(Some("Lost"))
            })
            .is_err(),
            "an active card has no block reason"
        );
        assert!(
            card(CardUpsert {
                balance: -1,
                ..blocked(Some("Lost"))
            })
            .is_err()
        );
    }
}
