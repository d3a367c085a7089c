//! Canned responses: filling their placeholders. Pure, shared by the UI and the server.

/// What a canned response's placeholders stand for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    /// `{member}`: the member's name.
    pub member: String,
    /// `{ticket}`: the ticket's number.
    pub ticket: String,
    /// `{operator}`: the name of whoever inserts the response.
    pub operator: String,
    /// `{department}`: the ticket's department.
    pub department: String,
}

/// The placeholders a template may use, for help texts.
pub const PLACEHOLDERS: [&str; 4] = ["{member}", "{ticket}", "{operator}", "{department}"];

/// `template` with every known placeholder replaced; unknown `{words}` stay as written.
pub fn fill(template: &str, values: &Placeholders) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let value = match &after[..=end] {
            "{member}" => Some(&values.member),
            "{ticket}" => Some(&values.ticket),
            "{operator}" => Some(&values.operator),
            "{department}" => Some(&values.department),
            _ => None,
        };
        match value {
            Some(value) => out.push_str(value),
            None => out.push_str(&after[..=end]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A quotation of `text` for a reply: each line prefixed with `> `, then a blank line.
pub fn quote(text: &str) -> String {
    let mut out: String = text
        .trim()
        .lines()
        .map(|line| format!("> {line}\n"))
        .collect();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        let values = Placeholders {
            member: "Anna".into(),
            ticket: "42".into(),
            operator: "Olga".into(),
            department: "Billing".into(),
        };
        assert_eq!(
            fill(
                "Hello {member}, ticket #{ticket} — {operator}, {department}",
                &values
            ),
            "Hello Anna, ticket #42 — Olga, Billing"
        );
        assert_eq!(fill("{unknown} {member}", &values), "{unknown} Anna");
        assert_eq!(fill("open { brace", &values), "open { brace");
        assert_eq!(fill("Привет, {member}!", &values), "Привет, Anna!");
    }

    #[test]
    fn quotes_prefix_every_line() {
        assert_eq!(quote(" first\nsecond "), "> first\n> second\n\n");
    }
}
