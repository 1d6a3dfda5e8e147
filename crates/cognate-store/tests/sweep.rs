//! `Store::sweep_expired`, run against every backend as `conformance.rs` runs the rest of the
//! contract: `sqlite::<name>` on a fresh database file, `postgres::<name>` on the database named
//! by `COGNATE_TEST_DATABASE_URL` (skipped, and passing, without it).
//!
//! A sweep reaches every pool in the database, so each PostgreSQL test runs in a schema of its
//! own, made for it and dropped after it: its sweeps cannot take other tests' rows (nor theirs
//! its rows), and every count is exact on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognate_core::model::{
    AuthSessionRecord, CodeRecord, Device, DeviceStatus, PoolSettings, RefreshTokenRecord,
    SignInFailures, User, UserPool, UserStatus,
};
use cognate_core::store::{Store, SweepCounts, SweepCutoffs};
use cognate_store::SqlStore;

mod harness;

use harness::{per_backend, random};

/// The sweeps' cut-off (for every kind, in these tests).
const C: i64 = 1_700_000_000_000;
const FAR_FUTURE_MS: i64 = 4_102_444_800_000; // 2100-01-01

per_backend!(
    true;
    expired_sessions_are_swept_and_live_ones_kept,
    expired_codes_and_send_windows_are_swept_and_live_ones_kept,
    expired_refresh_tokens_are_swept_revoked_or_not,
    rotated_refresh_tokens_are_swept_after_the_cutoff_and_their_family_lives_on,
    stale_unconfirmed_devices_are_swept_and_confirmed_ones_kept,
    sign_in_failures_and_activity_are_never_swept,
    a_sweep_deletes_at_most_the_limit_per_statement,
    concurrent_sweeps_delete_each_row_once,
);

// ---------------------------------------------------------------------------------------------
// Fixtures

/// The same cut-off for every kind.
fn cutoffs(at: i64) -> SweepCutoffs {
    SweepCutoffs {
        session_expires_ms: at,
        code_expires_ms: at,
        refresh_token_expires_ms: at,
        refresh_token_rotated_ms: at,
        unconfirmed_device_created_ms: at,
    }
}

/// A pool no other test uses, with the user `alice`.
async fn pool_with_alice(s: &SqlStore) -> String {
    let id = format!("us-test-1_{}", random(12));
    s.insert_pool(&UserPool {
        id: id.clone(),
        name: format!("pool {id}"),
        arn: format!("arn:aws:cognito-idp:us-test-1:000000000000:userpool/{id}"),
        created_ms: C - 10_000,
        modified_ms: C - 10_000,
        settings: PoolSettings::default(),
        mfa: Default::default(),
    })
    .await
    .unwrap();
    s.insert_user(&User {
        pool_id: id.clone(),
        username: "alice".into(),
        username_key: "alice".into(),
        sub: uuid::Uuid::new_v4().to_string(),
        status: UserStatus::Confirmed,
        enabled: true,
        attributes: vec![],
        password_hash: None,
        temporary_password_expires_ms: None,
        created_ms: C - 10_000,
        modified_ms: C - 10_000,
        version: 1,
        srp_verifier: None,
    })
    .await
    .unwrap();
    id
}

fn session(pool_id: &str, expires_ms: i64) -> AuthSessionRecord {
    AuthSessionRecord {
        id_hash: format!("session-{}", random(24)),
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
        code_hash: format!("hash-{}", random(8)),
        created_ms: C - 10_000,
        expires_ms,
        attempts: 0,
    }
}

fn refresh_token(pool_id: &str, origin_jti: &str, expires_ms: i64) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: format!("rt-{}", random(24)),
        pool_id: pool_id.to_string(),
        client_id: "c1".into(),
        username_key: "alice".into(),
        sub: "sub-of-alice".into(),
        origin_jti: origin_jti.to_string(),
        device_key: None,
        auth_time: 0,
        issued_ms: C - 10_000,
        expires_ms,
        revoked_ms: None,
        rotated_ms: None,
    }
}

fn device(pool_id: &str, created_ms: i64) -> Device {
    Device {
        pool_id: pool_id.to_string(),
        device_key: format!("us-test-1_{}", random(16)),
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

/// A device as ConfirmDevice leaves it.
fn confirmed(d: &Device) -> Device {
    Device {
        verifier: Some(format!("v1:sealed-{}", d.device_key)),
        name: Some("Firefox on Linux".into()),
        status: Some(DeviceStatus::Remembered),
        ..d.clone()
    }
}

/// Sweeps in batches of `limit` until a batch deletes nothing; returns the totals.
async fn sweep_all(s: &SqlStore, at: i64, limit: u32) -> SweepCounts {
    let mut total = SweepCounts::default();
    loop {
        let batch = s.sweep_expired(&cutoffs(at), limit).await.unwrap();
        if batch.total() == 0 {
            return total;
        }
        total += batch;
    }
}

// ---------------------------------------------------------------------------------------------
// What goes and what stays

async fn expired_sessions_are_swept_and_live_ones_kept(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    let long_gone = session(&p, C - 60_000);
    let at_cutoff = session(&p, C);
    let just_live = session(&p, C + 1);
    let live = session(&p, FAR_FUTURE_MS);
    for x in [&long_gone, &at_cutoff, &just_live, &live] {
        s.put_session(x).await.unwrap();
    }

    let swept = sweep_all(s, C, 1_000).await;
    assert_eq!(
        swept,
        SweepCounts {
            sessions: 2,
            ..SweepCounts::default()
        }
    );

    assert_eq!(s.take_session(&long_gone.id_hash).await.unwrap(), None);
    assert_eq!(s.take_session(&at_cutoff.id_hash).await.unwrap(), None);
    assert_eq!(
        s.take_session(&just_live.id_hash).await.unwrap(),
        Some(just_live)
    );
    assert_eq!(s.take_session(&live.id_hash).await.unwrap(), Some(live));
}

async fn expired_codes_and_send_windows_are_swept_and_live_ones_kept(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    let expired = code(&p, "signup", C - 1);
    let at_cutoff = code(&p, "verify:email", C);
    let window_over = code(&p, "signup#sent", C - 5);
    let just_live = code(&p, "forgot_password", C + 1);
    let live = code(&p, "verify:phone_number", FAR_FUTURE_MS);
    let live_window = code(&p, "forgot_password#sent", FAR_FUTURE_MS);
    for c in [
        &expired,
        &at_cutoff,
        &window_over,
        &just_live,
        &live,
        &live_window,
    ] {
        s.put_code(c).await.unwrap();
    }

    let swept = sweep_all(s, C, 1_000).await;
    assert_eq!(
        swept,
        SweepCounts {
            codes: 3,
            ..SweepCounts::default()
        }
    );

    for gone in ["signup", "verify:email", "signup#sent"] {
        assert_eq!(s.get_code(&p, "alice", gone).await.unwrap(), None, "{gone}");
    }
    for kept in [&just_live, &live, &live_window] {
        assert_eq!(
            s.get_code(&p, "alice", &kept.purpose)
                .await
                .unwrap()
                .as_ref(),
            Some(kept)
        );
    }
}

async fn expired_refresh_tokens_are_swept_revoked_or_not(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    let expired = refresh_token(&p, "o1", C - 1);
    let at_cutoff = refresh_token(&p, "o2", C);
    let mut expired_revoked = refresh_token(&p, "o3", C - 1);
    expired_revoked.revoked_ms = Some(C - 100);
    let just_live = refresh_token(&p, "o4", C + 1);
    let live = refresh_token(&p, "o5", FAR_FUTURE_MS);
    // Revoked but not expired: presenting it must still answer "revoked".
    let mut live_revoked = refresh_token(&p, "o6", FAR_FUTURE_MS);
    live_revoked.revoked_ms = Some(C - 100);
    for t in [
        &expired,
        &at_cutoff,
        &expired_revoked,
        &just_live,
        &live,
        &live_revoked,
    ] {
        s.insert_refresh_token(t).await.unwrap();
    }

    let swept = sweep_all(s, C, 1_000).await;
    assert_eq!(
        swept,
        SweepCounts {
            refresh_tokens: 3,
            ..SweepCounts::default()
        }
    );

    for gone in [&expired, &at_cutoff, &expired_revoked] {
        assert_eq!(s.get_refresh_token(&gone.token_hash).await.unwrap(), None);
    }
    for kept in [&just_live, &live, &live_revoked] {
        assert_eq!(
            s.get_refresh_token(&kept.token_hash)
                .await
                .unwrap()
                .as_ref(),
            Some(kept)
        );
    }
}

async fn rotated_refresh_tokens_are_swept_after_the_cutoff_and_their_family_lives_on(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    // A family rotated twice: the first token long ago, the second within the grace period
    // (after the cut-off); the third is the live one.
    let first = refresh_token(&p, "fam", FAR_FUTURE_MS);
    s.insert_refresh_token(&first).await.unwrap();
    let second = RefreshTokenRecord {
        issued_ms: C - 1,
        ..refresh_token(&p, "fam", FAR_FUTURE_MS)
    };
    assert!(s
        .rotate_refresh_token(&first.token_hash, C - 1, &second)
        .await
        .unwrap());
    let third = RefreshTokenRecord {
        issued_ms: C + 1,
        ..refresh_token(&p, "fam", FAR_FUTURE_MS)
    };
    assert!(s
        .rotate_refresh_token(&second.token_hash, C + 1, &third)
        .await
        .unwrap());
    // Another family rotated exactly at the cut-off.
    let other = refresh_token(&p, "other", FAR_FUTURE_MS);
    s.insert_refresh_token(&other).await.unwrap();
    let other_next = RefreshTokenRecord {
        issued_ms: C,
        ..refresh_token(&p, "other", FAR_FUTURE_MS)
    };
    assert!(s
        .rotate_refresh_token(&other.token_hash, C, &other_next)
        .await
        .unwrap());

    let swept = sweep_all(s, C, 1_000).await;
    assert_eq!(
        swept,
        SweepCounts {
            refresh_tokens: 2,
            ..SweepCounts::default()
        }
    );

    assert_eq!(s.get_refresh_token(&first.token_hash).await.unwrap(), None);
    assert_eq!(s.get_refresh_token(&other.token_hash).await.unwrap(), None);
    let in_grace = s
        .get_refresh_token(&second.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(in_grace.rotated_ms, Some(C + 1));
    assert_eq!(
        s.get_refresh_token(&third.token_hash).await.unwrap(),
        Some(third.clone())
    );
    assert_eq!(
        s.get_refresh_token(&other_next.token_hash).await.unwrap(),
        Some(other_next.clone())
    );
    // The family is found by its earliest remaining token, and revoking still reaches all of
    // it.
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "fam")
            .await
            .unwrap()
            .map(|t| t.token_hash),
        Some(second.token_hash.clone())
    );
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "other")
            .await
            .unwrap()
            .map(|t| t.token_hash),
        Some(other_next.token_hash.clone())
    );
    assert!(s.revoke_refresh_token(&third.token_hash, 5).await.unwrap());
    for t in [&second, &third] {
        let stored = s.get_refresh_token(&t.token_hash).await.unwrap().unwrap();
        assert_eq!(stored.revoked_ms, Some(5));
    }
}

async fn stale_unconfirmed_devices_are_swept_and_confirmed_ones_kept(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    let stale = device(&p, C - 1);
    let at_cutoff = device(&p, C);
    let fresh = device(&p, FAR_FUTURE_MS);
    let old_confirmed = device(&p, C - 1_000);
    // No pruning on insert (nothing was created before i64::MIN).
    for d in [&stale, &at_cutoff, &fresh, &old_confirmed] {
        s.insert_device(d, i64::MIN).await.unwrap();
    }
    assert!(s.confirm_device(&confirmed(&old_confirmed)).await.unwrap());

    let swept = sweep_all(s, C, 1_000).await;
    assert_eq!(
        swept,
        SweepCounts {
            devices: 1,
            ..SweepCounts::default()
        }
    );

    assert_eq!(s.get_device(&p, &stale.device_key).await.unwrap(), None);
    // Created at the cut-off is not before it (the rule `insert_device` prunes by).
    assert_eq!(
        s.get_device(&p, &at_cutoff.device_key).await.unwrap(),
        Some(at_cutoff)
    );
    assert_eq!(
        s.get_device(&p, &fresh.device_key).await.unwrap(),
        Some(fresh)
    );
    assert_eq!(
        s.get_device(&p, &old_confirmed.device_key).await.unwrap(),
        Some(confirmed(&old_confirmed))
    );
}

fn lock_after_two(failures: i64) -> i64 {
    if failures >= 2 {
        1_000
    } else {
        0
    }
}

async fn sign_in_failures_and_activity_are_never_swept(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    // Failures whose lock ended long before the cut-off: the count still grows the next lock.
    s.record_sign_in_failure(&p, "alice", C - 10_000, lock_after_two)
        .await
        .unwrap();
    s.record_sign_in_failure(&p, "alice", C - 10_000, lock_after_two)
        .await
        .unwrap();
    s.record_activity(&p, "sub-of-alice", "2023-11")
        .await
        .unwrap();

    assert_eq!(sweep_all(s, C, 1_000).await, SweepCounts::default());
    assert_eq!(
        s.get_sign_in_failures(&p, "alice").await.unwrap(),
        Some(SignInFailures {
            failures: 2,
            locked_until_ms: C - 9_000,
        })
    );
    assert_eq!(s.count_active_users("2023-11").await.unwrap(), vec![(p, 1)]);
}

// ---------------------------------------------------------------------------------------------
// Batches and concurrency

async fn a_sweep_deletes_at_most_the_limit_per_statement(s: &SqlStore) {
    let p = pool_with_alice(s).await;
    let sessions: Vec<_> = (0..5).map(|i| session(&p, C - i)).collect();
    let tokens: Vec<_> = (0..5)
        .map(|i| refresh_token(&p, &format!("o{i}"), C - i))
        .collect();
    let devices: Vec<_> = (0..5).map(|i| device(&p, C - 1 - i)).collect();
    for i in 0..5 {
        s.put_session(&sessions[i]).await.unwrap();
        s.put_code(&code(&p, &format!("verify:attr{i}"), C - i as i64))
            .await
            .unwrap();
        s.insert_refresh_token(&tokens[i]).await.unwrap();
        s.insert_device(&devices[i], i64::MIN).await.unwrap();
    }

    let each = |n| SweepCounts {
        sessions: n,
        codes: n,
        refresh_tokens: n,
        devices: n,
    };
    for n in [2, 2, 1, 0] {
        assert_eq!(s.sweep_expired(&cutoffs(C), 2).await.unwrap(), each(n));
    }
    for x in &sessions {
        assert_eq!(s.take_session(&x.id_hash).await.unwrap(), None);
    }
    for t in &tokens {
        assert_eq!(s.get_refresh_token(&t.token_hash).await.unwrap(), None);
    }
    for d in &devices {
        assert_eq!(s.get_device(&p, &d.device_key).await.unwrap(), None);
    }
    for i in 0..5 {
        let purpose = format!("verify:attr{i}");
        assert_eq!(s.get_code(&p, "alice", &purpose).await.unwrap(), None);
    }
}

/// Nodes sweeping one database at once: no sweep fails or waits for another, and between them
/// every expired row is deleted exactly once.
async fn concurrent_sweeps_delete_each_row_once(s: &SqlStore) {
    const ROWS: i64 = 60;
    const SWEEPERS: usize = 6;
    let p = pool_with_alice(s).await;
    let sessions: Vec<_> = (0..ROWS).map(|i| session(&p, C - i)).collect();
    for x in &sessions {
        s.put_session(x).await.unwrap();
    }
    for i in 0..ROWS {
        s.put_code(&code(&p, &format!("verify:attr{i}"), C - i))
            .await
            .unwrap();
        s.insert_refresh_token(&refresh_token(&p, &format!("o{i}"), C - i))
            .await
            .unwrap();
        s.insert_device(&device(&p, C - 1 - i), i64::MIN)
            .await
            .unwrap();
    }
    let live = session(&p, FAR_FUTURE_MS);
    s.put_session(&live).await.unwrap();

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(SWEEPERS));
    let sweepers: Vec<_> = (0..SWEEPERS)
        .map(|_| {
            let s = s.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                sweep_all(&s, C, 7).await
            })
        })
        .collect();
    let mut total = SweepCounts::default();
    for t in sweepers {
        total += t.await.unwrap();
    }
    let made = ROWS as u64;
    assert_eq!(
        total,
        SweepCounts {
            sessions: made,
            codes: made,
            refresh_tokens: made,
            devices: made,
        }
    );
    assert_eq!(s.sweep_expired(&cutoffs(C), 7).await.unwrap().total(), 0);
    for x in &sessions {
        assert_eq!(s.take_session(&x.id_hash).await.unwrap(), None);
    }
    assert_eq!(s.take_session(&live.id_hash).await.unwrap(), Some(live));
}
