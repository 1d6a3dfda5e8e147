//! How database errors become [`StoreError`]s.
//!
//! A unique or primary-key violation is a [`StoreError::Conflict`]; a foreign-key violation
//! means the row referred to (the pool, the user, the group) does not exist, so it is
//! [`StoreError::NotFound`]. Anything else is [`StoreError::Backend`] with the driver's text,
//! for the log.

use cognate_core::store::StoreError;

pub(crate) fn db_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Conflict(d.message().to_string())
        }
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound,
        _ => StoreError::Backend(e.to_string()),
    }
}

/// A stored value this build cannot read back (bad JSON, unknown status).
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("stored {what} is unreadable: {detail}"))
}
