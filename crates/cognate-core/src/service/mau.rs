//! Monthly active users, counted the way Cognito bills them: a user is active in a calendar
//! month (UTC) if they signed up, signed in or refreshed a token in it. The store keeps one row
//! per (pool, month, sub), written idempotently, so any number of nodes may record the same
//! user in the same month.
//!
//! Recording sits on the sign-in and refresh paths, so it is kept cheap: each node remembers
//! which (pool, sub, month) it has already written and skips the store for them. The memory is
//! bounded ([`REMEMBERED`] entries, then forgotten wholesale) and only ever saves a write the
//! store would have ignored.
//!
//! A failure to record is logged and does not fail the sign-in: the count is a report, and a
//! user is not refused service because the report could not be written.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use super::Service;
use crate::Result;

/// How many (store, pool, sub, month) entries a node remembers before starting afresh.
const REMEMBERED: usize = 100_000;

fn remembered() -> &'static Mutex<HashSet<String>> {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    SEEN.get_or_init(|| Mutex::new(HashSet::new()))
}

/// `YYYY-MM` of an instant, in UTC.
pub fn month_of(millis: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:04}-{:02}", at.year(), u8::from(at.month()))
}

/// Whether `month` is a `YYYY-MM` month.
pub fn is_month(month: &str) -> bool {
    let b = month.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(month[5..].parse::<u8>(), Ok(1..=12))
}

impl Service {
    /// Records that the user `sub` of `pool_id` was active now (sign-up, sign-in, refresh).
    pub(crate) async fn record_active(&self, pool_id: &str, sub: &str) {
        let month = month_of(self.now());
        // Keyed by the store too: tests run several servers, each with its own store, in one
        // process.
        let key = format!(
            "{:p}|{pool_id}|{sub}|{month}",
            std::sync::Arc::as_ptr(&self.store)
        );
        let seen = |insert: bool| {
            let mut set = match remembered().lock() {
                Ok(s) => s,
                Err(poisoned) => poisoned.into_inner(),
            };
            if !insert {
                return set.contains(&key);
            }
            if set.len() >= REMEMBERED {
                set.clear();
            }
            set.insert(key.clone());
            true
        };
        if seen(false) {
            return;
        }
        match self.store.record_activity(pool_id, sub, &month).await {
            Ok(()) => {
                seen(true);
            }
            Err(e) => {
                tracing::warn!(pool = %pool_id, error = %e, "monthly activity not recorded");
            }
        }
    }

    /// Active users per pool in `month` (`YYYY-MM`), ordered by pool id.
    pub async fn monthly_active_users(&self, month: &str) -> Result<Vec<(String, i64)>> {
        if !is_month(month) {
            return Err(crate::Error::invalid(format!(
                "Invalid month {month}: expected YYYY-MM."
            )));
        }
        Ok(self.store.count_active_users(month).await?)
    }

    /// The current month, `YYYY-MM`, by the engine's clock.
    pub fn current_month(&self) -> String {
        month_of(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_utc_calendar_months() {
        assert_eq!(month_of(0), "1970-01");
        // 2026-02-28T23:59:59.999Z and a millisecond later.
        assert_eq!(month_of(1_772_323_199_999), "2026-02");
        assert_eq!(month_of(1_772_323_200_000), "2026-03");
    }

    #[test]
    fn month_syntax_is_checked() {
        assert!(is_month("2026-03"));
        assert!(is_month("1999-12"));
        assert!(!is_month("2026-13"));
        assert!(!is_month("2026-00"));
        assert!(!is_month("2026-3"));
        assert!(!is_month("202603"));
        assert!(!is_month("2026-03-01"));
    }
}
