//! `switchboard import-members FILE`: members' accounts from a CSV file (UTF-8, a header row
//! naming the columns `external_id`, `name`, `email`, and optionally `phones` — several split
//! by `;` —, `birth_date`, `city`), each sent to the running desk as the host platform would
//! (`PUT /api/members/{external_id}` with an administrator's API token). Idempotent: a file
//! imported twice changes nothing. Exit 0: every row taken; 65: some rows refused (each named
//! with its line and why); 75: the desk did not answer.

use std::{collections::HashMap, process::ExitCode, time::Duration};

use app::protocol::MemberUpsert;
use tracing::{error, info, warn};

/// Largest file read.
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// The fields of one CSV record (RFC 4180: quoted fields, doubled quotes, line ends inside
/// quotes), from `text` at `at`; where the next record starts.
fn record(text: &str, mut at: usize) -> (Vec<String>, usize) {
    let bytes = text.as_bytes();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    while at < bytes.len() {
        let c = text[at..].chars().next().unwrap_or('\n');
        let next = at + c.len_utf8();
        match (quoted, c) {
            (true, '"') if text[next..].starts_with('"') => {
                field.push('"');
                at = next + 1;
                continue;
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                fields.push(field);
                return (fields, next);
            }
            (false, c) => field.push(c),
        }
        at = next;
    }
    fields.push(field);
    (fields, at)
}

/// The records of `text`, each with the line it starts on.
pub fn records(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut at = 0;
    let mut line = 1;
    while at < text.len() {
        let (fields, next) = record(text, at);
        let lines = text[at..next].matches('\n').count().max(1);
        if !(fields.len() == 1 && fields[0].trim().is_empty()) {
            out.push((line, fields));
        }
        line += lines;
        at = next;
    }
    out
}

/// A row as the account it describes, by the header's columns.
fn member(columns: &HashMap<String, usize>, row: &[String]) -> (String, MemberUpsert) {
    let get = |name: &str| {
        columns
            .get(name)
            .and_then(|&i| row.get(i))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let optional = |name: &str| Some(get(name)).filter(|v| !v.is_empty());
    let phones = get("phones")
        .split([';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    (
        get("external_id"),
        MemberUpsert {
            name: get("name"),
            email: get("email"),
            phones,
            birth_date: optional("birth_date"),
            city: optional("city"),
        },
    )
}

/// Imports the accounts in `file` (`-`: the standard input) into the desk at `url`.
pub async fn import(url: &str, file: &str, token: &str) -> ExitCode {
    use std::io::Read;
    let mut raw = Vec::new();
    let read = if file == "-" {
        std::io::stdin().lock().take(MAX_FILE).read_to_end(&mut raw)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(MAX_FILE).read_to_end(&mut raw))
    };
    if let Err(err) = read {
        error!(file, error = %err, "cannot read the file");
        return ExitCode::from(66);
    }
    let Ok(text) = String::from_utf8(raw) else {
        error!(file, "the file is not UTF-8");
        return ExitCode::from(65);
    };
    let mut rows = records(&text).into_iter();
    let Some((_, header)) = rows.next() else {
        error!(file, "the file is empty");
        return ExitCode::from(65);
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().to_lowercase(), i))
        .collect();
    if let Some(missing) = ["external_id", "name", "email"]
        .into_iter()
        .find(|c| !columns.contains_key(*c))
    {
        error!(file, column = missing, "the header row lacks a column");
        return ExitCode::from(65);
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let Ok(client) = s3_client::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
    else {
        error!("cannot make an HTTP client");
        return ExitCode::from(75);
    };
    let (mut taken, mut refused) = (0usize, 0usize);
    for (line, row) in rows {
        let (external_id, member) = member(&columns, &row);
        let endpoint = format!(
            "{}/api/members/{}",
            url.trim_end_matches('/'),
            app::protocol::percent_encode(&external_id)
        );
        let body = serde_json::to_vec(&member).unwrap_or_default();
        let sent = client
            .put(&endpoint)
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(err) => {
                error!(line, error = %err, taken, "the desk did not answer; the rest is not imported");
                return ExitCode::from(75);
            }
        };
        let status = response.status();
        if status.is_success() {
            taken += 1;
        } else if status.is_client_error() && status.as_u16() != 401 && status.as_u16() != 403 {
            refused += 1;
            let why = response.text().await.unwrap_or_default();
            warn!(line, external_id, answer = %why, "row refused");
        } else {
            error!(
                line,
                status = status.as_u16(),
                taken,
                "the desk refused the import"
            );
            return ExitCode::from(75);
        }
    }
    info!(taken, refused, "members imported");
    if refused > 0 {
        ExitCode::from(65)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_keep_quotes_commas_and_line_ends() {
        let text = "\u{feff}external_id,name,email,phones\r\n\
                    c-1,\"Petrov, Boris\",b@example.org,+79161234567;+79031112233\r\n\
                    \r\n\
                    c-2,\"Anna \"\"Ann\"\" \nIvanova\",a@example.org,\n";
        let rows = records(text);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].0, 2);
        assert_eq!(rows[1].1[1], "Petrov, Boris");
        assert_eq!(rows[2].0, 4);
        assert_eq!(rows[2].1[1], "Anna \"Ann\" \nIvanova");
        let columns: HashMap<String, usize> = rows[0]
            .1
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        let (id, member) = member(&columns, &rows[1].1);
        assert_eq!(id, "c-1");
        assert_eq!(member.phones, vec!["+79161234567", "+79031112233"]);
        assert_eq!(member.city, None);
    }
}
