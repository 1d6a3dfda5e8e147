//! A short-lived per-node copy of pools and app clients for the data plane.
//!
//! Every sign-in, refresh and token check starts by reading the app client and its pool;
//! those change rarely and are read thousands of times a second. The authentication paths
//! read them through this cache; administrative reads go to the store.
//!
//! Consistency: a write made through this node drops the entries it touches at once, so a
//! node never acts on settings older than its own last change. A write made through another
//! node sharing the database is seen here within [`TTL`], which bounds how long a deleted
//! client or a changed pool setting can still be honoured elsewhere.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::{UserPool, UserPoolClient};
use crate::store::Store;
use crate::Result;

/// How long an entry read from the store is trusted.
pub(crate) const TTL: Duration = Duration::from_secs(1);

/// Entries kept at most per map; past it the map starts over (a flood of distinct unknown
/// ids must not grow memory).
const CAPACITY: usize = 4096;

#[derive(Default)]
pub(crate) struct ConfigCache {
    pools: Mutex<HashMap<String, (Instant, UserPool)>>,
    clients: Mutex<HashMap<String, (Instant, UserPoolClient)>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

fn fresh<V: Clone>(map: &Mutex<HashMap<String, (Instant, V)>>, key: &str) -> Option<V> {
    let map = lock(map);
    let (at, value) = map.get(key)?;
    (at.elapsed() < TTL).then(|| value.clone())
}

fn remember<V>(map: &Mutex<HashMap<String, (Instant, V)>>, key: &str, value: V) {
    let mut map = lock(map);
    if map.len() >= CAPACITY {
        map.clear();
    }
    map.insert(key.to_string(), (Instant::now(), value));
}

impl ConfigCache {
    /// The pool; `None` if there is none.
    pub(crate) async fn pool(&self, store: &dyn Store, pool_id: &str) -> Result<Option<UserPool>> {
        if let Some(pool) = fresh(&self.pools, pool_id) {
            return Ok(Some(pool));
        }
        let Some(pool) = store.get_pool(pool_id).await? else {
            return Ok(None);
        };
        remember(&self.pools, pool_id, pool.clone());
        Ok(Some(pool))
    }

    /// The client by id alone (public actions name no pool); `None` if there is none.
    pub(crate) async fn client(
        &self,
        store: &dyn Store,
        client_id: &str,
    ) -> Result<Option<UserPoolClient>> {
        if let Some(client) = fresh(&self.clients, client_id) {
            return Ok(Some(client));
        }
        let Some(client) = store.find_client(client_id).await? else {
            return Ok(None);
        };
        remember(&self.clients, client_id, client.clone());
        Ok(Some(client))
    }

    /// Drops a pool and every client of it (called after this node changed or deleted it).
    pub(crate) fn forget_pool(&self, pool_id: &str) {
        lock(&self.pools).remove(pool_id);
        lock(&self.clients).retain(|_, (_, c)| c.pool_id != pool_id);
    }

    pub(crate) fn forget_client(&self, client_id: &str) {
        lock(&self.clients).remove(client_id);
    }
}
