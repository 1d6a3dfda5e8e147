//! `cognate keys …`: signing-key maintenance from the command line, against the database a
//! server uses (it may be running: servers notice new keys within a minute, and at once when
//! a token names one they do not know).

use std::sync::Arc;

use anyhow::{Context, Result};
use cognate_core::clock::SystemClock;
use cognate_core::sender::LogSender;
use cognate_core::store::Store;
use cognate_core::Service;
use cognate_store::SqlStore;

use crate::app::service_config;
use crate::config::Settings;
use crate::master_key;

/// Rotates the pool's signing keys; returns the new kids (ID key first).
pub async fn rotate(settings: &Settings, pool_id: &str) -> Result<Vec<String>> {
    // Never a new master key here: keys sealed with one would be unreadable to the servers.
    let key = master_key::load(&settings.master_key_file)?;
    let store = Arc::new(
        SqlStore::connect(&settings.database_url)
            .await
            .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?,
    );
    let service = Service::new(
        store.clone() as Arc<dyn Store>,
        Arc::new(SystemClock),
        Arc::new(LogSender::new()),
        service_config(settings),
    )
    .with_master_key(key);
    let result = service.rotate_keys(pool_id).await;
    store.close().await;
    result.with_context(|| format!("rotating the signing keys of {pool_id}"))
}
