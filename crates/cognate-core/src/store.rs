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

use crate::model::{Group, PoolDomain, User, UserPool, UserPoolClient};

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
}

impl From<StoreError> for crate::Error {
    fn from(e: StoreError) -> Self {
        crate::Error::Internal(e.to_string())
    }
}
