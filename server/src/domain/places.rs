//! Where a member's new ticket stands: its place in the department's line and about how
//! long until its first answer, from how long first answers took lately.

/// How far back first answers count towards an estimate.
pub const WINDOW_MS: i64 = 7 * 24 * 3_600_000;
/// How many of the newest first answers count.
pub const SAMPLES: i64 = 50;
/// Fewest first answers an estimate is made from: with fewer, none is given.
const MIN_SAMPLES: usize = 3;
const MINUTE: i64 = 60_000;

/// About how many minutes until a ticket that has waited `waited_ms` is first answered:
/// the median of the `recent` first-answer times (milliseconds), less what it has waited,
/// rounded up and at least one; `None` when there are too few to tell.
pub fn estimate_mins(recent: &[i64], waited_ms: i64) -> Option<i64> {
    if recent.len() < MIN_SAMPLES {
        return None;
    }
    let mut sorted: Vec<i64> = recent.iter().map(|t| (*t).max(0)).collect();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2
    } else {
        sorted[middle]
    };
    let left = median.saturating_sub(waited_ms.max(0));
    Some(((left + MINUTE - 1) / MINUTE).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_is_the_median_less_the_wait() {
        let min = |m: i64| m * MINUTE;
        assert_eq!(estimate_mins(&[min(1), min(2)], 0), None, "too few");
        assert_eq!(estimate_mins(&[min(4), min(1), min(30)], 0), Some(4));
        assert_eq!(
            estimate_mins(&[min(2), min(4), min(6), min(100)], 0),
            Some(5),
            "an even count takes the middle two"
        );
        assert_eq!(estimate_mins(&[min(4), min(4), min(4)], min(1)), Some(3));
        assert_eq!(
            estimate_mins(&[min(4), min(4), min(4)], min(10)),
            Some(1),
            "waited past it: any minute now"
        );
        assert_eq!(
            estimate_mins(&[90_001, 90_001, 90_001], 0),
            Some(2),
            "rounded up"
        );
        assert_eq!(
            estimate_mins(&[-5, 0, 0], 0),
            Some(1),
            "never below a minute"
        );
    }
}
