//! Statements put together at run time (a list of ids, a choice of channels), with every value
//! bound.

use app::protocol::Channel;
use sqlx::any::AnyRow;

use super::{Result, Store};

/// A statement put together from fixed pieces and numbered placeholders: every value is bound,
/// never written into the text.
pub(super) struct Sql {
    text: String,
    args: Vec<Arg>,
}

enum Arg {
    Int(i64),
    Text(&'static str),
}

impl Sql {
    pub(super) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Binds `value` and writes its placeholder.
    pub(super) fn int(&mut self, value: i64) -> &mut Sql {
        self.bind(Arg::Int(value))
    }

    /// Binds the constant `value` and writes its placeholder.
    pub(super) fn text(&mut self, value: &'static str) -> &mut Sql {
        self.bind(Arg::Text(value))
    }

    fn bind(&mut self, arg: Arg) -> &mut Sql {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    pub(super) fn push(&mut self, piece: &str) -> &mut Sql {
        self.text.push_str(piece);
        self
    }

    /// ` AND column IN (…)` over `values`, when there are any.
    pub(super) fn within(&mut self, column: &str, values: Option<&[i64]>) -> &mut Sql {
        if let Some(values) = values {
            self.push(" AND ").push(column).push(" IN (");
            if values.is_empty() {
                self.push("NULL");
            }
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.int(*value);
            }
            self.push(")");
        }
        self
    }

    pub(super) fn channels(&mut self, column: &str, channels: &[Channel]) -> &mut Sql {
        if !channels.is_empty() {
            self.push(" AND ").push(column).push(" IN (");
            for (i, channel) in channels.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.text(channel.as_str());
            }
            self.push(")");
        }
        self
    }

    pub(super) async fn fetch(&self, store: &Store) -> Result<Vec<AnyRow>> {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(self.text.clone()));
        for arg in &self.args {
            query = match arg {
                Arg::Int(value) => query.bind(*value),
                Arg::Text(value) => query.bind(*value),
            };
        }
        Ok(query.fetch_all(&store.pool).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::Sql;

    #[test]
    fn placeholders_number_on_through_the_statement() {
        let mut first = Sql::new("SELECT 1 WHERE a = ");
        first.int(1).push(" AND b IN (");
        first.within("c", Some(&[2, 3])).push(")");
        first.push(" UNION ALL SELECT 2 WHERE a = ");
        first.int(4).push(" AND d = ").int(5);
        assert_eq!(
            first.text,
            "SELECT 1 WHERE a = $1 AND b IN ( AND c IN ($2, $3)) UNION ALL SELECT 2 WHERE a = $4 AND d = $5"
        );
        assert_eq!(first.args.len(), 5);
    }
}
