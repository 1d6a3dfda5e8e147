//! The storage port: everything the engine persists, one atomic operation per method.
//!
//! Implementations live in `cognate-store` (SQLite and PostgreSQL) and must pass its
//! conformance suite. Rules every implementation keeps:
//! - each method is one transaction: it happens wholly or not at all;
//! - inserts report an existing key as [`StoreError::Conflict`], never overwrite;
//! - `update_user` writes only if the stored `version` equals `expected_version`
//!   (optimistic concurrency between nodes), else [`StoreError::Conflict`];
//! - deleting a pool deletes everything in it; deleting a user or group deletes its memberships;
//! - lists are ordered by their key and page by "keys after this one", so a page token stays
//!   valid while the list changes.

use async_trait::async_trait;

use crate::model::{
    AuthSessionRecord, CodeRecord, Group, PoolDomain, RefreshTokenRecord, SignInFailures,
    SigningKeyRecord, User, UserPool, UserPoolClient,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("storage backend: {0}")]
    Backend(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// What ListUsers may filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserFilterField {
    /// Matches `username_key`.
    Username,
    Sub,
    /// `cognito:user_status`: the status name.
    Status,
    /// `status`: "Enabled" or "Disabled".
    Enabled,
    /// Any stored attribute by name.
    Attribute(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    pub field: UserFilterField,
    pub value: String,
    /// `^=` (starts with) rather than `=`.
    pub prefix: bool,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- user pools ---
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()>;
    async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>>;
    async fn update_pool(&self, pool: &UserPool) -> StoreResult<()>;
    /// Deletes the pool with its clients, users, groups and domains. False if it did not exist.
    async fn delete_pool(&self, pool_id: &str) -> StoreResult<bool>;
    async fn list_pools(&self, after: Option<&str>, limit: u32) -> StoreResult<Vec<UserPool>>;
    async fn count_users(&self, pool_id: &str) -> StoreResult<i64>;

    // --- app clients ---
    async fn insert_client(&self, client: &UserPoolClient) -> StoreResult<()>;
    async fn get_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> StoreResult<Option<UserPoolClient>>;
    async fn update_client(&self, client: &UserPoolClient) -> StoreResult<()>;
    async fn delete_client(&self, pool_id: &str, client_id: &str) -> StoreResult<bool>;
    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<UserPoolClient>>;
    async fn count_clients(&self, pool_id: &str) -> StoreResult<i64>;

    // --- users ---
    /// Conflict when the pool already has this `username_key` (or `sub`).
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    /// Users whose attribute `name` equals `value` exactly (alias look-ups).
    async fn find_users_by_attribute(
        &self,
        pool_id: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Vec<User>>;
    /// Replaces the user (attributes included) if its stored version is `expected_version`.
    async fn update_user(&self, user: &User, expected_version: i64) -> StoreResult<()>;
    async fn delete_user(&self, pool_id: &str, username_key: &str) -> StoreResult<bool>;
    /// Users ordered by `username_key`, after `after`, at most `limit`.
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<User>>;

    // --- groups ---
    async fn insert_group(&self, group: &Group) -> StoreResult<()>;
    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>>;
    async fn update_group(&self, group: &Group) -> StoreResult<()>;
    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool>;
    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Group>>;
    /// Idempotent: adding a member twice is not an error.
    async fn add_user_to_group(
        &self,
        pool_id: &str,
        group: &str,
        username_key: &str,
    ) -> StoreResult<()>;
    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        username_key: &str,
    ) -> StoreResult<()>;
    /// Groups of a user, ordered by group name.
    async fn list_groups_for_user(
        &self,
        pool_id: &str,
        username_key: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Group>>;
    /// Members of a group, ordered by `username_key`.
    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<User>>;

    // --- domains ---
    /// Conflict when the domain is taken (by any pool).
    async fn insert_domain(&self, domain: &PoolDomain) -> StoreResult<()>;
    async fn get_domain(&self, domain: &str) -> StoreResult<Option<PoolDomain>>;
    async fn list_domains_for_pool(&self, pool_id: &str) -> StoreResult<Vec<PoolDomain>>;
    async fn update_domain(&self, domain: &PoolDomain) -> StoreResult<()>;
    async fn delete_domain(&self, domain: &str) -> StoreResult<bool>;
    // --- signing keys ---
    /// Conflict when the pool already has this kid.
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        let _ = key;
        Err(StoreError::Backend(
            "signing keys: not implemented yet".into(),
        ))
    }
    /// The pool's keys, oldest first (retired ones included until deleted).
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
        let _ = pool_id;
        Err(StoreError::Backend(
            "signing keys: not implemented yet".into(),
        ))
    }
    /// In one transaction: inserts `new_key` and sets `retire_after_ms` on every other key of
    /// the same pool and use that has none (rotation).
    async fn rotate_signing_key(
        &self,
        new_key: &SigningKeyRecord,
        retire_after_ms: i64,
    ) -> StoreResult<()> {
        let _ = (new_key, retire_after_ms);
        Err(StoreError::Backend(
            "signing keys: not implemented yet".into(),
        ))
    }
    /// Deletes keys whose `retire_after_ms` is before `now_ms`; returns how many.
    async fn delete_retired_signing_keys(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64> {
        let _ = (pool_id, now_ms);
        Err(StoreError::Backend(
            "signing keys: not implemented yet".into(),
        ))
    }

    // --- one-time codes ---
    /// Inserts or replaces the code of (pool, user, purpose).
    async fn put_code(&self, code: &CodeRecord) -> StoreResult<()> {
        let _ = code;
        Err(StoreError::Backend("codes: not implemented yet".into()))
    }
    async fn get_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<Option<CodeRecord>> {
        let _ = (pool_id, username_key, purpose);
        Err(StoreError::Backend("codes: not implemented yet".into()))
    }
    /// Atomically adds one wrong guess; returns the new count (NotFound if no code).
    async fn add_code_attempt(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<i64> {
        let _ = (pool_id, username_key, purpose);
        Err(StoreError::Backend("codes: not implemented yet".into()))
    }
    /// Deletes the code only if its hash is still `code_hash`; true for exactly one of any
    /// number of concurrent callers, which makes a code single-use.
    async fn consume_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
        code_hash: &str,
    ) -> StoreResult<bool> {
        let _ = (pool_id, username_key, purpose, code_hash);
        Err(StoreError::Backend("codes: not implemented yet".into()))
    }

    // --- challenge sessions ---
    async fn put_session(&self, session: &AuthSessionRecord) -> StoreResult<()> {
        let _ = session;
        Err(StoreError::Backend("sessions: not implemented yet".into()))
    }
    /// Removes and returns the session: each session answers one challenge response.
    async fn take_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
        let _ = id_hash;
        Err(StoreError::Backend("sessions: not implemented yet".into()))
    }
    async fn delete_expired_sessions(&self, now_ms: i64) -> StoreResult<u64> {
        let _ = now_ms;
        Err(StoreError::Backend("sessions: not implemented yet".into()))
    }

    // --- refresh tokens ---
    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()> {
        let _ = token;
        Err(StoreError::Backend(
            "refresh tokens: not implemented yet".into(),
        ))
    }
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        let _ = token_hash;
        Err(StoreError::Backend(
            "refresh tokens: not implemented yet".into(),
        ))
    }
    /// The refresh token that started a token family, by the family's `origin_jti`.
    async fn get_refresh_token_by_origin(
        &self,
        pool_id: &str,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        let _ = (pool_id, origin_jti);
        Err(StoreError::Backend(
            "refresh tokens: not implemented yet".into(),
        ))
    }
    /// Marks one token revoked; false if it did not exist or was revoked already.
    async fn revoke_refresh_token(&self, token_hash: &str, now_ms: i64) -> StoreResult<bool> {
        let _ = (token_hash, now_ms);
        Err(StoreError::Backend(
            "refresh tokens: not implemented yet".into(),
        ))
    }
    /// Revokes every unrevoked refresh token of a user (global sign-out); returns how many.
    async fn revoke_user_refresh_tokens(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
    ) -> StoreResult<u64> {
        let _ = (pool_id, username_key, now_ms);
        Err(StoreError::Backend(
            "refresh tokens: not implemented yet".into(),
        ))
    }

    // --- sign-in failures (lockout) ---
    async fn get_sign_in_failures(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> StoreResult<Option<SignInFailures>> {
        let _ = (pool_id, username_key);
        Err(StoreError::Backend("lockout: not implemented yet".into()))
    }
    /// Atomically adds a failure and sets the lock end the caller computed from the new count,
    /// via `lock_for(failures_after_increment) -> lock duration in ms`.
    async fn record_sign_in_failure(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
        lock_for: fn(i64) -> i64,
    ) -> StoreResult<SignInFailures> {
        let _ = (pool_id, username_key, now_ms, lock_for);
        Err(StoreError::Backend("lockout: not implemented yet".into()))
    }
    async fn clear_sign_in_failures(&self, pool_id: &str, username_key: &str) -> StoreResult<()> {
        let _ = (pool_id, username_key);
        Err(StoreError::Backend("lockout: not implemented yet".into()))
    }

    // --- monthly active users ---
    /// Records that `sub` was active in `month` (`YYYY-MM`); idempotent.
    async fn record_activity(&self, pool_id: &str, sub: &str, month: &str) -> StoreResult<()> {
        let _ = (pool_id, sub, month);
        Err(StoreError::Backend("activity: not implemented yet".into()))
    }
    /// Active users per pool in `month`, ordered by pool id.
    async fn count_active_users(&self, month: &str) -> StoreResult<Vec<(String, i64)>> {
        let _ = month;
        Err(StoreError::Backend("activity: not implemented yet".into()))
    }
}

impl From<StoreError> for crate::Error {
    fn from(e: StoreError) -> Self {
        crate::Error::Internal(e.to_string())
    }
}
