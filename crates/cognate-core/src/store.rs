//! The storage port: everything the engine persists, one atomic operation per method.
//!
//! Implementations live in `cognate-store` (SQLite and PostgreSQL) and must pass its
//! conformance suite. Rules every implementation keeps:
//! - each method is one transaction: it happens wholly or not at all (but
//!   [`Store::sweep_expired`], which says what it does instead);
//! - inserts report an existing key as [`StoreError::Conflict`], never overwrite (`put_code`,
//!   which replaces, and the idempotent adds say so);
//! - inserting a row whose parent is missing (a client, user, group, domain, key, session or
//!   activity of an unknown pool; a membership of an unknown user or group; a code, refresh
//!   token or failure count of an unknown user) is [`StoreError::NotFound`];
//! - `update_user` writes only if the stored `version` equals `expected_version`
//!   (optimistic concurrency between nodes) and the new `user.version` is
//!   `expected_version + 1`, else [`StoreError::Conflict`];
//! - deleting a pool deletes everything in it (monthly-activity records included); deleting a
//!   user deletes its memberships, codes, refresh tokens, failure count and devices, but not
//!   its activity records (they are billing history); deleting a group deletes its memberships;
//! - lists are ordered by their key and page by "keys after this one", so a page token stays
//!   valid while the list changes.

use async_trait::async_trait;

use crate::model::{
    AuthSessionRecord, CodeRecord, Device, DeviceStatus, Group, PoolDomain, RefreshTokenRecord,
    SignInFailures, SigningKeyRecord, User, UserPool, UserPoolClient,
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
    /// Deletes the pool with everything in it: clients, users (and what is theirs), groups,
    /// domains, signing keys, sessions, activity records. False if it did not exist.
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
    /// A client by its id alone (client ids are unique across pools).
    async fn find_client(&self, client_id: &str) -> StoreResult<Option<UserPoolClient>>;
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
    /// Conflict when it is not, or when `user.version` is not `expected_version + 1`;
    /// NotFound when there is no such user.
    async fn update_user(&self, user: &User, expected_version: i64) -> StoreResult<()>;
    /// Deletes the user with its memberships, codes, refresh tokens and failure count (not its
    /// activity records). False if it did not exist.
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
    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()>;
    /// The pool's keys, oldest first (by `created_ms`, then kid), retired ones included until
    /// deleted.
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>>;
    /// In one transaction: inserts `new_key` and sets `retire_after_ms` on every other key of
    /// the same pool and use that has none (rotation). Keys that already have one keep it.
    /// Concurrent rotations of one pool take turns, so each retires the key added before it.
    /// Conflict when the kid is taken, NotFound when the pool is missing; either way nothing
    /// changes.
    async fn rotate_signing_key(
        &self,
        new_key: &SigningKeyRecord,
        retire_after_ms: i64,
    ) -> StoreResult<()>;
    /// Deletes the pool's keys whose `retire_after_ms` is before `now_ms`; returns how many.
    async fn delete_retired_signing_keys(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64>;

    // --- one-time codes ---
    /// Inserts or replaces (all fields, `attempts` included) the code of (pool, user, purpose).
    /// NotFound when the user does not exist.
    async fn put_code(&self, code: &CodeRecord) -> StoreResult<()>;
    async fn get_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<Option<CodeRecord>>;
    /// Atomically adds one wrong guess; returns the new count (NotFound if no code).
    async fn add_code_attempt(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<i64>;
    /// Deletes the code only if its hash is still `code_hash`; true for exactly one of any
    /// number of concurrent callers, which makes a code single-use. False when there is no
    /// code or its hash differs (the code is then left as it was). Expiry is the caller's to
    /// check.
    async fn consume_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
        code_hash: &str,
    ) -> StoreResult<bool>;

    // --- challenge sessions ---
    /// Conflict when the id is taken; NotFound when the pool is missing. The user is not
    /// checked: a challenge may be for a user that does not exist.
    async fn put_session(&self, session: &AuthSessionRecord) -> StoreResult<()>;
    /// Removes and returns the session: each session answers one challenge response. Of any
    /// number of concurrent callers, exactly one gets it. Expiry is the caller's to check.
    async fn take_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>>;

    // --- refresh tokens ---
    /// Conflict when the hash is taken; NotFound when the user does not exist.
    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()>;
    /// The token, revoked or not.
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>>;
    /// The refresh token that started a token family, by the family's `origin_jti` (the
    /// earliest issued, should several share it).
    async fn get_refresh_token_by_origin(
        &self,
        pool_id: &str,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>>;
    /// Marks a token and the rest of its family (same pool and `origin_jti`: the tokens
    /// rotated from one another) revoked at `now_ms`; false if it did not exist or was revoked
    /// already (first revocation times are kept).
    async fn revoke_refresh_token(&self, token_hash: &str, now_ms: i64) -> StoreResult<bool>;
    /// Atomically marks `old_hash` rotated at `now_ms` (an earlier mark is kept) and inserts
    /// its successor `next`; false, with nothing written, if the old token does not exist or
    /// is revoked. NotFound when the user does not exist.
    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        now_ms: i64,
        next: &RefreshTokenRecord,
    ) -> StoreResult<bool>;
    /// Revokes every unrevoked refresh token of a user (global sign-out); returns how many.
    async fn revoke_user_refresh_tokens(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
    ) -> StoreResult<u64>;

    // --- sign-in failures (lockout) ---
    /// A user with their failure record (None when they have none), as a sign-in checks them
    /// first. A backend that can read both at once overrides this; the default reads twice.
    async fn get_user_signing_in(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> StoreResult<Option<(User, Option<SignInFailures>)>> {
        let Some(user) = self.get_user(pool_id, username_key).await? else {
            return Ok(None);
        };
        let failures = self.get_sign_in_failures(pool_id, username_key).await?;
        Ok(Some((user, failures)))
    }
    /// None when the user has no failures recorded (or they were cleared).
    async fn get_sign_in_failures(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> StoreResult<Option<SignInFailures>>;
    /// In one transaction, adds a failure and sets `locked_until_ms = now_ms +
    /// lock_for(failures_after_increment)` (`lock_for` gives a lock duration in ms); returns
    /// the new record. Concurrent calls each count: n of them add n. NotFound when the user
    /// does not exist.
    async fn record_sign_in_failure(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
        lock_for: fn(i64) -> i64,
    ) -> StoreResult<SignInFailures>;
    /// Forgets the user's failures (after a successful sign-in); not an error if there are none.
    async fn clear_sign_in_failures(&self, pool_id: &str, username_key: &str) -> StoreResult<()>;

    // --- remembered devices ---
    /// In one transaction: deletes the user's unconfirmed devices (no verifier) created before
    /// `prune_before_ms`, then inserts `device`. Conflict when the pool already has its key;
    /// NotFound when the user does not exist.
    async fn insert_device(&self, device: &Device, prune_before_ms: i64) -> StoreResult<()>;
    /// The device, confirmed or not.
    async fn get_device(&self, pool_id: &str, device_key: &str) -> StoreResult<Option<Device>>;
    /// Writes `verifier`, `name`, `status` and `modified_ms` of `device` if the stored device is
    /// still unconfirmed. True for exactly one of any number of concurrent callers; false when
    /// there is no such device or it was confirmed already.
    async fn confirm_device(&self, device: &Device) -> StoreResult<bool>;
    /// Sets a confirmed device's status and `modified_ms`; false if there is no confirmed
    /// device with that key.
    async fn set_device_status(
        &self,
        pool_id: &str,
        device_key: &str,
        status: DeviceStatus,
        now_ms: i64,
    ) -> StoreResult<bool>;
    /// Records a device sign-in: sets `last_authenticated_ms` (and `last_ip` when given) of a
    /// confirmed device; false if there is none with that key.
    async fn record_device_sign_in(
        &self,
        pool_id: &str,
        device_key: &str,
        last_ip: Option<&str>,
        now_ms: i64,
    ) -> StoreResult<bool>;
    /// False if it did not exist.
    async fn delete_device(&self, pool_id: &str, device_key: &str) -> StoreResult<bool>;
    /// The user's confirmed devices, ordered by `device_key`, after `after`, at most `limit`.
    async fn list_devices(
        &self,
        pool_id: &str,
        username_key: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Device>>;

    // --- monthly active users ---
    /// Records that `sub` was active in `month` (`YYYY-MM`); idempotent. NotFound when the pool
    /// is missing. Records outlive the user, not the pool.
    async fn record_activity(&self, pool_id: &str, sub: &str, month: &str) -> StoreResult<()>;
    /// Active users per pool in `month`, ordered by pool id; pools with none are left out.
    async fn count_active_users(&self, month: &str) -> StoreResult<Vec<(String, i64)>>;

    // --- clean-up ---
    /// Deletes what `cutoffs` reaches, at most `limit` rows per statement, and returns how many
    /// rows of each kind it deleted. Not one transaction: each kind (for refresh tokens, each of
    /// expiry and rotation) is one statement of its own, atomic by itself, so a backlog never
    /// holds a write lock for long; call again until nothing is deleted to clear one. Any number
    /// of callers at once (nodes sharing a database) is harmless: a row is deleted once, counted
    /// by whoever deleted it, and no caller waits on rows another is deleting. Sign-in failure
    /// counts and activity records are never swept.
    async fn sweep_expired(&self, cutoffs: &SweepCutoffs, limit: u32) -> StoreResult<SweepCounts>;
}

/// The longest an access token lives (`AccessTokenValidity` is at most a day).
pub(crate) const MAX_ACCESS_TOKEN_MS: i64 = crate::service::clients::ACCESS_ID_RANGE_SECS.1 * 1000;
/// The longest `RetryGracePeriodSeconds` a client may have.
const MAX_RETRY_GRACE_MS: i64 = crate::api::clients::MAX_RETRY_GRACE_SECS * 1000;

/// What [`Store::sweep_expired`] deletes: for each kind of row, the time (epoch ms) at or
/// before which it can no longer serve any request. Only the engine's rules know these, so
/// they are set here ([`SweepCutoffs::at`]) and a store only compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepCutoffs {
    /// Challenge sessions whose `expires_ms` is at or before this.
    pub session_expires_ms: i64,
    /// One-time codes, and the send-count windows kept beside them, whose `expires_ms` is at
    /// or before this.
    pub code_expires_ms: i64,
    /// Refresh tokens, revoked or not, whose `expires_ms` is at or before this.
    pub refresh_token_expires_ms: i64,
    /// Refresh tokens whose `rotated_ms` is at or before this. Their successor is a row of its
    /// own, judged by its own times.
    pub refresh_token_rotated_ms: i64,
    /// Unconfirmed devices (no verifier) whose `created_ms` is before this (strictly, as
    /// `insert_device` prunes).
    pub unconfirmed_device_created_ms: i64,
}

impl SweepCutoffs {
    /// The cut-offs at `now_ms`: nothing they reach can be used again.
    /// - A challenge session or a code is refused once `expires_ms <= now`; a send window
    ///   that has ended counts from zero again, as a missing one does.
    /// - A refresh token is refused once expired, but its row also answers for its family's
    ///   access tokens (an access token whose family has no stored token counts as revoked),
    ///   and one issued just before the refresh token expired lives up to a day longer. So
    ///   expired tokens stay a day. Revoked ones go by the same rule, not at once: until it
    ///   expires, presenting one answers "revoked".
    /// - A rotated refresh token is refused once the client's retry grace period (at most
    ///   60 s) has passed; its family lives on in its successor.
    /// - An unconfirmed device can be confirmed only with the access token of the sign-in
    ///   that made it, which lives at most a day (the bound `insert_device` prunes by).
    pub fn at(now_ms: i64) -> SweepCutoffs {
        SweepCutoffs {
            session_expires_ms: now_ms,
            code_expires_ms: now_ms,
            refresh_token_expires_ms: now_ms.saturating_sub(MAX_ACCESS_TOKEN_MS),
            refresh_token_rotated_ms: now_ms.saturating_sub(MAX_RETRY_GRACE_MS),
            unconfirmed_device_created_ms: now_ms.saturating_sub(MAX_ACCESS_TOKEN_MS),
        }
    }
}

/// How many rows of each kind a sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepCounts {
    pub sessions: u64,
    pub codes: u64,
    pub refresh_tokens: u64,
    pub devices: u64,
}

impl SweepCounts {
    pub fn total(&self) -> u64 {
        self.sessions + self.codes + self.refresh_tokens + self.devices
    }
}

impl std::ops::AddAssign for SweepCounts {
    fn add_assign(&mut self, other: SweepCounts) {
        self.sessions += other.sessions;
        self.codes += other.codes;
        self.refresh_tokens += other.refresh_tokens;
        self.devices += other.devices;
    }
}

impl From<StoreError> for crate::Error {
    fn from(e: StoreError) -> Self {
        crate::Error::Internal(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_cutoffs_keep_what_can_still_be_used() {
        let now = 1_700_000_000_000;
        assert_eq!(
            SweepCutoffs::at(now),
            SweepCutoffs {
                session_expires_ms: now,
                code_expires_ms: now,
                refresh_token_expires_ms: now - 86_400_000,
                refresh_token_rotated_ms: now - 60_000,
                unconfirmed_device_created_ms: now - 86_400_000,
            }
        );
        // Times near the ends of the range do not overflow.
        assert_eq!(
            SweepCutoffs::at(i64::MIN).refresh_token_expires_ms,
            i64::MIN
        );
    }

    #[test]
    fn sweep_counts_add_up() {
        let mut total = SweepCounts::default();
        total += SweepCounts {
            sessions: 1,
            codes: 2,
            refresh_tokens: 3,
            devices: 4,
        };
        total += SweepCounts {
            sessions: 10,
            ..SweepCounts::default()
        };
        assert_eq!(total.sessions, 11);
        assert_eq!(total.total(), 20);
    }
}
