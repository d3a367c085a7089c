//! The spam model's counts: for each word, in how many spam and other mails it was; how many
//! of each kind were learned; and which way each mail was learned, so that staff changing
//! their mind un-learns it.

use sqlx::Row;
use tracing::instrument;

use super::{Result, Store};
use crate::domain::spam::Counts;

/// What a mail was learned as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Learned {
    Spam,
    Ham,
}

impl Learned {
    fn as_str(self) -> &'static str {
        match self {
            Learned::Spam => "spam",
            Learned::Ham => "ham",
        }
    }

    pub(super) fn parse(raw: &str) -> Option<Self> {
        match raw {
            "spam" => Some(Learned::Spam),
            "ham" => Some(Learned::Ham),
            _ => None,
        }
    }

    /// The change to the counts of learning (`+1`) or un-learning (`-1`) this way.
    fn delta(self, sign: i64) -> (i64, i64) {
        match self {
            Learned::Spam => (sign, 0),
            Learned::Ham => (0, sign),
        }
    }
}

impl Store {
    /// What the model knows of `words` (in their order), and how many mails it learned.
    #[instrument(skip_all)]
    pub async fn spam_counts(&self, words: &[String]) -> Result<(Vec<Counts>, Counts)> {
        let learned = sqlx::query("SELECT spam, ham FROM spam_learned WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        let learned = match learned {
            Some(row) => Counts {
                spam: row.try_get("spam")?,
                ham: row.try_get("ham")?,
            },
            None => Counts::default(),
        };
        let mut known = Vec::with_capacity(words.len());
        for chunk in words.chunks(100) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            // Only numbered placeholders are put in the text; the words are bound.
            let sql = format!(
                "SELECT spam, ham FROM spam_words WHERE word IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for word in chunk {
                query = query.bind(word.as_str());
            }
            for row in query.fetch_all(&self.pool).await? {
                known.push(Counts {
                    spam: row.try_get("spam")?,
                    ham: row.try_get("ham")?,
                });
            }
        }
        Ok((known, learned))
    }

    /// Learns mail `mail` (whose words are `words`) as `now_is`: what it was learned as
    /// before, if anything, is un-learned first; learning it the same way again changes
    /// nothing.
    #[instrument(skip_all)]
    pub async fn learn_mail(&self, mail: i64, words: &[String], now_is: Learned) -> Result<()> {
        let mut w = self.begin_write().await?;
        let before: Option<Option<String>> =
            sqlx::query_scalar("SELECT learned FROM mails WHERE id = $1")
                .bind(mail)
                .fetch_optional(w.conn())
                .await?;
        let before = before.flatten().as_deref().and_then(Learned::parse);
        if before == Some(now_is) {
            w.commit().await?;
            return Ok(());
        }
        let mut changes = vec![now_is.delta(1)];
        if let Some(before) = before {
            changes.push(before.delta(-1));
        }
        for (spam, ham) in changes {
            for word in words {
                sqlx::query(
                    "INSERT INTO spam_words (word, spam, ham) VALUES ($1, \
                     CASE WHEN $2 < 0 THEN 0 ELSE $2 END, CASE WHEN $3 < 0 THEN 0 ELSE $3 END) \
                     ON CONFLICT (word) DO UPDATE SET \
                     spam = CASE WHEN spam_words.spam + $2 < 0 THEN 0 ELSE spam_words.spam + $2 END, \
                     ham = CASE WHEN spam_words.ham + $3 < 0 THEN 0 ELSE spam_words.ham + $3 END",
                )
                .bind(word.as_str())
                .bind(spam)
                .bind(ham)
                .execute(w.conn())
                .await?;
            }
            sqlx::query("UPDATE spam_learned SET spam = spam + $1, ham = ham + $2 WHERE id = 1")
                .bind(spam)
                .bind(ham)
                .execute(w.conn())
                .await?;
        }
        sqlx::query("UPDATE mails SET learned = $2 WHERE id = $1")
            .bind(mail)
            .bind(now_is.as_str())
            .execute(w.conn())
            .await?;
        w.commit().await?;
        Ok(())
    }
}
