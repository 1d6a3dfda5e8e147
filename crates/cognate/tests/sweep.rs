//! The server's sweeper: expired records go from the database at start and then at the
//! configured interval, by the server's clock; what can still be used stays; the sweeper stops
//! with the server. (What exactly a sweep deletes is the store's contract, tested in
//! `cognate-store/tests/sweep.rs`.)
//!
//! Records are written and read through the store directly, in pools of the test's own. Every
//! time here is at or after the real present (the sweeps of other tests' servers on a shared
//! database reach only what has really expired), and the clock moves on by seconds only.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognate::app::{start, start_with_clock};
use cognate_core::clock::{Clock, ManualClock, SystemClock};
use cognate_core::model::{
    AuthSessionRecord, CodeRecord, Device, PoolSettings, RefreshTokenRecord, User, UserPool,
    UserStatus,
};
use cognate_core::store::Store;
use cognate_store::SqlStore;

const DAY_MS: i64 = 86_400_000;

/// Waits, checking every 50 ms, until `done` answers true; fails after `within`.
async fn eventually<F, Fut>(what: &str, within: Duration, done: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    while !done().await {
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A pool of this test's own with the user `alice`; returns the pool id.
async fn pool_with_alice(store: &dyn Store, now: i64) -> String {
    let id = format!("us-east-1_{}", common::unique("sweep"));
    store
        .insert_pool(&UserPool {
            id: id.clone(),
            name: format!("pool {id}"),
            arn: format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}"),
            created_ms: now,
            modified_ms: now,
            settings: PoolSettings::default(),
            mfa: Default::default(),
        })
        .await
        .unwrap();
    store
        .insert_user(&User {
            pool_id: id.clone(),
            username: "alice".into(),
            username_key: "alice".into(),
            sub: common::unique("sub"),
            status: UserStatus::Confirmed,
            enabled: true,
            attributes: vec![],
            password_hash: None,
            temporary_password_expires_ms: None,
            created_ms: now,
            modified_ms: now,
            version: 1,
            srp_verifier: None,
        })
        .await
        .unwrap();
    id
}

fn session(pool_id: &str, expires_ms: i64) -> AuthSessionRecord {
    AuthSessionRecord {
        id_hash: common::unique("session-"),
        pool_id: pool_id.to_string(),
        client_id: "c1".into(),
        username_key: "alice".into(),
        challenge: "PASSWORD_VERIFIER".into(),
        state: "{}".into(),
        expires_ms,
    }
}

fn code(pool_id: &str, purpose: &str, expires_ms: i64) -> CodeRecord {
    CodeRecord {
        pool_id: pool_id.to_string(),
        username_key: "alice".into(),
        purpose: purpose.to_string(),
        code_hash: "hash".into(),
        created_ms: expires_ms - 3_600_000,
        expires_ms,
        attempts: 0,
    }
}

fn refresh_token(pool_id: &str, expires_ms: i64) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: common::unique("rt-"),
        pool_id: pool_id.to_string(),
        client_id: "c1".into(),
        username_key: "alice".into(),
        sub: "sub".into(),
        origin_jti: common::unique("origin-"),
        device_key: None,
        auth_time: 0,
        issued_ms: expires_ms - 30 * DAY_MS,
        expires_ms,
        revoked_ms: None,
        rotated_ms: None,
    }
}

fn unconfirmed_device(pool_id: &str, created_ms: i64) -> Device {
    Device {
        pool_id: pool_id.to_string(),
        device_key: format!("us-east-1_{}", common::unique("device")),
        username_key: "alice".into(),
        device_group_key: "-gC2kH1Ua6".into(),
        verifier: None,
        name: None,
        status: None,
        last_ip: None,
        created_ms,
        modified_ms: created_ms,
        last_authenticated_ms: Some(created_ms),
    }
}

/// Records written before the server starts, expired long ago or live for long, are swept (or
/// kept) by the sweep at start: the interval is an hour, so no other sweep comes in time.
#[tokio::test]
async fn the_server_sweeps_expired_records_when_it_starts() {
    let (mut args, data_dir) = common::test_settings(false);
    args.sweep_interval_secs = Some(3_600);
    let settings = args.resolve().unwrap();

    let now = SystemClock.now_millis();
    let before = SqlStore::connect(&settings.database_url).await.unwrap();
    let p = pool_with_alice(&before, now).await;
    let dead_session = session(&p, now - 1_000);
    let live_session = session(&p, now + DAY_MS);
    let dead_token = refresh_token(&p, now - 2 * DAY_MS);
    let live_token = refresh_token(&p, now + 30 * DAY_MS);
    let dead_device = unconfirmed_device(&p, now - 2 * DAY_MS);
    let live_device = unconfirmed_device(&p, now);
    before.put_session(&dead_session).await.unwrap();
    before.put_session(&live_session).await.unwrap();
    before
        .put_code(&code(&p, "signup", now - 1_000))
        .await
        .unwrap();
    before
        .put_code(&code(&p, "forgot_password", now + DAY_MS))
        .await
        .unwrap();
    before.insert_refresh_token(&dead_token).await.unwrap();
    before.insert_refresh_token(&live_token).await.unwrap();
    before.insert_device(&dead_device, i64::MIN).await.unwrap();
    before.insert_device(&live_device, i64::MIN).await.unwrap();
    before.close().await;

    let server = start(settings).await.unwrap();
    let store = server.service.store().clone();
    // A sweep goes round the kinds a batch at a time, and a shared PostgreSQL database may hold
    // other runs' expired rows: wait for each dead row by itself, not for one kind as a sign of
    // the rest.
    eventually("the sweep at start", Duration::from_secs(20), || async {
        store
            .get_device(&p, &dead_device.device_key)
            .await
            .unwrap()
            .is_none()
            && store.get_code(&p, "alice", "signup").await.unwrap().is_none()
            && store
                .get_refresh_token(&dead_token.token_hash)
                .await
                .unwrap()
                .is_none()
            // Sessions can only be read by taking them: one still there goes back.
            && match store.take_session(&dead_session.id_hash).await.unwrap() {
                None => true,
                Some(record) => {
                    store.put_session(&record).await.unwrap();
                    false
                }
            }
    })
    .await;
    assert!(store
        .get_code(&p, "alice", "forgot_password")
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        store
            .get_refresh_token(&live_token.token_hash)
            .await
            .unwrap(),
        Some(live_token)
    );
    assert_eq!(
        store.get_device(&p, &live_device.device_key).await.unwrap(),
        Some(live_device)
    );
    assert_eq!(
        store.take_session(&live_session.id_hash).await.unwrap(),
        Some(live_session)
    );
    drop(store);
    server.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
}

/// Records that expire a little after start outlive the sweep at start; once the server's
/// clock has passed them, the next sweep (a second later) deletes them. The real clock has not
/// passed them by then, so only a sweeper on the server's clock passes this test.
#[tokio::test]
async fn the_server_sweeps_again_at_its_interval_by_its_clock_and_stops_with_it() {
    let (mut args, data_dir) = common::test_settings(false);
    args.sweep_interval_secs = Some(1);
    let clock = Arc::new(ManualClock::new(SystemClock.now_millis()));
    let server = start_with_clock(args.resolve().unwrap(), clock.clone(), false)
        .await
        .unwrap();
    let store = server.service.store().clone();
    let now = clock.now_millis();
    let p = pool_with_alice(store.as_ref(), now).await;
    let soon = now + 25_000;
    let expiring = session(&p, soon);
    let live = session(&p, now + DAY_MS);
    store.put_session(&expiring).await.unwrap();
    store.put_session(&live).await.unwrap();
    store.put_code(&code(&p, "signup", soon)).await.unwrap();
    store
        .put_code(&code(&p, "forgot_password", now + DAY_MS))
        .await
        .unwrap();

    clock.advance(30_000);
    eventually(
        "a sweep after the clock moved",
        Duration::from_secs(15),
        || async {
            store
                .get_code(&p, "alice", "signup")
                .await
                .unwrap()
                .is_none()
        },
    )
    .await;
    assert_eq!(store.take_session(&expiring.id_hash).await.unwrap(), None);
    assert!(store
        .get_code(&p, "alice", "forgot_password")
        .await
        .unwrap()
        .is_some());
    assert_eq!(store.take_session(&live.id_hash).await.unwrap(), Some(live));

    drop(store);
    tokio::time::timeout(Duration::from_secs(10), server.stop())
        .await
        .expect("the server and its sweeper stop")
        .unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);
}
