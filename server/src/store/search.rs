//! Full-text search: FTS5 in SQLite, a `tsvector` GIN index in PostgreSQL.

use app::protocol::{
    Department, DepartmentId, Person, Role, SearchHit, Seq, TicketId, TicketStatus, UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{Backend, Result, Store, tickets::decode_err};
use crate::domain::{
    self, Numbering, Viewer,
    audience::{member_reads_event, staff_sees_ticket},
};

/// The columns of a hit, read around the matching documents `d` of the tickets `t`.
macro_rules! hit_columns {
    () => {
        "d.ticket_id, d.seq, d.public_seq, t.subject, t.status, t.archived, t.created_at, \
         t.department_id, dep.name AS department_name, t.member_id, u.name AS member_name, \
         e.at, e.author_id, a.name AS author_name, a.role AS author_role"
    };
}

/// The joins that give a document its ticket, event and author.
macro_rules! hit_joins {
    () => {
        " JOIN tickets t ON t.id = d.ticket_id \
          JOIN departments dep ON dep.id = t.department_id \
          JOIN users u ON u.id = t.member_id \
          LEFT JOIN ticket_events e ON e.ticket_id = d.ticket_id AND e.seq = d.seq \
          LEFT JOIN users a ON a.id = e.author_id "
    };
}

/// Who may find what, by the rules of `domain::audience`: staff ($4) the tickets they may see
/// (moderators, $3, every one); a member her own tickets' subjects and messages, never a
/// hidden note.
macro_rules! hit_scope {
    () => {
        concat!(
            " AND (($4 = 1 AND ",
            staff_sees_ticket!(
                ticket: "t.id",
                department: "t.department_id",
                user: "$2",
                all: "$3 = 1"
            ),
            ") OR ($4 = 0 AND t.member_id = $2 AND ",
            member_reads_event!("d"),
            ")) "
        )
    };
}

/// How many of the newest matches within reach are ranked: a word found in half of millions
/// of messages is answered from its newest thousand, in milliseconds, instead of ranking
/// them all.
pub const SEARCH_WINDOW: i64 = 1000;

/// The newest matches within reach ($6 of them, FTS5 walking its index backwards and stopping
/// there), ranked; the best $5 are then read with their snippets, in one more walk over the
/// span of documents they lie in. (A walk per document would match the words anew each time:
/// a prefix longer than the indexed ones merges every word it begins, fifty times over.)
const SQLITE_SEARCH: &str = concat!(
    "WITH recent AS (SELECT d.id, bm25(search_fts) AS rank FROM search_fts \
        JOIN search_docs d ON d.id = search_fts.rowid JOIN tickets t ON t.id = d.ticket_id \
        WHERE search_fts MATCH $1",
    hit_scope!(),
    "ORDER BY search_fts.rowid DESC LIMIT $6), \
     best AS (SELECT id, rank FROM recent ORDER BY rank, id DESC LIMIT $5), \
     span AS (SELECT MIN(id) AS lo, MAX(id) AS hi FROM best) \
     SELECT ",
    hit_columns!(),
    ", snippet(search_fts, 0, char(57344), char(57345), '…', 24) AS snippet \
     FROM span CROSS JOIN search_fts CROSS JOIN best CROSS JOIN search_docs d ON d.id = best.id",
    hit_joins!(),
    "WHERE search_fts MATCH $1 AND search_fts.rowid BETWEEN span.lo AND span.hi \
     AND best.id = search_fts.rowid ORDER BY best.rank, d.id DESC"
);

/// The same in PostgreSQL. The words are written into the match itself, not read from a
/// shared `q`, and the statement is planned for the words it is run with (see
/// [`Store::search`]): the planner then knows how often they occur, and walks the documents
/// newest first for a frequent word but reads the GIN index for a rare one (an order
/// number). Only the window is ranked.
const POSTGRES_SEARCH: &str = concat!(
    "WITH recent AS (SELECT d.id FROM search_docs d \
        JOIN tickets t ON t.id = d.ticket_id WHERE d.tsv @@ to_tsquery('simple', $1)",
    hit_scope!(),
    "ORDER BY d.id DESC LIMIT $6), \
     q AS (SELECT to_tsquery('simple', $1) AS q), \
     best AS (SELECT d.id, ts_rank(d.tsv, q.q) AS rank FROM recent \
        JOIN search_docs d ON d.id = recent.id CROSS JOIN q \
        ORDER BY rank DESC, d.id DESC LIMIT $5) \
     SELECT ",
    hit_columns!(),
    ", ts_headline('simple', d.body, q.q, 'MaxWords=24, MinWords=12, StartSel=' || chr(57344) \
        || ', StopSel=' || chr(57345)) AS snippet \
     FROM best JOIN search_docs d ON d.id = best.id CROSS JOIN q",
    hit_joins!(),
    "ORDER BY best.rank DESC, d.id DESC"
);

/// The query in the backend's syntax: every word must occur, the last as a prefix. Terms
/// are letters and digits only (see [`domain::search_terms`]), so they need no escaping
/// beyond FTS5's quotes.
fn match_expression(backend: Backend, terms: &[String]) -> String {
    let last = terms.len().saturating_sub(1);
    let words = terms
        .iter()
        .enumerate()
        .map(|(i, t)| match (backend, i == last) {
            (Backend::Sqlite, false) => format!("\"{t}\""),
            (Backend::Sqlite, true) => format!("\"{t}\"*"),
            (Backend::Postgres, false) => t.clone(),
            (Backend::Postgres, true) => format!("{t}:*"),
        });
    let joiner = match backend {
        Backend::Sqlite => " ",
        Backend::Postgres => " & ",
    };
    words.collect::<Vec<_>>().join(joiner)
}

fn search_hit(viewer: &Viewer, row: &AnyRow) -> Result<SearchHit> {
    let seq = Seq(row.try_get("seq")?);
    let public_seq = row.try_get::<Option<i64>, _>("public_seq")?.map(Seq);
    let status: String = row.try_get("status")?;
    let member = Person {
        id: UserId(row.try_get("member_id")?),
        name: row.try_get("member_name")?,
        role: Role::Member,
    };
    let author = match row.try_get::<Option<i64>, _>("author_id")? {
        Some(id) => Some(Person {
            id: UserId(id),
            name: row.try_get("author_name")?,
            role: row
                .try_get::<Option<String>, _>("author_role")?
                .and_then(|r| Role::parse(&r))
                .unwrap_or(Role::Member),
        }),
        // The subject: the member wrote it.
        None if seq.0 == 0 => Some(member.clone()),
        None => None,
    };
    let at = match row.try_get::<Option<i64>, _>("at")? {
        Some(at) => at,
        None => row.try_get("created_at")?,
    };
    let snippet: String = row.try_get("snippet")?;
    Ok(SearchHit {
        ticket_id: TicketId(row.try_get("ticket_id")?),
        subject: row.try_get("subject")?,
        department: Department {
            id: DepartmentId(row.try_get("department_id")?),
            name: row.try_get("department_name")?,
        },
        member,
        status: TicketStatus::parse(&status)
            .ok_or_else(|| decode_err(format!("unknown status {status}")))?,
        archived: row.try_get::<i64, _>("archived")? != 0,
        seq: (seq.0 > 0).then(|| Numbering::of(viewer).seq(seq, public_seq).unwrap_or(seq)),
        hidden: public_seq.is_none(),
        author,
        at,
        snippet: domain::fragments(&snippet),
    })
}

impl Store {
    /// The best matches for `terms` among the newest [`SEARCH_WINDOW`] that `viewer` may
    /// see, at most `limit`.
    #[instrument(skip_all, fields(terms = terms.len()))]
    pub async fn search(
        &self,
        viewer: &Viewer,
        terms: &[String],
        limit: i64,
    ) -> Result<Vec<SearchHit>> {
        let sql = match self.backend {
            Backend::Sqlite => SQLITE_SEARCH,
            Backend::Postgres => POSTGRES_SEARCH,
        };
        // Kept prepared in SQLite only: PostgreSQL plans an unnamed statement for its words
        // each time, where a kept one would soon be planned once for any words.
        let rows = sqlx::query(sql)
            .persistent(self.backend == Backend::Sqlite)
            .bind(match_expression(self.backend, terms))
            .bind(viewer.id.0)
            .bind(i64::from(viewer.sees_all_departments()))
            .bind(i64::from(viewer.role.is_staff()))
            .bind(limit)
            .bind(SEARCH_WINDOW)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| search_hit(viewer, row)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Backend, match_expression};

    #[test]
    fn the_last_word_matches_as_a_prefix() {
        let terms = ["refund".to_owned(), "возв".to_owned()];
        assert_eq!(
            match_expression(Backend::Sqlite, &terms),
            "\"refund\" \"возв\"*"
        );
        assert_eq!(
            match_expression(Backend::Postgres, &terms),
            "refund & возв:*"
        );
    }
}
