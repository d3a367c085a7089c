//! Telling spam from mail, learned from what staff mark: a naive-Bayes word model (Paul
//! Graham's "A Plan for Spam", with Gary Robinson's corrections — each word's probability
//! pulled towards neutral while it is rare, and the fifteen most telling words combined by
//! Fisher's method). It starts neutral: until staff have marked enough of each kind, no mail
//! is taken for spam.

use std::collections::BTreeSet;

/// Most words taken from one mail.
pub const MAX_WORDS: usize = 400;
/// Mails of each kind the model must have learned before it judges.
pub const MIN_LEARNED: i64 = 5;
/// At or above this, a mail is spam.
pub const THRESHOLD: f64 = 0.9;
/// How many of the most telling words decide.
const TELLING: usize = 15;
/// Robinson's strength of the neutral prior, and the prior itself.
const PRIOR_STRENGTH: f64 = 1.0;
const PRIOR: f64 = 0.5;

/// The words of a mail as the model counts them: lower-case words of 3 to 24 letters or
/// digits from the subject (marked as such) and the text, and the sender's domain; each once.
pub fn words(from: &str, subject: &str, text: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    if let Some((_, domain)) = from.rsplit_once('@') {
        found.insert(format!("from:{}", domain.to_lowercase()));
    }
    let split = |s: &str| {
        s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '$'))
            .map(str::to_lowercase)
            .filter(|w| (3..=24).contains(&w.chars().count()))
            .collect::<Vec<_>>()
    };
    for word in split(subject) {
        found.insert(format!("subject:{word}"));
    }
    for word in split(text) {
        if found.len() >= MAX_WORDS {
            break;
        }
        found.insert(word);
    }
    found.into_iter().take(MAX_WORDS).collect()
}

/// What the model knows of one word: in how many spam and how many other mails it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub spam: i64,
    pub ham: i64,
}

/// The probability that a mail is spam, from what the model knows of its words (`known`)
/// and how many mails of each kind it learned; `None` while it has not learned enough.
pub fn spam_probability(known: &[Counts], learned: Counts) -> Option<f64> {
    if learned.spam < MIN_LEARNED || learned.ham < MIN_LEARNED {
        return None;
    }
    let (spam_total, ham_total) = (learned.spam as f64, learned.ham as f64);
    let mut telling: Vec<f64> = known
        .iter()
        .filter(|c| c.spam + c.ham > 0)
        .map(|c| {
            let in_spam = (c.spam as f64 / spam_total).min(1.0);
            let in_ham = (c.ham as f64 / ham_total).min(1.0);
            let p = in_spam / (in_spam + in_ham);
            let n = (c.spam + c.ham) as f64;
            ((PRIOR_STRENGTH * PRIOR + n * p) / (PRIOR_STRENGTH + n)).clamp(0.01, 0.99)
        })
        .collect();
    if telling.is_empty() {
        return Some(PRIOR);
    }
    telling.sort_by(|a, b| {
        (b - PRIOR)
            .abs()
            .partial_cmp(&(a - PRIOR).abs())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    telling.truncate(TELLING);
    // Fisher's method (Robinson): H is near 1 when the words lean to spam, S when they lean
    // away from it; the indicator is (1 + H - S) / 2.
    let n = telling.len();
    let h = chi2_q(-2.0 * telling.iter().map(|p| p.ln()).sum::<f64>(), 2 * n);
    let s = chi2_q(
        -2.0 * telling.iter().map(|p| (1.0 - p).ln()).sum::<f64>(),
        2 * n,
    );
    Some((1.0 + h - s) / 2.0)
}

/// The chance of a chi-square value at least `x` with `freedom` (even) degrees.
fn chi2_q(x: f64, freedom: usize) -> f64 {
    let m = x / 2.0;
    let mut term = (-m).exp();
    let mut sum = term;
    for i in 1..freedom / 2 {
        term *= m / i as f64;
        sum += term;
    }
    sum.min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_once_with_the_subject_and_domain_marked() {
        let w = words(
            "Bob@Cheap-Pills.example",
            "WIN a Prize",
            "win win the prize NOW 4U",
        );
        assert_eq!(
            w,
            vec![
                "from:cheap-pills.example",
                "now",
                "prize",
                "subject:prize",
                "subject:win",
                "the",
                "win"
            ]
        );
        assert!(words("a@b.c", "", &"word ".repeat(10_000)).len() <= MAX_WORDS);
        assert!(words("a@b.c", "", "привет мир").contains(&"привет".to_owned()));
    }

    #[test]
    fn it_judges_nothing_until_it_has_learned_both_kinds() {
        let known = [Counts { spam: 50, ham: 0 }];
        assert_eq!(spam_probability(&known, Counts { spam: 50, ham: 2 }), None);
        assert!(spam_probability(&known, Counts { spam: 50, ham: 50 }).is_some());
    }

    #[test]
    fn spammy_words_make_spam_and_ordinary_ones_do_not() {
        let learned = Counts { spam: 20, ham: 20 };
        let spammy = vec![Counts { spam: 18, ham: 0 }; 6];
        let ordinary = vec![Counts { spam: 0, ham: 15 }; 6];
        let mixed = vec![Counts { spam: 10, ham: 10 }; 6];
        assert!(spam_probability(&spammy, learned).unwrap() >= THRESHOLD);
        assert!(spam_probability(&ordinary, learned).unwrap() < 0.1);
        let neutral = spam_probability(&mixed, learned).unwrap();
        assert!((0.3..0.7).contains(&neutral), "{neutral}");
        assert_eq!(spam_probability(&[], learned), Some(0.5), "nothing known");
    }
}
