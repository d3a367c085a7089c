//! Statistics: what is counted as events are written (each colleague's work per hour, each
//! rating, a ticket's first take and first close) and the figures read from it and from the
//! tickets over a range.

use std::collections::HashMap;

use app::protocol::{
    Channel, DepartmentId, EventKind, Millis, OperatorLoad, Person, Seq, Tally, TicketId, Timing,
    UserId,
};
use sqlx::{Row, any::AnyRow};
use tracing::instrument;

use super::{
    Backend, Error, Result, Store, WriteTx,
    events::EventDraft,
    sql::Sql,
    tickets::{decode_err, role},
};
use crate::domain::StatsScope;

const HOUR_MS: i64 = 3_600_000;

/// What adding to a colleague's hour does when the hour has a row already.
macro_rules! add_work {
    () => {
        " ON CONFLICT (hour, department_id, user_id) DO UPDATE SET \
         taken = operator_hours.taken + excluded.taken, \
         messages = operator_hours.messages + excluded.messages, \
         notes = operator_hours.notes + excluded.notes, \
         held_ms = operator_hours.held_ms + excluded.held_ms"
    };
}

/// What a statistics read covers: `[from, to)` in milliseconds, whose figures, which channels.
pub struct StatsQuery<'a> {
    pub from: Millis,
    pub to: Millis,
    pub scope: &'a StatsScope,
    pub channels: &'a [Channel],
}

impl StatsQuery<'_> {
    fn departments(&self) -> Option<Vec<i64>> {
        self.scope
            .departments
            .as_ref()
            .map(|ds| ds.iter().map(|d| d.0).collect())
    }

    /// ` FROM` the tickets created in the range, of the departments and channels asked for,
    /// written after `sql`'s `SELECT …`.
    fn created<'s>(&self, sql: &'s mut Sql) -> &'s mut Sql {
        sql.push(" FROM tickets t WHERE t.created_at >= ")
            .int(self.from)
            .push(" AND t.created_at < ")
            .int(self.to);
        sql.within("t.department_id", self.departments().as_deref())
            .channels("t.channel", self.channels)
    }
}

/// Contacts of a range by channel, category and criticality.
#[derive(Default)]
pub struct Contacts {
    pub channels: Vec<Tally>,
    pub categories: Vec<Tally>,
    pub criticality: Vec<Tally>,
}

impl Store {
    /// Tickets created in the range, by channel, category and criticality (options in the
    /// administrators' order, then those without one). Every line is counted in one pass over
    /// the range: grouping would have SQLite sort a year of tickets first, at several times
    /// the cost of reading them.
    #[instrument(skip_all)]
    pub async fn stats_contacts(&self, q: &StatsQuery<'_>) -> Result<Contacts> {
        let options = sqlx::query(
            "SELECT id, kind, label FROM ticket_options \
             WHERE kind IN ('category', 'criticality') ORDER BY position, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let channels: Vec<Channel> = Channel::ALL
            .into_iter()
            .filter(|c| q.channels.is_empty() || q.channels.contains(c))
            .collect();
        let mut sql = Sql::new("SELECT");
        for (i, channel) in channels.iter().enumerate() {
            sql.push(if i == 0 { " " } else { ", " })
                .push("COUNT(*) FILTER (WHERE t.channel = ")
                .text(channel.as_str())
                .push(")");
        }
        let mut categories = Vec::new();
        let mut criticality = Vec::new();
        for kind in ["category", "criticality"] {
            let (list, column) = if kind == "category" {
                (&mut categories, "t.category_id")
            } else {
                (&mut criticality, "t.criticality_id")
            };
            for option in &options {
                if option.try_get::<String, _>("kind")? != kind {
                    continue;
                }
                let id: i64 = option.try_get("id")?;
                list.push(tally(&id.to_string(), option.try_get("label")?, 0));
                // The columns are this function's own constants.
                sql.push(&format!(", COUNT(*) FILTER (WHERE {column} = "))
                    .int(id)
                    .push(")");
            }
            list.push(tally("none", None, 0));
            sql.push(&format!(", COUNT(*) FILTER (WHERE {column} IS NULL)"));
        }
        q.created(&mut sql);
        let rows = sql.fetch(self).await?;
        let row = rows.first().ok_or(Error::NotFound)?;
        // The counts in the order their columns were written.
        let mut column = 0;
        let mut next = || -> Result<i64> {
            column += 1;
            Ok(row.try_get::<i64, _>(column - 1)?)
        };
        let channels = channels
            .iter()
            .map(|c| Ok(tally(c.as_str(), None, next()?)))
            .collect::<Result<Vec<_>>>()?;
        for line in categories.iter_mut().chain(criticality.iter_mut()) {
            line.count = next()?;
        }
        // Options nobody used in the range are left out; every channel stays.
        categories.retain(|t| t.count > 0);
        criticality.retain(|t| t.count > 0);
        Ok(Contacts {
            channels,
            categories,
            criticality,
        })
    }

    /// Calls that rang in the range, by the reason they were ended with (in the reasons'
    /// order), then those the caller gave up on and those not ended yet.
    #[instrument(skip_all)]
    pub async fn stats_call_reasons(&self, q: &StatsQuery<'_>) -> Result<Vec<Tally>> {
        if !q.channels.is_empty() && !q.channels.contains(&Channel::Phone) {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT CASE WHEN c.reason_id IS NOT NULL THEN '' WHEN c.state = 'abandoned' \
             THEN 'abandoned' ELSE 'none' END AS word, c.reason_id, r.label, r.position, \
             COUNT(*) AS n FROM calls c LEFT JOIN call_end_reasons r ON r.id = c.reason_id",
        );
        let departments = q.departments();
        if departments.is_some() {
            sql.push(" JOIN tickets t ON t.id = c.ticket_id");
        }
        sql.push(" WHERE c.rang_at >= ")
            .int(q.from)
            .push(" AND c.rang_at < ")
            .int(q.to);
        sql.within("t.department_id", departments.as_deref());
        sql.push(
            " GROUP BY word, c.reason_id, r.label, r.position \
             ORDER BY r.position IS NULL, r.position, word",
        );
        sql.fetch(self)
            .await?
            .iter()
            .map(|row| {
                let n = row.try_get("n")?;
                Ok(match row.try_get::<Option<i64>, _>("reason_id")? {
                    Some(id) => tally(&id.to_string(), row.try_get("label")?, n),
                    None => tally(&row.try_get::<String, _>("word")?, None, n),
                })
            })
            .collect()
    }

    /// Of the tickets created in the range: how long to the first answer, to the first close
    /// and to the first take (nearest-rank median and 90th percentile, to the second under an
    /// hour and to the minute beyond). One pass per measure: PostgreSQL counts how many took
    /// each second (or minute); SQLite, which would sort a year of tickets to group them,
    /// lists the durations and they are counted here.
    #[instrument(skip_all)]
    pub async fn stats_times(&self, q: &StatsQuery<'_>) -> Result<Vec<Timing>> {
        const MEASURES: [(&str, &str); 3] = [
            ("first_response", "t.first_answer_at"),
            ("resolution", "t.resolved_at"),
            ("queue_wait", "t.first_taken_at"),
        ];
        let listed = self.backend == Backend::Sqlite;
        let mut sql = Sql::new("");
        for (i, (key, column)) in MEASURES.iter().enumerate() {
            if i > 0 {
                sql.push(" UNION ALL ");
            }
            // The keys and columns are this function's own constants.
            let d = format!("({column} - t.created_at)");
            let bucket = format!(
                "CASE WHEN {d} < {HOUR_MS} THEN {d} / 1000 * 1000 ELSE {d} / 60000 * 60000 END"
            );
            sql.push(&if listed {
                format!("SELECT '{key}' AS k, group_concat({bucket}) AS list")
            } else {
                format!("SELECT '{key}' AS k, {bucket} AS d, COUNT(*) AS n")
            });
            // A split's copies may carry an answer older than the ticket: not a wait.
            q.created(&mut sql)
                .push(" AND ")
                .push(column)
                .push(" >= t.created_at");
            if !listed {
                sql.push(" GROUP BY 2");
            }
        }
        // Each measure's durations with how many tickets took each.
        let mut spreads: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
        for row in sql.fetch(self).await? {
            let spread = spreads.entry(row.try_get("k")?).or_default();
            if listed {
                if let Some(list) = row.try_get::<Option<String>, _>("list")? {
                    *spread = counted(&list)?;
                }
            } else {
                spread.push((row.try_get("d")?, row.try_get("n")?));
            }
        }
        let mut out = Vec::new();
        for (key, _) in MEASURES {
            let mut spread = spreads.remove(key).unwrap_or_default();
            spread.sort_unstable();
            let count: i64 = spread.iter().map(|(_, n)| n).sum();
            // Nearest rank: the smallest value with at least `percent` % at or below.
            let rank = |percent: i64| {
                let rank = (count * percent + 99) / 100;
                let mut seen = 0;
                spread.iter().find_map(|(d, n)| {
                    seen += n;
                    (seen >= rank).then_some(*d)
                })
            };
            out.push(Timing {
                key: key.to_owned(),
                count,
                median_ms: (count > 0).then(|| rank(50)).flatten(),
                p90_ms: (count > 0).then(|| rank(90)).flatten(),
            });
        }
        Ok(out)
    }

    /// Each colleague's work in the range (work counted by the hour it was done), busiest
    /// first, with the ratings of answers they gave last. Read person by person from indexes
    /// that start with the person (`CROSS JOIN` keeps SQLite to that order), so nothing is
    /// sorted to be grouped.
    #[instrument(skip_all)]
    pub async fn stats_operators(&self, q: &StatsQuery<'_>) -> Result<Vec<OperatorLoad>> {
        let departments = q.departments();
        let own = q.scope.own.map(|u| vec![u.0]);
        let mut sql = Sql::new(
            "SELECT u.id AS user_id, u.name, u.role, CAST(SUM(o.taken) AS BIGINT) AS taken, \
             CAST(SUM(o.messages) AS BIGINT) AS messages, CAST(SUM(o.notes) AS BIGINT) AS notes, \
             CAST(SUM(o.held_ms) AS BIGINT) AS held FROM users u CROSS JOIN operator_hours o \
             WHERE o.user_id = u.id AND o.hour >= ",
        );
        sql.int(q.from.div_euclid(HOUR_MS))
            .push(" AND o.hour < ")
            .int((q.to + HOUR_MS - 1).div_euclid(HOUR_MS));
        sql.within("o.department_id", departments.as_deref())
            .within("o.user_id", own.as_deref())
            .push(" GROUP BY u.id");
        let mut out = Vec::new();
        for row in sql.fetch(self).await? {
            out.push(OperatorLoad {
                person: person(&row)?,
                taken: row.try_get("taken")?,
                messages: row.try_get("messages")?,
                notes: row.try_get("notes")?,
                held_ms: row.try_get("held")?,
                ratings: 0,
            });
        }
        let mut sql = Sql::new(
            "SELECT u.id AS user_id, u.name, u.role, COUNT(*) AS n FROM users u \
             CROSS JOIN ticket_ratings r WHERE r.user_id = u.id AND r.at >= ",
        );
        sql.int(q.from).push(" AND r.at < ").int(q.to);
        sql.within("r.department_id", departments.as_deref())
            .within("r.user_id", own.as_deref())
            .push(" GROUP BY u.id");
        for row in sql.fetch(self).await? {
            let who = person(&row)?;
            let n: i64 = row.try_get("n")?;
            match out.iter_mut().find(|o| o.person.id == who.id) {
                Some(load) => load.ratings = n,
                None => out.push(OperatorLoad {
                    person: who,
                    taken: 0,
                    messages: 0,
                    notes: 0,
                    held_ms: 0,
                    ratings: n,
                }),
            }
        }
        out.sort_by(|a, b| {
            (b.taken + b.messages, &a.person.name).cmp(&(a.taken + a.messages, &b.person.name))
        });
        Ok(out)
    }

    /// Ratings given in the range, by mark: every mark offered, then retired ones that were
    /// given. Read mark by mark, as the colleagues' work is read person by person.
    #[instrument(skip_all)]
    pub async fn stats_ratings(&self, q: &StatsQuery<'_>) -> Result<Vec<Tally>> {
        let mut sql = Sql::new(
            "SELECT m.id AS mark_id, COUNT(*) AS n FROM rating_marks m \
             CROSS JOIN ticket_ratings r WHERE r.mark_id = m.id AND r.at >= ",
        );
        sql.int(q.from).push(" AND r.at < ").int(q.to);
        sql.within("r.department_id", q.departments().as_deref());
        sql.push(" GROUP BY m.id");
        let mut given = HashMap::new();
        for row in sql.fetch(self).await? {
            given.insert(
                row.try_get::<i64, _>("mark_id")?,
                row.try_get::<i64, _>("n")?,
            );
        }
        let marks =
            sqlx::query("SELECT id, label, retired FROM rating_marks ORDER BY position, id")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::new();
        for mark in &marks {
            let id: i64 = mark.try_get("id")?;
            let n = given.get(&id).copied().unwrap_or(0);
            let retired: i64 = mark.try_get("retired")?;
            if retired == 0 || n > 0 {
                out.push(tally(&id.to_string(), mark.try_get("label")?, n));
            }
        }
        Ok(out)
    }

    /// Tickets open at `now`, by how long ago they were created.
    #[instrument(skip_all)]
    pub async fn stats_open_by_age(&self, q: &StatsQuery<'_>, now: Millis) -> Result<Vec<Tally>> {
        const AGES: [(&str, i64); 4] = [
            ("hour", HOUR_MS),
            ("day", 24 * HOUR_MS),
            ("days3", 72 * HOUR_MS),
            ("week", 168 * HOUR_MS),
        ];
        let mut sql = Sql::new("SELECT CASE");
        for (word, age) in AGES {
            // The words are this function's own constants.
            sql.push(" WHEN t.created_at > ")
                .int(now - age)
                .push(&format!(" THEN '{word}'"));
        }
        sql.push(" ELSE 'older'");
        sql.push(" END AS age, COUNT(*) AS n FROM tickets t WHERE t.status = 'open'");
        sql.within("t.department_id", q.departments().as_deref())
            .channels("t.channel", q.channels)
            .push(" GROUP BY age");
        let mut out: Vec<Tally> = AGES
            .iter()
            .map(|(word, _)| *word)
            .chain(["older"])
            .map(|word| tally(word, None, 0))
            .collect();
        for row in sql.fetch(self).await? {
            add(
                &mut out,
                &row.try_get::<String, _>("age")?,
                row.try_get("n")?,
            );
        }
        Ok(out)
    }
}

impl Store {
    /// A member's tickets in `departments` (`None`: every one), how many are open, and the
    /// ratings they gave there by mark.
    #[instrument(skip_all)]
    pub async fn member_figures(
        &self,
        member: UserId,
        departments: Option<&[DepartmentId]>,
    ) -> Result<(i64, i64, Vec<Tally>)> {
        let departments: Option<Vec<i64>> = departments.map(|ds| ds.iter().map(|d| d.0).collect());
        let mut sql = Sql::new(
            "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN t.status = 'open' THEN 1 ELSE 0 END), 0) \
             AS open FROM tickets t WHERE t.member_id = ",
        );
        sql.int(member.0)
            .within("t.department_id", departments.as_deref());
        let rows = sql.fetch(self).await?;
        let (tickets, open) = match rows.first() {
            Some(row) => (row.try_get("n")?, row.try_get::<i64, _>("open")?),
            None => (0, 0),
        };
        let mut sql = Sql::new(
            "SELECT m.id, m.label, COUNT(*) AS n FROM ticket_ratings r \
             JOIN tickets t ON t.id = r.ticket_id JOIN rating_marks m ON m.id = r.mark_id \
             WHERE t.member_id = ",
        );
        sql.int(member.0)
            .within("r.department_id", departments.as_deref())
            .push(" GROUP BY m.id, m.label, m.position ORDER BY m.position, m.id");
        let ratings = sql
            .fetch(self)
            .await?
            .iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(tally(
                    &id.to_string(),
                    row.try_get("label")?,
                    row.try_get("n")?,
                ))
            })
            .collect::<Result<_>>()?;
        Ok((tickets, open, ratings))
    }

    /// How many loyalty cards and purchases a member has.
    #[instrument(skip_all)]
    pub async fn member_commerce(&self, member: UserId) -> Result<(i64, i64)> {
        let cards = sqlx::query_scalar("SELECT COUNT(*) FROM cards WHERE user_id = $1")
            .bind(member.0)
            .fetch_one(&self.pool)
            .await?;
        let purchases = sqlx::query_scalar("SELECT COUNT(*) FROM purchases WHERE user_id = $1")
            .bind(member.0)
            .fetch_one(&self.pool)
            .await?;
        Ok((cards, purchases))
    }
}

fn tally(key: &str, label: Option<String>, count: i64) -> Tally {
    Tally {
        key: key.to_owned(),
        label,
        count,
    }
}

/// The values of a comma-separated `list` of numbers, each with how many times it occurs,
/// in order.
fn counted(list: &str) -> Result<Vec<(i64, i64)>> {
    let mut values = list
        .split(',')
        .map(str::parse)
        .collect::<std::result::Result<Vec<i64>, _>>()
        .map_err(decode_err)?;
    values.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for value in values {
        match out.last_mut() {
            Some((last, n)) if *last == value => *n += 1,
            _ => out.push((value, 1)),
        }
    }
    Ok(out)
}

fn add(list: &mut [Tally], key: &str, n: i64) {
    if let Some(line) = list.iter_mut().find(|t| t.key == key) {
        line.count += n;
    }
}

fn person(row: &AnyRow) -> Result<Person> {
    Ok(Person {
        id: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        role: role(row.try_get("role")?)?.unwrap_or(app::protocol::Role::Operator),
    })
}

impl WriteTx {
    /// Counts an event just appended for the statistics: a take or a hand-over for whoever
    /// got the ticket, a message or note for staff who wrote it, a rating for the colleague
    /// who answered last before it.
    pub(super) async fn count_for_statistics(
        &mut self,
        ticket: TicketId,
        seq: Seq,
        department: DepartmentId,
        draft: &EventDraft,
        now: Millis,
    ) -> Result<()> {
        let staff = draft.author.role.is_staff();
        let (who, taken, messages, notes) = match &draft.kind {
            EventKind::Taken if staff => (draft.author.id, 1, 0, 0),
            EventKind::Assigned { to, .. } => (to.id, 1, 0, 0),
            EventKind::Message { .. } if staff => (draft.author.id, 0, 1, 0),
            EventKind::Note { .. } if staff => (draft.author.id, 0, 0, 1),
            EventKind::Rated { mark } => {
                sqlx::query(
                    "INSERT INTO ticket_ratings (ticket_id, seq, at, department_id, mark_id, user_id) \
                     SELECT $1, $2, $3, $4, $5, (SELECT m.author_id FROM ticket_events m \
                     JOIN users u ON u.id = m.author_id WHERE m.ticket_id = $1 AND m.seq < $2 \
                     AND m.kind = 'message' AND u.role <> 'member' ORDER BY m.seq DESC LIMIT 1)",
                )
                .bind(ticket.0)
                .bind(seq.0)
                .bind(now)
                .bind(department.0)
                .bind(mark.id.0)
                .execute(self.conn())
                .await?;
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.add_work(who, department, now, [taken, messages, notes])
            .await
    }

    /// Whoever held `ticket` stops holding it at `now`: the time they held it is theirs.
    pub(super) async fn end_hold(&mut self, ticket: TicketId, now: Millis) -> Result<()> {
        sqlx::query(concat!(
            "INSERT INTO operator_hours (hour, department_id, user_id, taken, messages, notes, held_ms) \
             SELECT $1, department_id, assignee_id, 0, 0, 0, \
             CASE WHEN assigned_at < $2 THEN $2 - assigned_at ELSE 0 END \
             FROM tickets WHERE id = $3 AND assignee_id IS NOT NULL AND assigned_at IS NOT NULL",
            add_work!()
        ))
            .bind(now.div_euclid(HOUR_MS))
            .bind(now)
            .bind(ticket.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Adds to a colleague's work of `now`'s hour: taken, messages, notes.
    async fn add_work(
        &mut self,
        who: UserId,
        department: DepartmentId,
        now: Millis,
        [taken, messages, notes]: [i64; 3],
    ) -> Result<()> {
        sqlx::query(concat!(
            "INSERT INTO operator_hours (hour, department_id, user_id, taken, messages, notes, held_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, 0)",
            add_work!()
        ))
        .bind(now.div_euclid(HOUR_MS))
        .bind(department.0)
        .bind(who.0)
        .bind(taken)
        .bind(messages)
        .bind(notes)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
