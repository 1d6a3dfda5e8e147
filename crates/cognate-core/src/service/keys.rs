//! Each pool's RSA signing keys: signing and checking tokens, the JWKS, and rotation.
//!
//! Cognito signs ID and access tokens with different keys, so a pool has one current key per
//! [`TokenUse`]. Keys are made on first need (the first token, or the first JWKS request) and
//! kept in the store, their private half sealed with the server's master key
//! ([`cognate_crypto::secretbox`]); the store never sees a private key in the clear.
//!
//! Invariants:
//! - The current key of a use is its newest unretired key; every key whose `retire_after_ms`
//!   has not passed is published in the JWKS and accepted by [`Service::verify_token`].
//! - Rotation retires the old keys at "now + the longest token lifetime any client of the pool
//!   has + a margin", so every token an old key signed expires while the key is still published.
//!   The margin covers the refresh interval below, during which another node may still sign
//!   with the old key, and clock skew between nodes.
//! - Nodes agree without talking to each other. The first key of each use has a kid derived from
//!   the pool id, so two nodes making it at once collide on the store's `(pool, kid)` key: the
//!   loser's insert is a conflict, and it reloads and uses the winner's key. Later keys (from
//!   rotation) have random kids.
//! - Each node caches the parsed keys of a pool and reads the store again when the cache is
//!   older than [`REFRESH_MS`] or a token names a kid it does not know, and for every JWKS
//!   request. So a rotation made by another node or by `cognate keys rotate` is published
//!   everywhere at once, a token signed with a new key verifies at once anywhere, and every node
//!   signs with the new keys within a minute. A reload re-parses only keys it has not seen.
//!
//! Not here: claim checks (expiry, audience, `token_use`, revocation) are the caller's;
//! [`Service::verify_token`] checks only that the pool signed the token.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_crypto::jwt::{self, PublicKey, SigningKey};
use cognate_crypto::secretbox::MasterKey;
use serde_json::{json, Value};

use super::clients::token_lifetimes;
use super::Service;
use crate::model::SigningKeyRecord;
use crate::store::StoreError;
use crate::{Error, Result};

/// How long a node trusts its cached keys of a pool before reading the store again.
pub const REFRESH_MS: i64 = 60_000;
/// Added to the longest token lifetime when old keys are retired; more than [`REFRESH_MS`].
pub const RETIRE_MARGIN_MS: i64 = 5 * 60_000;
/// The longest an ID or access token can live (Cognito's upper bound, one day).
const LONGEST_TOKEN_MS: i64 = 24 * 3600 * 1000;
/// Tokens longer than this are not even parsed.
const MAX_TOKEN_LEN: usize = 16 * 1024;
const INVALID_TOKEN: &str = "Invalid token.";

/// Which kind of token a key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    pub const ALL: [TokenUse; 2] = [TokenUse::Id, TokenUse::Access];

    /// The name stored in [`SigningKeyRecord::use_for`] (and Cognito's `token_use` claim).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }

    pub fn parse(s: &str) -> Option<TokenUse> {
        match s {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            TokenUse::Id => 0,
            TokenUse::Access => 1,
        }
    }
}

/// The per-node cache of parsed keys, one slot per pool.
#[derive(Default)]
pub(crate) struct KeyCache {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    /// Numbers each load, so a waiter can tell whether someone else reloaded meanwhile.
    loads: AtomicU64,
}

#[derive(Default)]
struct Slot {
    keys: RwLock<Option<Arc<PoolKeys>>>,
    /// Held while reading the store (and making keys) for this pool: one load at a time.
    load: tokio::sync::Mutex<()>,
}

impl Slot {
    fn get(&self) -> Option<Arc<PoolKeys>> {
        match self.keys.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, keys: Arc<PoolKeys>) {
        match self.keys.write() {
            Ok(mut g) => *g = Some(keys),
            Err(poisoned) => *poisoned.into_inner() = Some(keys),
        }
    }
}

impl KeyCache {
    fn slot(&self, pool_id: &str) -> Arc<Slot> {
        let mut slots = match self.slots.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        slots.entry(pool_id.to_string()).or_default().clone()
    }

    /// Drops a slot that never loaded (an unknown pool), so probing ids costs no memory.
    fn forget_if_empty(&self, pool_id: &str, slot: &Arc<Slot>) {
        let mut slots = match self.slots.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if slot.get().is_none() && slots.get(pool_id).is_some_and(|s| Arc::ptr_eq(s, slot)) {
            slots.remove(pool_id);
        }
    }
}

/// One key, parsed.
#[derive(Clone)]
struct LoadedKey {
    kid: String,
    use_for: TokenUse,
    created_ms: i64,
    retire_after_ms: Option<i64>,
    signing: Arc<SigningKey>,
    public: PublicKey,
    jwk: Value,
}

impl LoadedKey {
    fn published(&self, now: i64) -> bool {
        self.retire_after_ms.is_none_or(|t| t > now)
    }
}

/// The keys of one pool as one load found them.
struct PoolKeys {
    load: u64,
    loaded_ms: i64,
    /// Oldest first.
    keys: Vec<LoadedKey>,
    /// Index into `keys` of the current key of each use.
    current: [Option<usize>; 2],
}

impl PoolKeys {
    fn fresh(&self, now: i64) -> bool {
        now - self.loaded_ms < REFRESH_MS
    }

    fn current(&self, use_for: TokenUse) -> Option<&LoadedKey> {
        self.current[use_for.index()].and_then(|i| self.keys.get(i))
    }

    fn find(&self, kid: &str) -> Option<&LoadedKey> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The keys to publish: the current ones first (ID, then access), then the others that
    /// have not retired, newest first.
    fn published(&self, now: i64) -> Vec<&LoadedKey> {
        let current: Vec<usize> = self.current.iter().flatten().copied().collect();
        let mut out: Vec<&LoadedKey> = current.iter().filter_map(|&i| self.keys.get(i)).collect();
        for (i, k) in self.keys.iter().enumerate().rev() {
            if !current.contains(&i) && k.published(now) {
                out.push(k);
            }
        }
        out
    }
}

/// What a caller needs from the cache.
enum Want<'a> {
    /// A current key of each use, made if missing.
    Current,
    /// The key with this kid, if the store has it.
    Kid(&'a str),
    /// Whatever the store has, read after this call began (and a current key of each use,
    /// made if missing, when `make_missing`).
    Reload { make_missing: bool },
}

impl Want<'_> {
    /// Whether `keys` answers this want without reading the store (again).
    fn satisfied_by(&self, keys: &PoolKeys) -> bool {
        match self {
            Want::Current => has_current_keys(keys),
            Want::Kid(kid) => keys.find(kid).is_some(),
            Want::Reload { .. } => false,
        }
    }

    /// Whether `keys`, loaded after this call began, answers it.
    fn satisfied_by_new_load(&self, keys: &PoolKeys) -> bool {
        match self {
            Want::Current | Want::Reload { make_missing: true } => has_current_keys(keys),
            Want::Kid(_)
            | Want::Reload {
                make_missing: false,
            } => true,
        }
    }

    fn makes_missing_keys(&self) -> bool {
        matches!(self, Want::Current | Want::Reload { make_missing: true })
    }
}

fn has_current_keys(keys: &PoolKeys) -> bool {
    keys.current.iter().all(Option::is_some)
}

impl Service {
    /// Signs `claims` as a compact RS256 JWS with the pool's current key for `use_for`; the
    /// header names the key (`kid`). The RSA operation runs on the CPU pool.
    pub async fn sign_token(
        &self,
        pool_id: &str,
        use_for: TokenUse,
        claims: &Value,
    ) -> Result<String> {
        let keys = self.pool_keys(pool_id, Want::Current).await?;
        let key = keys.current(use_for).ok_or_else(|| {
            Error::internal(format!(
                "pool {pool_id} has no current {} key",
                use_for.as_str()
            ))
        })?;
        let signer = key.signing.clone();
        let claims = claims.clone();
        self.cpu.run(move || signer.sign(&claims)).await
    }

    /// Checks that `token` is an RS256 JWS signed by one of the pool's published keys and
    /// returns its claims. Fails with `NotAuthorized` for anything else (malformed, unknown
    /// key, bad signature, unknown pool); claims (expiry, audience, use) are the caller's.
    pub async fn verify_token(&self, pool_id: &str, token: &str) -> Result<Value> {
        let invalid = || Error::NotAuthorized(INVALID_TOKEN.into());
        let kid = header_kid(token).ok_or_else(invalid)?;
        let keys = match self.pool_keys(pool_id, Want::Kid(&kid)).await {
            Ok(keys) => keys,
            Err(e) if e.is_internal() => return Err(e),
            Err(_) => return Err(invalid()),
        };
        let now = self.now();
        let key = keys
            .find(&kid)
            .filter(|k| k.published(now))
            .ok_or_else(invalid)?;
        jwt::verify(token, |k| (k == key.kid).then_some(&key.public)).map_err(|_| invalid())
    }

    /// The pool's JSON Web Key Set, `{"keys": [...]}`: every key not yet retired, the current
    /// ones first. Makes the pool's first keys if it has none.
    ///
    /// Read from the store each time (parsing only keys not seen before): a verifier that meets
    /// a kid it does not know refetches the JWKS, maybe from another node than the one that
    /// made the key, and must find it there at once.
    pub async fn jwks(&self, pool_id: &str) -> Result<Value> {
        let keys = self
            .pool_keys(pool_id, Want::Reload { make_missing: true })
            .await?;
        let now = self.now();
        let published: Vec<Value> = keys
            .published(now)
            .into_iter()
            .map(|k| k.jwk.clone())
            .collect();
        Ok(json!({ "keys": published }))
    }

    /// Makes new ID and access keys, which sign from now on; the old ones stay published until
    /// every token they signed has expired, then are deleted by a later rotation. Returns the
    /// new kids (ID key first).
    pub async fn rotate_keys(&self, pool_id: &str) -> Result<Vec<String>> {
        self.pool(pool_id).await?;
        // The keys already there must open with this master key; otherwise this is a tool run
        // with another key file, and the new keys would be ones the servers cannot read.
        self.pool_keys(
            pool_id,
            Want::Reload {
                make_missing: false,
            },
        )
        .await?;
        let now = self.now();
        let retire_after_ms = now + self.longest_token_ms(pool_id).await? + RETIRE_MARGIN_MS;
        let wanted: Vec<(TokenUse, String)> = TokenUse::ALL
            .iter()
            .map(|&u| (u, self.with_rng(random_kid)))
            .collect();
        let records = self.make_keys(pool_id, &wanted).await?;
        for record in &records {
            match self.store.rotate_signing_key(record, retire_after_ms).await {
                Ok(()) => {}
                Err(StoreError::NotFound) => return Err(Error::pool_not_found(pool_id)),
                Err(e) => return Err(e.into()),
            }
        }
        let removed = self.store.delete_retired_signing_keys(pool_id, now).await?;
        self.pool_keys(
            pool_id,
            Want::Reload {
                make_missing: false,
            },
        )
        .await?;
        let kids: Vec<String> = records.into_iter().map(|r| r.kid).collect();
        tracing::info!(
            pool_id,
            ?kids,
            removed,
            retire_after_ms,
            "rotated signing keys"
        );
        Ok(kids)
    }

    /// The longest ID or access token lifetime of the pool's clients, in ms; a day (the most
    /// Cognito allows) for a pool without clients.
    async fn longest_token_ms(&self, pool_id: &str) -> Result<i64> {
        const PAGE: u32 = 100;
        let mut longest: Option<i64> = None;
        let mut after: Option<String> = None;
        loop {
            let page = self
                .store
                .list_clients(pool_id, after.as_deref(), PAGE)
                .await?;
            for client in &page {
                let l = token_lifetimes(&client.settings);
                let secs = l.access_secs.max(l.id_secs);
                longest = Some(longest.map_or(secs, |m| m.max(secs)));
            }
            if page.len() < PAGE as usize {
                break;
            }
            after = page.last().map(|c| c.client_id.clone());
        }
        Ok(longest.map_or(LONGEST_TOKEN_MS, |secs| {
            secs.saturating_mul(1000).min(LONGEST_TOKEN_MS)
        }))
    }

    /// The pool's keys from the cache, or from the store when the cache cannot answer `want`.
    async fn pool_keys(&self, pool_id: &str, want: Want<'_>) -> Result<Arc<PoolKeys>> {
        // Loads numbered above this one began after this call did.
        let begun = self.signing_keys.loads.load(Ordering::SeqCst);
        let slot = self.signing_keys.slot(pool_id);
        if let Some(keys) = slot.get() {
            if keys.fresh(self.now()) && want.satisfied_by(&keys) {
                return Ok(keys);
            }
        }
        let result = self.reload_slot(pool_id, &slot, &want, begun).await;
        if result.is_err() {
            self.signing_keys.forget_if_empty(pool_id, &slot);
        }
        result
    }

    async fn reload_slot(
        &self,
        pool_id: &str,
        slot: &Slot,
        want: &Want<'_>,
        begun: u64,
    ) -> Result<Arc<PoolKeys>> {
        let _loading = slot.load.lock().await;
        let previous = slot.get();
        if let Some(keys) = &previous {
            // A load that began while this call waited read the store after this call began,
            // so it answers as well as a load of our own would: concurrent callers share it.
            let enough =
                want.satisfied_by(keys) || (keys.load > begun && want.satisfied_by_new_load(keys));
            if enough && keys.fresh(self.now()) {
                return Ok(keys.clone());
            }
        }
        let keys = Arc::new(
            self.load_pool_keys(pool_id, previous.as_deref(), want.makes_missing_keys())
                .await?,
        );
        slot.set(keys.clone());
        Ok(keys)
    }

    /// Reads the pool's keys from the store, making the first key of each use that has no
    /// current key when `make_missing`, and parses those `previous` did not have.
    async fn load_pool_keys(
        &self,
        pool_id: &str,
        previous: Option<&PoolKeys>,
        make_missing: bool,
    ) -> Result<PoolKeys> {
        let load = self.signing_keys.loads.fetch_add(1, Ordering::SeqCst) + 1;
        let loaded_ms = self.now();
        let mut records = self.store.list_signing_keys(pool_id).await?;
        if make_missing {
            // Twice at most: first under the derived kid every node agrees on; then, should
            // that kid exist but be retired (it never should), under a random one.
            for attempt in 0..2 {
                let missing: Vec<TokenUse> = TokenUse::ALL
                    .into_iter()
                    .filter(|&u| current_record(&records, u).is_none())
                    .collect();
                if missing.is_empty() {
                    break;
                }
                self.pool(pool_id).await?;
                let wanted: Vec<(TokenUse, String)> = missing
                    .into_iter()
                    .map(|u| {
                        let kid = if attempt == 0 {
                            first_kid(pool_id, u)
                        } else {
                            self.with_rng(random_kid)
                        };
                        (u, kid)
                    })
                    .collect();
                for record in self.make_keys(pool_id, &wanted).await? {
                    match self.store.insert_signing_key(&record).await {
                        // A conflict: another node made this key first; its copy is used.
                        Ok(()) | Err(StoreError::Conflict(_)) => {}
                        Err(StoreError::NotFound) => return Err(Error::pool_not_found(pool_id)),
                        Err(e) => return Err(e.into()),
                    }
                }
                records = self.store.list_signing_keys(pool_id).await?;
            }
        } else if records.is_empty() {
            // Either a pool that has not signed yet or no pool at all; only the first is kept.
            self.pool(pool_id).await?;
        }

        let mut keys = Vec::with_capacity(records.len());
        let mut to_open = Vec::new();
        for record in records {
            if TokenUse::parse(&record.use_for).is_none() {
                tracing::warn!(pool_id, kid = %record.kid, use_for = %record.use_for, "signing key of unknown use ignored");
                continue;
            }
            match previous.and_then(|p| p.find(&record.kid)) {
                Some(known) => keys.push(LoadedKey {
                    retire_after_ms: record.retire_after_ms,
                    ..known.clone()
                }),
                None => to_open.push(record),
            }
        }
        if !to_open.is_empty() {
            let master = self.master_key.clone();
            let opened = self
                .cpu
                .run(move || {
                    to_open
                        .into_iter()
                        .map(|r| open_key(&master, r))
                        .collect::<Result<Vec<_>>>()
                })
                .await??;
            keys.extend(opened);
        }
        keys.sort_by(|a, b| (a.created_ms, &a.kid).cmp(&(b.created_ms, &b.kid)));
        let mut current = [None, None];
        for (i, k) in keys.iter().enumerate() {
            if k.retire_after_ms.is_none() {
                // Oldest first, so the last unretired key of a use is its newest.
                current[k.use_for.index()] = Some(i);
            }
        }
        Ok(PoolKeys {
            load,
            loaded_ms,
            keys,
            current,
        })
    }

    /// Generates keys (in parallel, on the CPU pool) and seals them for the store.
    async fn make_keys(
        &self,
        pool_id: &str,
        wanted: &[(TokenUse, String)],
    ) -> Result<Vec<SigningKeyRecord>> {
        let mut jobs = Vec::with_capacity(wanted.len());
        for (_, kid) in wanted {
            let cpu = self.cpu.clone();
            let master = self.master_key.clone();
            let (pool_id, kid) = (pool_id.to_string(), kid.clone());
            jobs.push(tokio::spawn(async move {
                cpu.run(move || -> Result<String> {
                    let key = SigningKey::generate(kid.as_str()).map_err(Error::internal)?;
                    let pem = key.to_pem().map_err(Error::internal)?;
                    master
                        .seal(pem.as_bytes(), sealing_context(&pool_id, &kid).as_bytes())
                        .map_err(Error::internal)
                })
                .await?
            }));
        }
        let created_ms = self.now();
        let mut records = Vec::with_capacity(wanted.len());
        for ((use_for, kid), job) in wanted.iter().zip(jobs) {
            let private_pem = job
                .await
                .map_err(|e| Error::internal(format!("key generation failed: {e}")))??;
            records.push(SigningKeyRecord {
                pool_id: pool_id.to_string(),
                kid: kid.clone(),
                use_for: use_for.as_str().to_string(),
                private_pem,
                created_ms,
                retire_after_ms: None,
            });
        }
        Ok(records)
    }
}

/// The unretired record of a use, if any.
fn current_record(records: &[SigningKeyRecord], use_for: TokenUse) -> Option<&SigningKeyRecord> {
    records
        .iter()
        .rev()
        .find(|r| r.use_for == use_for.as_str() && r.retire_after_ms.is_none())
}

/// What a sealed key is bound to: it opens only as the key of this pool with this kid.
fn sealing_context(pool_id: &str, kid: &str) -> String {
    format!("signing-key/{pool_id}/{kid}")
}

fn open_key(master: &MasterKey, record: SigningKeyRecord) -> Result<LoadedKey> {
    let context = sealing_context(&record.pool_id, &record.kid);
    let pem = master
        .open(&record.private_pem, context.as_bytes())
        .map_err(|e| {
            Error::internal(format!(
                "signing key {} of pool {} cannot be opened: {e}; every node and \
                 `cognate keys rotate` must use the same master key file",
                record.kid, record.pool_id
            ))
        })?;
    let pem = String::from_utf8(pem).map_err(Error::internal)?;
    let signing = SigningKey::from_pem(record.kid.as_str(), &pem).map_err(Error::internal)?;
    let public = signing.public();
    let jwk = public.jwk();
    Ok(LoadedKey {
        use_for: TokenUse::parse(&record.use_for)
            .ok_or_else(|| Error::internal(format!("key {} has no known use", record.kid)))?,
        kid: record.kid,
        created_ms: record.created_ms,
        retire_after_ms: record.retire_after_ms,
        signing: Arc::new(signing),
        public,
        jwk,
    })
}

/// 32 random bytes, base64url: the shape of Cognito's kids (a base64 SHA-256).
fn random_kid(rng: &mut dyn rand::RngCore) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The kid of a pool's first key of a use: derived, so concurrent first loads collide.
fn first_kid(pool_id: &str, use_for: TokenUse) -> String {
    let hex = cognate_crypto::digest::sha256_hex(
        format!("cognate/first-signing-key/{pool_id}/{}", use_for.as_str()).as_bytes(),
    );
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| hex.get(i..i + 2))
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The `kid` of a token's header, without checking anything else.
fn header_kid(token: &str) -> Option<String> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let header = token.split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header.as_bytes()).ok()?;
    let header: Value = serde_json::from_slice(&bytes).ok()?;
    let kid = header.get("kid")?.as_str()?;
    (!kid.is_empty() && kid.len() <= 256).then(|| kid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::model::client::ClientSettings;
    use crate::model::{
        AuthSessionRecord, CodeRecord, Device, DeviceStatus, Group, PoolDomain, RefreshTokenRecord,
        SignInFailures, User, UserPool, UserPoolClient,
    };
    use crate::sender::LogSender;
    use crate::store::{Store, StoreResult, SweepCounts, SweepCutoffs, UserFilter};
    use crate::ServiceConfig;
    use async_trait::async_trait;
    use std::sync::atomic::AtomicUsize;

    const POOL: &str = "us-east-1_TestPool1";
    const START: i64 = 1_700_000_000_000;

    /// Just enough of a store for keys: pools, clients and signing keys, in memory.
    #[derive(Default)]
    struct MemStore {
        pools: Mutex<Vec<String>>,
        clients: Mutex<Vec<UserPoolClient>>,
        keys: Mutex<Vec<SigningKeyRecord>>,
        key_lists: AtomicUsize,
        conflicts: AtomicUsize,
        /// When set, the first two key listings wait for each other, so two nodes both see
        /// the store before either has written to it.
        first_lists_meet: Option<tokio::sync::Barrier>,
    }

    impl MemStore {
        fn with_pool() -> Arc<MemStore> {
            let store = MemStore::default();
            store.pools.lock().unwrap().push(POOL.to_string());
            Arc::new(store)
        }

        fn add_client(&self, settings: ClientSettings) {
            let mut clients = self.clients.lock().unwrap();
            let client_id = format!("client{}", clients.len());
            clients.push(UserPoolClient {
                pool_id: POOL.into(),
                client_id,
                name: "app".into(),
                secret: None,
                created_ms: START,
                modified_ms: START,
                settings,
            });
        }

        fn records(&self) -> Vec<SigningKeyRecord> {
            let mut keys = self.keys.lock().unwrap().clone();
            keys.sort_by(|a, b| (a.created_ms, &a.kid).cmp(&(b.created_ms, &b.kid)));
            keys
        }

        fn lists(&self) -> usize {
            self.key_lists.load(Ordering::SeqCst)
        }
    }

    #[async_trait]
    impl Store for MemStore {
        async fn get_pool(&self, pool_id: &str) -> StoreResult<Option<UserPool>> {
            let known = self.pools.lock().unwrap().iter().any(|p| p == pool_id);
            Ok(known.then(|| UserPool {
                id: pool_id.into(),
                name: "pool".into(),
                arn: String::new(),
                created_ms: START,
                modified_ms: START,
                settings: Default::default(),
                mfa: Default::default(),
            }))
        }
        async fn list_clients(
            &self,
            pool_id: &str,
            after: Option<&str>,
            limit: u32,
        ) -> StoreResult<Vec<UserPoolClient>> {
            let mut clients: Vec<UserPoolClient> = self
                .clients
                .lock()
                .unwrap()
                .iter()
                .filter(|c| c.pool_id == pool_id && after.is_none_or(|a| c.client_id.as_str() > a))
                .cloned()
                .collect();
            clients.sort_by(|a, b| a.client_id.cmp(&b.client_id));
            clients.truncate(limit as usize);
            Ok(clients)
        }
        async fn list_domains_for_pool(&self, _pool_id: &str) -> StoreResult<Vec<PoolDomain>> {
            Ok(Vec::new())
        }
        async fn insert_signing_key(&self, key: &SigningKeyRecord) -> StoreResult<()> {
            let mut keys = self.keys.lock().unwrap();
            if keys
                .iter()
                .any(|k| k.pool_id == key.pool_id && k.kid == key.kid)
            {
                self.conflicts.fetch_add(1, Ordering::SeqCst);
                return Err(StoreError::Conflict("kid".into()));
            }
            keys.push(key.clone());
            Ok(())
        }
        async fn list_signing_keys(&self, pool_id: &str) -> StoreResult<Vec<SigningKeyRecord>> {
            let n = self.key_lists.fetch_add(1, Ordering::SeqCst);
            if let (Some(barrier), true) = (&self.first_lists_meet, n < 2) {
                barrier.wait().await;
            }
            Ok(self
                .records()
                .into_iter()
                .filter(|k| k.pool_id == pool_id)
                .collect())
        }
        async fn rotate_signing_key(
            &self,
            new_key: &SigningKeyRecord,
            retire_after_ms: i64,
        ) -> StoreResult<()> {
            let mut keys = self.keys.lock().unwrap();
            for k in keys.iter_mut() {
                if k.pool_id == new_key.pool_id
                    && k.use_for == new_key.use_for
                    && k.retire_after_ms.is_none()
                {
                    k.retire_after_ms = Some(retire_after_ms);
                }
            }
            keys.push(new_key.clone());
            Ok(())
        }
        async fn delete_retired_signing_keys(
            &self,
            pool_id: &str,
            now_ms: i64,
        ) -> StoreResult<u64> {
            let mut keys = self.keys.lock().unwrap();
            let before = keys.len();
            keys.retain(|k| k.pool_id != pool_id || k.retire_after_ms.is_none_or(|t| t >= now_ms));
            Ok((before - keys.len()) as u64)
        }

        // Nothing below is used by keys.
        async fn insert_pool(&self, _pool: &UserPool) -> StoreResult<()> {
            unimplemented!("insert_pool")
        }
        async fn update_pool(&self, _pool: &UserPool) -> StoreResult<()> {
            unimplemented!("update_pool")
        }
        async fn delete_pool(&self, _pool_id: &str) -> StoreResult<bool> {
            unimplemented!("delete_pool")
        }
        async fn list_pools(
            &self,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<UserPool>> {
            unimplemented!("list_pools")
        }
        async fn count_users(&self, _pool_id: &str) -> StoreResult<i64> {
            unimplemented!("count_users")
        }
        async fn insert_client(&self, _client: &UserPoolClient) -> StoreResult<()> {
            unimplemented!("insert_client")
        }
        async fn get_client(
            &self,
            _pool_id: &str,
            _client_id: &str,
        ) -> StoreResult<Option<UserPoolClient>> {
            unimplemented!("get_client")
        }
        async fn find_client(&self, _client_id: &str) -> StoreResult<Option<UserPoolClient>> {
            unimplemented!("find_client")
        }
        async fn update_client(&self, _client: &UserPoolClient) -> StoreResult<()> {
            unimplemented!("update_client")
        }
        async fn delete_client(&self, _pool_id: &str, _client_id: &str) -> StoreResult<bool> {
            unimplemented!("delete_client")
        }
        async fn count_clients(&self, _pool_id: &str) -> StoreResult<i64> {
            unimplemented!("count_clients")
        }
        async fn insert_user(&self, _user: &User) -> StoreResult<()> {
            unimplemented!("insert_user")
        }
        async fn get_user(&self, _pool_id: &str, _username_key: &str) -> StoreResult<Option<User>> {
            unimplemented!("get_user")
        }
        async fn get_user_by_sub(&self, _pool_id: &str, _sub: &str) -> StoreResult<Option<User>> {
            unimplemented!("get_user_by_sub")
        }
        async fn find_users_by_attribute(
            &self,
            _pool_id: &str,
            _name: &str,
            _value: &str,
        ) -> StoreResult<Vec<User>> {
            unimplemented!("find_users_by_attribute")
        }
        async fn update_user(&self, _user: &User, _expected_version: i64) -> StoreResult<()> {
            unimplemented!("update_user")
        }
        async fn delete_user(&self, _pool_id: &str, _username_key: &str) -> StoreResult<bool> {
            unimplemented!("delete_user")
        }
        async fn list_users(
            &self,
            _pool_id: &str,
            _filter: Option<&UserFilter>,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<User>> {
            unimplemented!("list_users")
        }
        async fn insert_group(&self, _group: &Group) -> StoreResult<()> {
            unimplemented!("insert_group")
        }
        async fn get_group(&self, _pool_id: &str, _name: &str) -> StoreResult<Option<Group>> {
            unimplemented!("get_group")
        }
        async fn update_group(&self, _group: &Group) -> StoreResult<()> {
            unimplemented!("update_group")
        }
        async fn delete_group(&self, _pool_id: &str, _name: &str) -> StoreResult<bool> {
            unimplemented!("delete_group")
        }
        async fn list_groups(
            &self,
            _pool_id: &str,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<Group>> {
            unimplemented!("list_groups")
        }
        async fn add_user_to_group(
            &self,
            _pool_id: &str,
            _group: &str,
            _username_key: &str,
        ) -> StoreResult<()> {
            unimplemented!("add_user_to_group")
        }
        async fn remove_user_from_group(
            &self,
            _pool_id: &str,
            _group: &str,
            _username_key: &str,
        ) -> StoreResult<()> {
            unimplemented!("remove_user_from_group")
        }
        async fn list_groups_for_user(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<Group>> {
            unimplemented!("list_groups_for_user")
        }
        async fn list_users_in_group(
            &self,
            _pool_id: &str,
            _group: &str,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<User>> {
            unimplemented!("list_users_in_group")
        }
        async fn insert_domain(&self, _domain: &PoolDomain) -> StoreResult<()> {
            unimplemented!("insert_domain")
        }
        async fn get_domain(&self, _domain: &str) -> StoreResult<Option<PoolDomain>> {
            unimplemented!("get_domain")
        }
        async fn update_domain(&self, _domain: &PoolDomain) -> StoreResult<()> {
            unimplemented!("update_domain")
        }
        async fn delete_domain(&self, _domain: &str) -> StoreResult<bool> {
            unimplemented!("delete_domain")
        }
        async fn put_code(&self, _code: &CodeRecord) -> StoreResult<()> {
            unimplemented!("put_code")
        }
        async fn get_code(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _purpose: &str,
        ) -> StoreResult<Option<CodeRecord>> {
            unimplemented!("get_code")
        }
        async fn add_code_attempt(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _purpose: &str,
        ) -> StoreResult<i64> {
            unimplemented!("add_code_attempt")
        }
        async fn consume_code(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _purpose: &str,
            _code_hash: &str,
        ) -> StoreResult<bool> {
            unimplemented!("consume_code")
        }
        async fn put_session(&self, _session: &AuthSessionRecord) -> StoreResult<()> {
            unimplemented!("put_session")
        }
        async fn take_session(&self, _id_hash: &str) -> StoreResult<Option<AuthSessionRecord>> {
            unimplemented!("take_session")
        }
        async fn insert_refresh_token(&self, _token: &RefreshTokenRecord) -> StoreResult<()> {
            unimplemented!("insert_refresh_token")
        }
        async fn get_refresh_token(
            &self,
            _token_hash: &str,
        ) -> StoreResult<Option<RefreshTokenRecord>> {
            unimplemented!("get_refresh_token")
        }
        async fn get_refresh_token_by_origin(
            &self,
            _pool_id: &str,
            _origin_jti: &str,
        ) -> StoreResult<Option<RefreshTokenRecord>> {
            unimplemented!("get_refresh_token_by_origin")
        }
        async fn revoke_refresh_token(&self, _token_hash: &str, _now_ms: i64) -> StoreResult<bool> {
            unimplemented!("revoke_refresh_token")
        }
        async fn rotate_refresh_token(
            &self,
            _old_hash: &str,
            _now_ms: i64,
            _next: &RefreshTokenRecord,
        ) -> StoreResult<bool> {
            unimplemented!("rotate_refresh_token")
        }
        async fn revoke_user_refresh_tokens(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _now_ms: i64,
        ) -> StoreResult<u64> {
            unimplemented!("revoke_user_refresh_tokens")
        }
        async fn get_sign_in_failures(
            &self,
            _pool_id: &str,
            _username_key: &str,
        ) -> StoreResult<Option<SignInFailures>> {
            unimplemented!("get_sign_in_failures")
        }
        async fn record_sign_in_failure(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _now_ms: i64,
            _lock_for: fn(i64) -> i64,
        ) -> StoreResult<SignInFailures> {
            unimplemented!("record_sign_in_failure")
        }
        async fn clear_sign_in_failures(
            &self,
            _pool_id: &str,
            _username_key: &str,
        ) -> StoreResult<()> {
            unimplemented!("clear_sign_in_failures")
        }
        async fn record_activity(
            &self,
            _pool_id: &str,
            _sub: &str,
            _month: &str,
        ) -> StoreResult<()> {
            unimplemented!("record_activity")
        }
        async fn count_active_users(&self, _month: &str) -> StoreResult<Vec<(String, i64)>> {
            unimplemented!("count_active_users")
        }
        async fn insert_device(&self, _device: &Device, _prune_before_ms: i64) -> StoreResult<()> {
            unimplemented!("insert_device")
        }
        async fn get_device(&self, _pool_id: &str, _key: &str) -> StoreResult<Option<Device>> {
            unimplemented!("get_device")
        }
        async fn confirm_device(&self, _device: &Device) -> StoreResult<bool> {
            unimplemented!("confirm_device")
        }
        async fn set_device_status(
            &self,
            _pool_id: &str,
            _key: &str,
            _status: DeviceStatus,
            _now_ms: i64,
        ) -> StoreResult<bool> {
            unimplemented!("set_device_status")
        }
        async fn record_device_sign_in(
            &self,
            _pool_id: &str,
            _key: &str,
            _last_ip: Option<&str>,
            _now_ms: i64,
        ) -> StoreResult<bool> {
            unimplemented!("record_device_sign_in")
        }
        async fn delete_device(&self, _pool_id: &str, _key: &str) -> StoreResult<bool> {
            unimplemented!("delete_device")
        }
        async fn list_devices(
            &self,
            _pool_id: &str,
            _username_key: &str,
            _after: Option<&str>,
            _limit: u32,
        ) -> StoreResult<Vec<Device>> {
            unimplemented!("list_devices")
        }
        async fn sweep_expired(
            &self,
            _cutoffs: &SweepCutoffs,
            _limit: u32,
        ) -> StoreResult<SweepCounts> {
            unimplemented!("sweep_expired")
        }
    }

    fn node(store: &Arc<MemStore>, clock: &Arc<ManualClock>, master: &MasterKey) -> Service {
        Service::new(
            store.clone() as Arc<dyn Store>,
            clock.clone() as Arc<dyn Clock>,
            Arc::new(LogSender::new()),
            ServiceConfig {
                account_id: "000000000000".into(),
                default_region: "us-east-1".into(),
                public_url: "http://127.0.0.1:9229".into(),
            },
        )
        .with_master_key(master.clone())
    }

    fn setup() -> (Arc<MemStore>, Arc<ManualClock>, MasterKey, Service) {
        let store = MemStore::with_pool();
        let clock = Arc::new(ManualClock::new(START));
        let master = MasterKey::from_bytes(&[9u8; 32]).unwrap();
        let service = node(&store, &clock, &master);
        (store, clock, master, service)
    }

    fn kid_of(token: &str) -> String {
        header_kid(token).unwrap()
    }

    fn jwks_kids(jwks: &Value) -> Vec<String> {
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    }

    #[tokio::test]
    async fn first_tokens_make_one_sealed_key_per_use() {
        let (store, _clock, _master, service) = setup();
        let claims = json!({ "sub": "abc", "token_use": "id" });
        let id_token = service
            .sign_token(POOL, TokenUse::Id, &claims)
            .await
            .unwrap();
        let access_token = service
            .sign_token(POOL, TokenUse::Access, &json!({ "token_use": "access" }))
            .await
            .unwrap();
        assert_ne!(kid_of(&id_token), kid_of(&access_token));
        assert_eq!(service.verify_token(POOL, &id_token).await.unwrap(), claims);

        let records = store.records();
        assert_eq!(records.len(), 2);
        for r in &records {
            assert!(r.private_pem.starts_with("v1:"), "{}", r.private_pem);
            assert!(!r.private_pem.contains("PRIVATE KEY"));
            assert_eq!(r.retire_after_ms, None);
            assert_eq!(r.created_ms, START);
        }
        let by_use = |u: &str| records.iter().find(|r| r.use_for == u).unwrap().kid.clone();
        assert_eq!(kid_of(&id_token), by_use("id"));
        assert_eq!(kid_of(&access_token), by_use("access"));
        // The first kids are derived from the pool, in the shape of a base64url SHA-256.
        assert_eq!(by_use("id"), first_kid(POOL, TokenUse::Id));
        assert_eq!(by_use("id").len(), 43);

        let jwks = service.jwks(POOL).await.unwrap();
        assert_eq!(jwks_kids(&jwks), vec![by_use("id"), by_use("access")]);
        let jwk = &jwks["keys"][0];
        assert_eq!(jwk["alg"], "RS256");
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["use"], "sig");
        assert_eq!(jwk["e"], "AQAB");
    }

    #[tokio::test]
    async fn the_cache_reads_the_store_once_a_minute() {
        let (store, clock, _master, service) = setup();
        let claims = json!({ "sub": "abc" });
        let token = service
            .sign_token(POOL, TokenUse::Id, &claims)
            .await
            .unwrap();
        let after_first = store.lists();
        for _ in 0..5 {
            service
                .sign_token(POOL, TokenUse::Access, &claims)
                .await
                .unwrap();
            service.verify_token(POOL, &token).await.unwrap();
        }
        assert_eq!(store.lists(), after_first);
        // The JWKS is the exception: it is read afresh, so a key another node just made is
        // published everywhere at once.
        service.jwks(POOL).await.unwrap();
        service.jwks(POOL).await.unwrap();
        assert_eq!(store.lists(), after_first + 2);
        let after_first = store.lists();

        clock.advance(REFRESH_MS);
        service
            .sign_token(POOL, TokenUse::Id, &claims)
            .await
            .unwrap();
        assert_eq!(store.lists(), after_first + 1);
        service
            .sign_token(POOL, TokenUse::Id, &claims)
            .await
            .unwrap();
        assert_eq!(store.lists(), after_first + 1);
    }

    #[tokio::test]
    async fn rotation_signs_with_new_keys_and_keeps_old_ones_published() {
        let (store, clock, _master, service) = setup();
        let claims = json!({ "sub": "abc" });
        let old_token = service
            .sign_token(POOL, TokenUse::Access, &claims)
            .await
            .unwrap();
        let old_kids = jwks_kids(&service.jwks(POOL).await.unwrap());

        clock.advance(1000);
        let new_kids = service.rotate_keys(POOL).await.unwrap();
        assert_eq!(new_kids.len(), 2);
        assert!(new_kids
            .iter()
            .all(|k| !old_kids.contains(k) && k.len() == 43));

        let id_token = service
            .sign_token(POOL, TokenUse::Id, &claims)
            .await
            .unwrap();
        let access_token = service
            .sign_token(POOL, TokenUse::Access, &claims)
            .await
            .unwrap();
        assert_eq!(kid_of(&id_token), new_kids[0]);
        assert_eq!(kid_of(&access_token), new_kids[1]);
        assert_eq!(
            service.verify_token(POOL, &old_token).await.unwrap(),
            claims
        );

        // The current keys first, then the retiring ones, newest first.
        let published = jwks_kids(&service.jwks(POOL).await.unwrap());
        assert_eq!(published.len(), 4);
        assert_eq!(published[..2], new_kids[..]);
        assert!(old_kids.iter().all(|k| published[2..].contains(k)));

        // A pool without clients keeps old keys a day (the longest token) plus the margin.
        let retire = START + 1000 + 24 * 3600 * 1000 + RETIRE_MARGIN_MS;
        for r in store.records() {
            let expected = old_kids.contains(&r.kid).then_some(retire);
            assert_eq!(r.retire_after_ms, expected, "{}", r.kid);
        }
    }

    #[tokio::test]
    async fn retirement_follows_the_longest_token_of_the_pools_clients() {
        let (store, clock, _master, service) = setup();
        store.add_client(ClientSettings::default()); // 60 minutes by default
        store.add_client(ClientSettings {
            id_token_validity: Some(5),
            token_validity_units: Some(crate::model::client::TokenValidityUnits {
                id_token: Some("hours".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
        let lifetime = 5 * 3600 * 1000 + RETIRE_MARGIN_MS;
        service.jwks(POOL).await.unwrap();
        service.rotate_keys(POOL).await.unwrap();
        let retired: Vec<_> = store
            .records()
            .into_iter()
            .filter_map(|r| r.retire_after_ms)
            .collect();
        assert_eq!(retired, vec![START + lifetime; 2]);
        let token = service
            .sign_token(POOL, TokenUse::Id, &json!({}))
            .await
            .unwrap();

        // Past their time, the first keys are neither published nor kept by the next rotation.
        clock.advance(lifetime + 1);
        assert_eq!(jwks_kids(&service.jwks(POOL).await.unwrap()).len(), 2);
        assert_eq!(store.records().len(), 4);
        service.rotate_keys(POOL).await.unwrap();
        assert_eq!(store.records().len(), 4, "two deleted, two added");
        assert_eq!(jwks_kids(&service.jwks(POOL).await.unwrap()).len(), 4);
        assert!(service.verify_token(POOL, &token).await.is_ok());

        // Once the key that signed it retires, the token no longer verifies.
        clock.advance(lifetime + 1);
        assert_eq!(
            service.verify_token(POOL, &token).await.unwrap_err(),
            Error::NotAuthorized(INVALID_TOKEN.into())
        );
        assert_eq!(jwks_kids(&service.jwks(POOL).await.unwrap()).len(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_nodes_making_the_first_keys_at_once_agree() {
        let store = Arc::new(MemStore {
            pools: Mutex::new(vec![POOL.to_string()]),
            first_lists_meet: Some(tokio::sync::Barrier::new(2)),
            ..Default::default()
        });
        let clock = Arc::new(ManualClock::new(START));
        let master = MasterKey::from_bytes(&[3u8; 32]).unwrap();
        let a = node(&store, &clock, &master);
        let b = node(&store, &clock, &master);
        let claims = json!({ "sub": "x" });
        let (ta, tb) = tokio::join!(
            a.sign_token(POOL, TokenUse::Id, &claims),
            b.sign_token(POOL, TokenUse::Id, &claims)
        );
        let (ta, tb) = (ta.unwrap(), tb.unwrap());
        assert_eq!(kid_of(&ta), kid_of(&tb));
        // Both made keys; the second to write met the first's and took them.
        assert_eq!(store.conflicts.load(Ordering::SeqCst), 2);
        assert_eq!(store.records().len(), 2);
        // Each node verifies the other's tokens.
        assert!(a.verify_token(POOL, &tb).await.is_ok());
        assert!(b.verify_token(POOL, &ta).await.is_ok());
        assert_eq!(a.jwks(POOL).await.unwrap(), b.jwks(POOL).await.unwrap());
    }

    #[tokio::test]
    async fn one_node_making_keys_for_many_requests_makes_them_once() {
        let (store, _clock, _master, service) = setup();
        let claims = json!({});
        let (t1, t2, t3) = tokio::join!(
            service.sign_token(POOL, TokenUse::Access, &claims),
            service.sign_token(POOL, TokenUse::Access, &claims),
            service.jwks(POOL)
        );
        assert_eq!(kid_of(&t1.unwrap()), kid_of(&t2.unwrap()));
        assert_eq!(jwks_kids(&t3.unwrap()).len(), 2);
        assert_eq!(store.records().len(), 2);
    }

    #[tokio::test]
    async fn a_rotation_elsewhere_is_seen_on_an_unknown_kid_in_the_jwks_and_on_refresh() {
        let store = MemStore::with_pool();
        let clock = Arc::new(ManualClock::new(START));
        let master = MasterKey::from_bytes(&[4u8; 32]).unwrap();
        let a = node(&store, &clock, &master);
        let b = node(&store, &clock, &master);
        let claims = json!({ "sub": "x" });
        let before = a.sign_token(POOL, TokenUse::Id, &claims).await.unwrap();

        let first = b.rotate_keys(POOL).await.unwrap();
        let from_b = b.sign_token(POOL, TokenUse::Id, &claims).await.unwrap();
        assert_eq!(kid_of(&from_b), first[0]);
        // A has never seen this kid: it reads the store again and accepts the token.
        assert_eq!(a.verify_token(POOL, &from_b).await.unwrap(), claims);
        assert!(a.verify_token(POOL, &before).await.is_ok());
        // That read also told A about the rotation.
        let from_a = a.sign_token(POOL, TokenUse::Id, &claims).await.unwrap();
        assert_eq!(kid_of(&from_a), first[0]);

        // A's JWKS shows another rotation at once.
        clock.advance(1);
        let second = b.rotate_keys(POOL).await.unwrap();
        assert_eq!(jwks_kids(&a.jwks(POOL).await.unwrap())[..2], second[..]);

        // One A hears nothing about reaches it within a refresh interval.
        clock.advance(1);
        let third = b.rotate_keys(POOL).await.unwrap();
        let stale = a.sign_token(POOL, TokenUse::Access, &claims).await.unwrap();
        assert_eq!(kid_of(&stale), second[1]);
        clock.advance(REFRESH_MS);
        let fresh = a.sign_token(POOL, TokenUse::Access, &claims).await.unwrap();
        assert_eq!(kid_of(&fresh), third[1]);
    }

    #[tokio::test]
    async fn keys_sealed_under_another_master_key_fail_loudly() {
        let (store, clock, _master, service) = setup();
        service.jwks(POOL).await.unwrap();
        let stranger = node(&store, &clock, &MasterKey::from_bytes(&[1u8; 32]).unwrap());
        let err = stranger
            .sign_token(POOL, TokenUse::Id, &json!({}))
            .await
            .unwrap_err();
        assert!(err.is_internal());
        assert!(err.to_string().contains("master key"), "{err}");
        // Nor may it add keys the servers could not read.
        assert!(stranger.rotate_keys(POOL).await.unwrap_err().is_internal());
        assert_eq!(store.records().len(), 2);
    }

    #[tokio::test]
    async fn unknown_pools_and_bad_tokens() {
        let (_store, _clock, _master, service) = setup();
        let missing = "us-east-1_NoSuchOne";
        assert_eq!(
            service.jwks(missing).await.unwrap_err(),
            Error::pool_not_found(missing)
        );
        assert_eq!(
            service
                .sign_token(missing, TokenUse::Id, &json!({}))
                .await
                .unwrap_err(),
            Error::pool_not_found(missing)
        );
        assert_eq!(
            service.rotate_keys(missing).await.unwrap_err(),
            Error::pool_not_found(missing)
        );
        let token = service
            .sign_token(POOL, TokenUse::Id, &json!({ "a": 1 }))
            .await
            .unwrap();
        let not_authorized = Error::NotAuthorized(INVALID_TOKEN.into());
        assert_eq!(
            service.verify_token(missing, &token).await.unwrap_err(),
            not_authorized
        );
        // Probing unknown pools leaves nothing behind in the cache.
        assert!(!service
            .signing_keys
            .slots
            .lock()
            .unwrap()
            .contains_key(missing));

        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = URL_SAFE_NO_PAD.encode(r#"{"a":2}"#);
        for bad in [
            parts.join("."),
            "garbage".to_string(),
            String::new(),
            format!("{}..", parts[0]),
            "x".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert_eq!(
                service.verify_token(POOL, &bad).await.unwrap_err(),
                not_authorized,
                "{bad:.40}"
            );
        }
        // A token of another pool names a kid this pool does not have.
        let store2 = MemStore::with_pool();
        let clock2 = Arc::new(ManualClock::new(START));
        let other = node(&store2, &clock2, &MasterKey::ephemeral());
        let foreign = other
            .sign_token(POOL, TokenUse::Id, &json!({}))
            .await
            .unwrap();
        assert_eq!(
            service.verify_token(POOL, &foreign).await.unwrap_err(),
            not_authorized
        );
    }
}
