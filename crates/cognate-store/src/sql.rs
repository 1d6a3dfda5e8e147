//! A small builder for the queries whose shape depends on the request (optional page start,
//! optional filter), and the text-range helpers that make "starts with" the same on both
//! backends.
//!
//! "Starts with p" is written as the range `p <= x < successor(p)` rather than `LIKE`, so `%`
//! and `_` in values need no escaping, an index on `x` serves it, and both backends agree: SQLite
//! compares text as UTF-8 bytes and PostgreSQL does under `COLLATE "C"`, and UTF-8 byte order is
//! code-point order.

use sqlx::any::{AnyArguments, AnyQueryResult, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Executor};

/// How many characters of an attribute value `user_attributes.value_head` keeps.
pub(crate) const VALUE_HEAD_CHARS: usize = 100;

pub(crate) enum Arg {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::OptText(v.map(str::to_string))
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::OptInt(v)
    }
}

/// SQL text with its arguments; [`Sql::arg`] hands out the next `$N`.
#[derive(Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Adds an argument and returns its placeholder.
    pub fn arg(&mut self, value: impl Into<Arg>) -> String {
        self.args.push(value.into());
        format!("${}", self.args.len())
    }

    /// `AND {column} > $after` when paging on, then the order and the limit.
    pub fn page(&mut self, column: &str, after: Option<&str>, limit: u32) -> &mut Sql {
        if let Some(after) = after {
            let p = self.arg(after);
            self.push(&format!(" AND {column} > {p}"));
        }
        let l = self.arg(i64::from(limit));
        self.push(&format!(" ORDER BY {column} LIMIT {l}"))
    }

    /// `AND {column} = $v`, or for a prefix `AND {column} >= $v [AND {column} < $next]`.
    pub fn text_match(&mut self, column: &str, value: &str, prefix: bool) -> &mut Sql {
        let v = self.arg(value);
        if !prefix {
            return self.push(&format!(" AND {column} = {v}"));
        }
        self.push(&format!(" AND {column} >= {v}"));
        if let Some(next) = prefix_successor(value) {
            let n = self.arg(next);
            self.push(&format!(" AND {column} < {n}"));
        }
        self
    }

    /// The same query under `EXPLAIN QUERY PLAN` (SQLite), for tests of index use.
    #[cfg(test)]
    pub fn explained(mut self) -> Sql {
        self.text.insert_str(0, "EXPLAIN QUERY PLAN ");
        self
    }

    fn query(&self) -> Query<'_, Any, AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for arg in &self.args {
            q = match arg {
                Arg::Text(v) => q.bind(v.as_str()),
                Arg::OptText(v) => q.bind(v.as_deref()),
                Arg::Int(v) => q.bind(*v),
                Arg::OptInt(v) => q.bind(*v),
            };
        }
        q
    }

    pub async fn fetch_all<'e, E>(&self, executor: E) -> Result<Vec<AnyRow>, sqlx::Error>
    where
        E: Executor<'e, Database = Any>,
    {
        self.query().fetch_all(executor).await
    }

    pub async fn execute<'e, E>(&self, executor: E) -> Result<AnyQueryResult, sqlx::Error>
    where
        E: Executor<'e, Database = Any>,
    {
        self.query().execute(executor).await
    }
}

/// The least string greater than every string that starts with `prefix`, if there is one.
///
/// Drops trailing U+10FFFF (nothing follows it) and steps the last remaining character to the
/// next scalar value, skipping the surrogate gap. `None` when nothing is left: every string
/// from `prefix` on matches.
pub(crate) fn prefix_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = match last as u32 {
            0xD7FF => Some('\u{E000}'),
            n => char::from_u32(n + 1),
        };
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The part of an attribute value that `user_attributes.value_head` keeps.
pub(crate) fn value_head(value: &str) -> &str {
    match value.char_indices().nth(VALUE_HEAD_CHARS) {
        Some((end, _)) => &value[..end],
        None => value,
    }
}

/// Deletes the row of `table` in pool `pool_id` whose `key` column is `value` (the tables keyed
/// by pool and one name: clients, groups, devices); whether there was one. `table` and `key`
/// are the callers' constants, never request input.
pub(crate) async fn delete_in_pool(
    s: &crate::SqlStore,
    table: &str,
    key: &str,
    pool_id: &str,
    value: &str,
) -> cognate_core::store::StoreResult<bool> {
    let done = sqlx::query(&format!(
        "DELETE FROM {table} WHERE pool_id = $1 AND {key} = $2"
    ))
    .bind(pool_id)
    .bind(value)
    .execute(&s.pool)
    .await
    .map_err(crate::error::db_err)?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successor_steps_the_last_character() {
        assert_eq!(prefix_successor("abc").as_deref(), Some("abd"));
        assert_eq!(prefix_successor("a%").as_deref(), Some("a&"));
        assert_eq!(prefix_successor("é").as_deref(), Some("ê"));
    }

    #[test]
    fn successor_skips_what_has_no_next() {
        assert_eq!(prefix_successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_successor("\u{10FFFF}\u{10FFFF}"), None);
        assert_eq!(prefix_successor(""), None);
    }

    #[test]
    fn strings_with_the_prefix_fall_inside_the_range() {
        let prefix = "ab";
        let next = prefix_successor(prefix).unwrap();
        for s in ["ab", "ab\0", "abz", "ab\u{10FFFF}x", "ab~"] {
            assert!(prefix <= s && s < next.as_str(), "{s:?}");
        }
        for s in ["aa", "ac", "b", "a"] {
            assert!(!(prefix <= s && s < next.as_str()), "{s:?}");
        }
    }

    #[test]
    fn value_head_cuts_on_characters() {
        assert_eq!(value_head("short"), "short");
        let long = "漢".repeat(VALUE_HEAD_CHARS + 5);
        assert_eq!(value_head(&long).chars().count(), VALUE_HEAD_CHARS);
    }
}
