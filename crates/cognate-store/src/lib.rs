//! Cognate's storage: the [`cognate_core::store::Store`] port over SQLite or PostgreSQL.
//!
//! One implementation serves both, through sqlx's `Any` driver: the SQL is written once, and
//! the few things that differ (connecting, per-connection settings, how a write transaction
//! begins, migration locking, the migration folder) are in `backend.rs`. Each entity's table is
//! read and written in its own module: `pools`, `clients`, `users`, `groups` (groups and
//! memberships), `domains`, and the sign-in state: `keys` (signing keys), `codes` (one-time
//! codes), `sessions` (challenge sessions), `refresh_tokens`, `lockout` (sign-in failures),
//! `devices` (remembered devices), `activity` (monthly active users); `sweep` deletes, in
//! bounded batches, the rows of those that no request can use any more; `migrate` brings the
//! schema up to date at connect time.
//!
//! Invariants beyond the port's own:
//! - a write of more than one statement runs in one transaction; on SQLite it takes the write
//!   lock up front, so concurrent writers queue (busy timeout) instead of failing;
//! - `users.attributes` (JSON) is what reads return; `user_attributes` is an index of it kept in
//!   the same transaction, used only to find users by attribute value;
//! - inserting a row whose parent is missing (a client of an unknown pool, a membership of an
//!   unknown user or group, a code or refresh token of an unknown user) is
//!   [`StoreError::NotFound`];
//! - what belongs to a user (memberships, attribute index, codes, refresh tokens, failure
//!   counters, devices) goes with the user by foreign-key cascade; activity rows reference only the
//!   pool, so monthly-active-user counts survive the user's deletion;
//! - operations that must be atomic under concurrency (consuming a code, taking a session,
//!   counting an attempt) are single statements, or transactions whose first write locks
//!   what the rest depends on;
//! - updates replace every column but the key and report a missing row as `NotFound`;
//! - text compares bytewise on both backends, so lists order and page identically.
//!
//! Not here: encryption of secrets at rest (the engine stores what it is given: hashes of
//! codes, sessions and refresh tokens, signing keys as PEM), and when to sweep or what has
//! expired (the engine's cut-offs, and a schedule the server keeps).

mod activity;
mod backend;
mod clients;
mod codes;
mod devices;
mod domains;
mod error;
mod groups;
mod keys;
mod lockout;
mod migrate;
mod pools;
mod refresh_tokens;
mod sessions;
mod sql;
mod sweep;
mod users;

use std::sync::Once;

use async_trait::async_trait;
use cognate_core::model::{
    AuthSessionRecord, CodeRecord, Device, DeviceStatus, Group, PoolDomain, RefreshTokenRecord,
    SignInFailures, SigningKeyRecord, User, UserPool, UserPoolClient,
};
use cognate_core::store::{Store, StoreError, StoreResult, SweepCounts, SweepCutoffs, UserFilter};
use sqlx::{Any, AnyPool, Transaction};

pub use backend::Backend;

use backend::Target;
use error::db_err;

/// The store over a pool of database connections. Cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

static INSTALL_DRIVERS: Once = Once::new();

impl SqlStore {
    /// Opens `sqlite://path/to/file.db` (created, with its folder, if missing) or
    /// `postgres://…`, and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        INSTALL_DRIVERS.call_once(sqlx::any::install_default_drivers);
        let target = Target::parse(url)?;
        let pool = target.open_pool().await?;
        let store = SqlStore {
            pool,
            backend: target.backend,
        };
        if let Err(e) = migrate::run(&store.pool, store.backend).await {
            store.close().await;
            return Err(e);
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection; waits for those in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The settings that decide whether an acknowledged write survives a crash or power cut,
    /// as the database reports them (for SQLite: `journal_mode`, `synchronous`,
    /// `foreign_keys`, `busy_timeout`, and `mmap_size`, which is how pages are read; for
    /// PostgreSQL: `fsync`, `synchronous_commit`, `full_page_writes`). For the start-up log,
    /// and for tests.
    pub async fn durability(&self) -> StoreResult<Vec<(String, String)>> {
        self.backend.durability(&self.pool).await
    }

    /// Begins a transaction that will write (see [`Backend::begin_write`]).
    async fn begin_write(&self) -> StoreResult<Transaction<'static, Any>> {
        match self.backend.begin_write() {
            Some(statement) => self.pool.begin_with(statement).await,
            None => self.pool.begin().await,
        }
        .map_err(db_err)
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()> {
        pools::insert(self, pool).await
    }
    async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>> {
        pools::get(self, pool_id).await
    }
    async fn update_pool(&self, pool: &UserPool) -> StoreResult<()> {
        pools::update(self, pool).await
    }
    async fn delete_pool(&self, pool_id: &str) -> StoreResult<bool> {
        pools::delete(self, pool_id).await
    }
    async fn list_pools(&self, after: Option<&str>, limit: u32) -> StoreResult<Vec<UserPool>> {
        pools::list(self, after, limit).await
    }
    async fn count_users(&self, pool_id: &str) -> StoreResult<i64> {
        users::count(self, pool_id).await
    }

    async fn insert_client(&self, client: &UserPoolClient) -> StoreResult<()> {
        clients::insert(self, client).await
    }
    async fn get_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> StoreResult<Option<UserPoolClient>> {
        clients::get(self, pool_id, client_id).await
    }
    async fn find_client(&self, client_id: &str) -> StoreResult<Option<UserPoolClient>> {
        clients::find(self, client_id).await
    }
    async fn update_client(&self, client: &UserPoolClient) -> StoreResult<()> {
        clients::update(self, client).await
    }
    async fn delete_client(&self, pool_id: &str, client_id: &str) -> StoreResult<bool> {
        clients::delete(self, pool_id, client_id).await
    }
    async fn list_clients(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<UserPoolClient>> {
        clients::list(self, pool_id, after, limit).await
    }
    async fn count_clients(&self, pool_id: &str) -> StoreResult<i64> {
        clients::count(self, pool_id).await
    }

    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        users::insert(self, user).await
    }
    async fn get_user(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        users::get(self, pool_id, username_key).await
    }
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        users::get_by_sub(self, pool_id, sub).await
    }
    async fn find_users_by_attribute(
        &self,
        pool_id: &str,
        name: &str,
        value: &str,
    ) -> StoreResult<Vec<User>> {
        users::find_by_attribute(self, pool_id, name, value).await
    }
    async fn update_user(&self, user: &User, expected_version: i64) -> StoreResult<()> {
        users::update(self, user, expected_version).await
    }
    async fn delete_user(&self, pool_id: &str, username_key: &str) -> StoreResult<bool> {
        users::delete(self, pool_id, username_key).await
    }
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<User>> {
        users::list(self, pool_id, filter, after, limit).await
    }

    async fn insert_group(&self, group: &Group) -> StoreResult<()> {
        groups::insert(self, group).await
    }
    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
        groups::get(self, pool_id, name).await
    }
    async fn update_group(&self, group: &Group) -> StoreResult<()> {
        groups::update(self, group).await
    }
    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool> {
        groups::delete(self, pool_id, name).await
    }
    async fn list_groups(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Group>> {
        groups::list(self, pool_id, after, limit).await
    }
    async fn add_user_to_group(
        &self,
        pool_id: &str,
        group: &str,
        username_key: &str,
    ) -> StoreResult<()> {
        groups::add_member(self, pool_id, group, username_key).await
    }
    async fn remove_user_from_group(
        &self,
        pool_id: &str,
        group: &str,
        username_key: &str,
    ) -> StoreResult<()> {
        groups::remove_member(self, pool_id, group, username_key).await
    }
    async fn list_groups_for_user(
        &self,
        pool_id: &str,
        username_key: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Group>> {
        groups::list_for_user(self, pool_id, username_key, after, limit).await
    }
    async fn list_users_in_group(
        &self,
        pool_id: &str,
        group: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<User>> {
        groups::list_members(self, pool_id, group, after, limit).await
    }

    async fn insert_domain(&self, domain: &PoolDomain) -> StoreResult<()> {
        domains::insert(self, domain).await
    }
    async fn get_domain(&self, domain: &str) -> StoreResult<Option<PoolDomain>> {
        domains::get(self, domain).await
    }
    async fn list_domains_for_pool(&self, pool_id: &str) -> StoreResult<Vec<PoolDomain>> {
        domains::list_for_pool(self, pool_id).await
    }
    async fn update_domain(&self, domain: &PoolDomain) -> StoreResult<()> {
        domains::update(self, domain).await
    }
    async fn delete_domain(&self, domain: &str) -> StoreResult<bool> {
        domains::delete(self, domain).await
    }

    async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
        keys::insert(self, key).await
    }
    async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
        keys::list(self, pool_id).await
    }
    async fn rotate_signing_key(
        &self,
        new_key: &SigningKeyRecord,
        retire_after_ms: i64,
    ) -> StoreResult<()> {
        keys::rotate(self, new_key, retire_after_ms).await
    }
    async fn delete_retired_signing_keys(&self, pool_id: &str, now_ms: i64) -> StoreResult<u64> {
        keys::delete_retired(self, pool_id, now_ms).await
    }

    async fn put_code(&self, code: &CodeRecord) -> StoreResult<()> {
        codes::put(self, code).await
    }
    async fn get_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<Option<CodeRecord>> {
        codes::get(self, pool_id, username_key, purpose).await
    }
    async fn add_code_attempt(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
    ) -> StoreResult<i64> {
        codes::add_attempt(self, pool_id, username_key, purpose).await
    }
    async fn consume_code(
        &self,
        pool_id: &str,
        username_key: &str,
        purpose: &str,
        code_hash: &str,
    ) -> StoreResult<bool> {
        codes::consume(self, pool_id, username_key, purpose, code_hash).await
    }

    async fn put_session(&self, session: &AuthSessionRecord) -> StoreResult<()> {
        sessions::put(self, session).await
    }
    async fn take_session(&self, id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
        sessions::take(self, id_hash).await
    }

    async fn insert_refresh_token(&self, token: &RefreshTokenRecord) -> StoreResult<()> {
        refresh_tokens::insert(self, token).await
    }
    async fn get_refresh_token(&self, token_hash: &str) -> StoreResult<Option<RefreshTokenRecord>> {
        refresh_tokens::get(self, token_hash).await
    }
    async fn get_refresh_token_by_origin(
        &self,
        pool_id: &str,
        origin_jti: &str,
    ) -> StoreResult<Option<RefreshTokenRecord>> {
        refresh_tokens::get_by_origin(self, pool_id, origin_jti).await
    }
    async fn revoke_refresh_token(&self, token_hash: &str, now_ms: i64) -> StoreResult<bool> {
        refresh_tokens::revoke(self, token_hash, now_ms).await
    }
    async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        now_ms: i64,
        next: &RefreshTokenRecord,
    ) -> StoreResult<bool> {
        refresh_tokens::rotate(self, old_hash, now_ms, next).await
    }
    async fn revoke_user_refresh_tokens(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
    ) -> StoreResult<u64> {
        refresh_tokens::revoke_for_user(self, pool_id, username_key, now_ms).await
    }

    async fn get_user_signing_in(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> StoreResult<Option<(User, Option<SignInFailures>)>> {
        users::get_signing_in(self, pool_id, username_key).await
    }
    async fn get_sign_in_failures(
        &self,
        pool_id: &str,
        username_key: &str,
    ) -> StoreResult<Option<SignInFailures>> {
        lockout::get(self, pool_id, username_key).await
    }
    async fn record_sign_in_failure(
        &self,
        pool_id: &str,
        username_key: &str,
        now_ms: i64,
        lock_for: fn(i64) -> i64,
    ) -> StoreResult<SignInFailures> {
        lockout::record_failure(self, pool_id, username_key, now_ms, lock_for).await
    }
    async fn clear_sign_in_failures(&self, pool_id: &str, username_key: &str) -> StoreResult<()> {
        lockout::clear(self, pool_id, username_key).await
    }

    async fn insert_device(&self, device: &Device, prune_before_ms: i64) -> StoreResult<()> {
        devices::insert(self, device, prune_before_ms).await
    }
    async fn get_device(&self, pool_id: &str, device_key: &str) -> StoreResult<Option<Device>> {
        devices::get(self, pool_id, device_key).await
    }
    async fn confirm_device(&self, device: &Device) -> StoreResult<bool> {
        devices::confirm(self, device).await
    }
    async fn set_device_status(
        &self,
        pool_id: &str,
        device_key: &str,
        status: DeviceStatus,
        now_ms: i64,
    ) -> StoreResult<bool> {
        devices::set_status(self, pool_id, device_key, status, now_ms).await
    }
    async fn record_device_sign_in(
        &self,
        pool_id: &str,
        device_key: &str,
        last_ip: Option<&str>,
        now_ms: i64,
    ) -> StoreResult<bool> {
        devices::record_sign_in(self, pool_id, device_key, last_ip, now_ms).await
    }
    async fn delete_device(&self, pool_id: &str, device_key: &str) -> StoreResult<bool> {
        devices::delete(self, pool_id, device_key).await
    }
    async fn list_devices(
        &self,
        pool_id: &str,
        username_key: &str,
        after: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Device>> {
        devices::list(self, pool_id, username_key, after, limit).await
    }

    async fn record_activity(&self, pool_id: &str, sub: &str, month: &str) -> StoreResult<()> {
        activity::record(self, pool_id, sub, month).await
    }
    async fn count_active_users(&self, month: &str) -> StoreResult<Vec<(String, i64)>> {
        activity::count(self, month).await
    }

    async fn sweep_expired(&self, cutoffs: &SweepCutoffs, limit: u32) -> StoreResult<SweepCounts> {
        sweep::run(self, cutoffs, limit).await
    }
}

/// `connect` must work from a spawned task, so its future must stay `Send` (some sqlx calls,
/// such as `raw_sql(..).execute(&mut *tx)`, quietly make it not). Checked at compile time.
#[allow(dead_code)]
fn connect_future_is_send() {
    fn is_send<T: Send>(_: &T) {}
    is_send(&SqlStore::connect(""));
}
