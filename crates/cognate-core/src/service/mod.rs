//! The engine's entry point: one [`Service`] per server, shared by every protocol. Each
//! submodule holds the operations on one kind of resource, named after the AWS actions.

pub mod auth;
pub mod client_auth;
pub mod clients;
pub mod codes;
mod config_cache;
pub mod devices;
pub mod discovery;
pub mod domains;
pub mod groups;
pub mod keys;
pub mod mau;
pub mod pool_extras;
pub mod pools;
pub mod recovery;
mod refresh;
pub mod self_service;
pub mod signup;
pub mod srp;
pub mod tokens;
pub mod users;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::cpu::CpuPool;
use crate::sender::Sender;
use crate::store::Store;
use crate::{Error, Result};

/// Settings of the server that the engine needs.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// The account id used in ARNs.
    pub account_id: String,
    /// The region of requests that carry none.
    pub default_region: String,
    /// Base URL of this server, the prefix of token issuers (`{public_url}/{poolId}`).
    pub public_url: String,
}

/// Who is asking, as far as the engine cares.
#[derive(Debug, Clone)]
pub struct RequestContext {
    /// The region the request was made in (its SigV4 scope, or the server's default).
    pub region: String,
}

pub struct Service {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) sender: Arc<dyn Sender>,
    pub(crate) cpu: CpuPool,
    pub(crate) config: ServiceConfig,
    rng: Mutex<StdRng>,
    /// Seals secrets at rest (signing keys); see [`Service::with_master_key`].
    pub(crate) master_key: Arc<cognate_crypto::secretbox::MasterKey>,
    /// Parsed signing keys per pool (see `keys`).
    pub(crate) signing_keys: keys::KeyCache,
    /// Pools and clients as the authentication paths read them (see `config_cache`).
    pub(crate) config_cache: config_cache::ConfigCache,
}

impl Service {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        sender: Arc<dyn Sender>,
        config: ServiceConfig,
    ) -> Self {
        Service {
            store,
            clock,
            sender,
            cpu: CpuPool::for_machine(),
            config,
            rng: Mutex::new(StdRng::from_entropy()),
            master_key: Arc::new(cognate_crypto::secretbox::MasterKey::ephemeral()),
            signing_keys: keys::KeyCache::default(),
            config_cache: config_cache::ConfigCache::default(),
        }
    }

    /// Sets the master key that seals secrets at rest. Without one the engine seals with a key
    /// of its own that dies with the process, which suits tests only: a server must pass the
    /// key it keeps on file, and every node sharing a database must pass the same one.
    pub fn with_master_key(mut self, key: cognate_crypto::secretbox::MasterKey) -> Self {
        self.master_key = Arc::new(key);
        self.signing_keys = keys::KeyCache::default();
        self
    }

    /// Replaces the random source, so tests get repeatable ids.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.rng = Mutex::new(StdRng::seed_from_u64(seed));
        self
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now_millis()
    }

    /// The engine's time, for layers that check time-bound things (signatures) themselves.
    pub fn now_millis(&self) -> i64 {
        self.clock.now_millis()
    }

    /// A fresh id for a request, as AWS puts in `x-amzn-RequestId`.
    pub fn new_request_id(&self) -> String {
        self.with_rng(crate::ids::new_uuid)
    }

    /// Runs `f` with the engine's random source (a CSPRNG unless a test seeded it).
    pub(crate) fn with_rng<T>(&self, f: impl FnOnce(&mut dyn RngCore) -> T) -> T {
        let mut guard = match self.rng.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut *guard)
    }

    pub(crate) async fn pool(&self, pool_id: &str) -> Result<crate::model::UserPool> {
        self.store
            .get_pool(pool_id)
            .await?
            .ok_or_else(|| Error::pool_not_found(pool_id))
    }

    /// Finds a user the way Cognito resolves a `Username` parameter: the username itself, then
    /// the user's `sub`, then a sign-in alias (a verified email or phone number, or a preferred
    /// username) when the pool has alias attributes, or the email or phone number (verified
    /// or not) when the pool has username attributes.
    pub(crate) async fn find_user(
        &self,
        pool: &crate::model::UserPool,
        username: &str,
    ) -> Result<Option<crate::model::User>> {
        let key = pool.username_key(username);
        if let Some(user) = self.store.get_user(&pool.id, &key).await? {
            return Ok(Some(user));
        }
        self.find_user_by_other_names(pool, username).await
    }

    /// [`Self::find_user`] with the user's sign-in failure record (lockout), which a sign-in
    /// checks first: read with the user when `username` is the username itself, the common
    /// case, and after it otherwise.
    pub(crate) async fn find_user_signing_in(
        &self,
        pool: &crate::model::UserPool,
        username: &str,
    ) -> Result<Option<(crate::model::User, Option<crate::model::SignInFailures>)>> {
        let key = pool.username_key(username);
        if let Some(found) = self.store.get_user_signing_in(&pool.id, &key).await? {
            return Ok(Some(found));
        }
        let Some(user) = self.find_user_by_other_names(pool, username).await? else {
            return Ok(None);
        };
        let failures = self
            .store
            .get_sign_in_failures(&pool.id, &user.username_key)
            .await?;
        Ok(Some((user, failures)))
    }

    /// The rest of [`Self::find_user`] once `username` is not a username: the user's `sub`,
    /// then the pool's sign-in aliases or username attributes.
    async fn find_user_by_other_names(
        &self,
        pool: &crate::model::UserPool,
        username: &str,
    ) -> Result<Option<crate::model::User>> {
        if let Some(user) = self.store.get_user_by_sub(&pool.id, username).await? {
            return Ok(Some(user));
        }
        let settings = &pool.settings;
        // (attribute, whether it is a username attribute). Owned and plain loops, not
        // iterator adapters with closures, so the future stays `Send` across the awaits.
        let mut sign_in: Vec<(String, bool)> = Vec::new();
        for a in settings.alias_attributes.iter().flatten() {
            sign_in.push((a.clone(), false));
        }
        for a in settings.username_attributes.iter().flatten() {
            sign_in.push((a.clone(), true));
        }
        let mut values = vec![username.to_string()];
        let lowered = username.to_lowercase();
        if pool.case_insensitive() && lowered != username {
            values.push(lowered);
        }
        for (attr, is_username) in &sign_in {
            for value in &values {
                let candidates = self
                    .store
                    .find_users_by_attribute(&pool.id, attr, value)
                    .await?;
                // An alias signs in only once verified; a username attribute is the username,
                // so it identifies its user whether verified or not.
                for u in candidates {
                    let usable = *is_username
                        || match attr.as_str() {
                            "email" => u.attribute("email_verified") == Some("true"),
                            "phone_number" => u.attribute("phone_number_verified") == Some("true"),
                            _ => true,
                        };
                    if usable {
                        return Ok(Some(u));
                    }
                }
            }
        }
        Ok(None)
    }

    /// Like [`Service::find_user`], failing with `UserNotFoundException`.
    pub(crate) async fn user(
        &self,
        pool: &crate::model::UserPool,
        username: &str,
    ) -> Result<crate::model::User> {
        self.find_user(pool, username)
            .await?
            .ok_or_else(Error::user_not_found)
    }

    pub fn pool_arn(&self, region: &str, pool_id: &str) -> String {
        format!(
            "arn:aws:cognito-idp:{region}:{}:userpool/{pool_id}",
            self.config.account_id
        )
    }
}

/// Page tokens are opaque to clients: the last key of the page, base64-encoded.
pub mod page {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use crate::{Error, Result};

    pub fn encode(last_key: &str) -> String {
        URL_SAFE_NO_PAD.encode(last_key.as_bytes())
    }

    pub fn decode(token: Option<&str>) -> Result<Option<String>> {
        let Some(token) = token else { return Ok(None) };
        URL_SAFE_NO_PAD
            .decode(token.as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(Some)
            .ok_or_else(|| Error::invalid("Invalid pagination token."))
    }

    /// Given `limit + 1` rows, returns the page and the token for the next one.
    pub fn split<T>(
        mut rows: Vec<T>,
        limit: usize,
        key: impl Fn(&T) -> String,
    ) -> (Vec<T>, Option<String>) {
        if rows.len() > limit {
            rows.truncate(limit);
            let next = rows.last().map(|r| encode(&key(r)));
            (rows, next)
        } else {
            (rows, None)
        }
    }
}
