//! The contract of `cognate_core::store::Store`, run against every backend.
//!
//! Each test body below is an `async fn(&SqlStore)`; `per_backend!` (tests/harness) turns it into
//! `sqlite::<name>` (a fresh database file in the temp folder) and `postgres::<name>` (the
//! database named by `COGNATE_TEST_DATABASE_URL`; without it the test says so and passes).
//! On PostgreSQL the tests share one database with each other and with other test binaries, so
//! every test works only in pools whose ids carry a random suffix, and never drops or empties
//! a table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognate_core::model::client::TokenValidityUnits;
use cognate_core::model::pool::{MfaSettings, SoftwareTokenMfaConfig, UsernameConfiguration};
use cognate_core::model::{
    Attribute, AuthSessionRecord, ClientSettings, CodeRecord, Device, DeviceStatus, Group,
    PoolDomain, PoolSettings, RefreshTokenRecord, SignInFailures, SigningKeyRecord, User, UserPool,
    UserPoolClient, UserStatus,
};
use cognate_core::store::{Store, StoreError, UserFilter, UserFilterField};
use cognate_store::{Backend, SqlStore};

mod harness;

use harness::{per_backend, random, PG_ENV};

per_backend!(
    false;
    pool_round_trips_with_settings,
    pool_update_replaces_and_missing_pool_is_not_found,
    duplicate_pool_is_a_conflict,
    delete_pool_reports_whether_it_existed,
    list_pools_orders_by_id_and_pages,
    client_round_trips_and_updates,
    duplicate_client_is_a_conflict,
    client_of_a_missing_pool_is_not_found,
    list_clients_orders_pages_and_counts,
    find_client_by_its_id_alone,
    user_round_trips_with_attributes_in_order,
    duplicate_username_is_a_conflict,
    duplicate_sub_is_a_conflict,
    user_of_a_missing_pool_is_not_found,
    get_user_by_sub_finds_the_user,
    update_user_replaces_everything_and_reindexes_attributes,
    update_user_with_a_stale_version_is_a_conflict,
    update_of_a_missing_user_is_not_found,
    update_user_to_a_taken_sub_is_a_conflict,
    delete_user_removes_memberships_and_attributes,
    list_users_orders_by_username_key_and_pages,
    list_users_filters_by_username,
    list_users_filters_by_sub,
    list_users_filters_by_status,
    list_users_filters_by_enabled,
    list_users_filters_by_attribute,
    prefix_filters_treat_percent_and_underscore_literally,
    filters_combine_with_paging,
    find_users_by_attribute_matches_exactly,
    long_multibyte_attribute_values_are_stored_and_found,
    count_users_counts_the_pool_only,
    group_round_trips_and_updates,
    duplicate_group_is_a_conflict,
    memberships_are_idempotent_and_listed_in_order,
    membership_of_a_missing_user_or_group_is_not_found,
    delete_group_removes_its_memberships,
    delete_pool_removes_everything_in_it,
    domain_round_trips_and_updates,
    duplicate_domain_is_a_conflict_across_pools,
    keys_order_bytewise,
    concurrent_inserts_of_one_username_admit_exactly_one,
    concurrent_inserts_of_one_sub_admit_exactly_one,
    concurrent_inserts_of_different_users_all_succeed,
    concurrent_updates_from_one_version_admit_exactly_one,
    update_user_must_step_the_version_by_one,
    durability_settings_are_in_effect,
    device_round_trips_and_is_confirmed_once,
    device_of_a_missing_user_is_not_found_and_keys_are_unique,
    list_devices_shows_the_users_confirmed_devices_in_key_order,
    device_status_and_sign_ins_change_confirmed_devices_only,
    a_new_device_prunes_the_users_stale_unconfirmed_devices,
    devices_go_with_their_user_and_pool,
    concurrent_confirmations_of_one_device_admit_exactly_one,
    signing_keys_round_trip_oldest_first,
    duplicate_kid_is_a_conflict_and_missing_pool_not_found,
    rotation_retires_only_older_keys_of_the_same_use,
    concurrent_rotations_leave_one_signing_key_per_use,
    delete_retired_signing_keys_deletes_those_past_retirement,
    code_round_trips_and_put_replaces,
    code_of_a_missing_user_is_not_found,
    code_attempts_count_up,
    concurrent_code_attempts_all_count,
    consume_code_needs_the_current_hash,
    concurrent_consumers_of_one_code_admit_exactly_one,
    session_is_taken_once,
    session_keys_and_parents,
    concurrent_takers_of_one_session_admit_exactly_one,
    refresh_token_round_trips_and_is_found_by_origin,
    revoking_a_refresh_token_marks_it_once,
    rotating_a_refresh_token_keeps_one_family,
    revoking_a_users_refresh_tokens_spares_others,
    sign_in_failures_count_lock_and_clear,
    a_user_reads_with_their_sign_in_failures,
    concurrent_sign_in_failures_all_count,
    activity_is_counted_once_per_sub_and_month,
    delete_user_removes_its_sign_in_state_but_not_its_activity,
    delete_pool_removes_its_sign_in_state,
);

// ---------------------------------------------------------------------------------------------
// Fixtures

/// A pool id no other test (or test binary) uses.
fn pool_id() -> String {
    format!("us-test-1_{}", random(12))
}

fn pool(id: &str) -> UserPool {
    UserPool {
        id: id.to_string(),
        name: format!("pool {id}"),
        arn: format!("arn:aws:cognito-idp:us-test-1:000000000000:userpool/{id}"),
        created_ms: 1_700_000_000_123,
        modified_ms: 1_700_000_000_456,
        settings: PoolSettings {
            auto_verified_attributes: Some(vec!["email".into()]),
            mfa_configuration: Some("OPTIONAL".into()),
            username_configuration: Some(UsernameConfiguration {
                case_sensitive: false,
            }),
            user_pool_tags: [("team".to_string(), "identity".to_string())].into(),
            ..PoolSettings::default()
        },
        mfa: MfaSettings {
            software_token_mfa_configuration: Some(SoftwareTokenMfaConfig {
                enabled: Some(true),
            }),
            ..MfaSettings::default()
        },
    }
}

async fn new_pool(s: &SqlStore) -> String {
    let id = pool_id();
    s.insert_pool(&pool(&id)).await.unwrap();
    id
}

fn client(pool_id: &str, client_id: &str) -> UserPoolClient {
    UserPoolClient {
        pool_id: pool_id.to_string(),
        client_id: client_id.to_string(),
        name: format!("client {client_id}"),
        secret: Some("s3cret".into()),
        created_ms: 1_000,
        modified_ms: 2_000,
        settings: ClientSettings {
            explicit_auth_flows: Some(vec!["ALLOW_USER_SRP_AUTH".into()]),
            callback_urls: Some(vec!["https://example.com/cb".into()]),
            token_validity_units: Some(TokenValidityUnits {
                access_token: Some("minutes".into()),
                ..TokenValidityUnits::default()
            }),
            access_token_validity: Some(60),
            ..ClientSettings::default()
        },
    }
}

fn user(pool_id: &str, key: &str) -> User {
    User {
        pool_id: pool_id.to_string(),
        username: key.to_uppercase(),
        username_key: key.to_string(),
        sub: uuid::Uuid::new_v4().to_string(),
        status: UserStatus::Confirmed,
        enabled: true,
        attributes: vec![
            attr("email", &format!("{key}@example.com")),
            attr("email_verified", "true"),
        ],
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        temporary_password_expires_ms: None,
        created_ms: 10,
        modified_ms: 20,
        version: 1,
        srp_verifier: None,
    }
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute {
        name: name.to_string(),
        value: value.to_string(),
    }
}

fn group(pool_id: &str, name: &str) -> Group {
    Group {
        pool_id: pool_id.to_string(),
        name: name.to_string(),
        description: Some(format!("the {name} group")),
        role_arn: None,
        precedence: Some(5),
        created_ms: 100,
        modified_ms: 200,
    }
}

fn domain(name: &str, pool_id: &str) -> PoolDomain {
    PoolDomain {
        domain: name.to_string(),
        pool_id: pool_id.to_string(),
        certificate_arn: None,
        managed_login_version: Some(1),
        created_ms: 300,
    }
}

fn keys(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.username_key.as_str()).collect()
}

fn filter(field: UserFilterField, value: &str, prefix: bool) -> UserFilter {
    UserFilter {
        field,
        value: value.to_string(),
        prefix,
    }
}

async fn filtered(s: &SqlStore, pool_id: &str, f: UserFilter) -> Vec<String> {
    let users = s.list_users(pool_id, Some(&f), None, 100).await.unwrap();
    users.into_iter().map(|u| u.username_key).collect()
}

fn is_conflict<T: std::fmt::Debug>(r: Result<T, StoreError>) -> bool {
    matches!(r, Err(StoreError::Conflict(_)))
}

// ---------------------------------------------------------------------------------------------
// User pools

async fn pool_round_trips_with_settings(s: &SqlStore) {
    let id = pool_id();
    let p = pool(&id);
    s.insert_pool(&p).await.unwrap();
    assert_eq!(s.get_pool(&id).await.unwrap(), Some(p));
    assert_eq!(s.get_pool(&pool_id()).await.unwrap(), None);
}

async fn pool_update_replaces_and_missing_pool_is_not_found(s: &SqlStore) {
    let id = new_pool(s).await;
    let mut p = pool(&id);
    p.name = "renamed".into();
    p.modified_ms += 1;
    p.settings.mfa_configuration = Some("ON".into());
    p.mfa = MfaSettings::default();
    s.update_pool(&p).await.unwrap();
    assert_eq!(s.get_pool(&id).await.unwrap(), Some(p));

    let missing = pool(&pool_id());
    assert_eq!(s.update_pool(&missing).await, Err(StoreError::NotFound));
    assert_eq!(s.get_pool(&missing.id).await.unwrap(), None);
}

async fn duplicate_pool_is_a_conflict(s: &SqlStore) {
    let id = new_pool(s).await;
    let mut again = pool(&id);
    again.name = "other".into();
    assert!(is_conflict(s.insert_pool(&again).await));
    assert_eq!(s.get_pool(&id).await.unwrap(), Some(pool(&id)));
}

async fn delete_pool_reports_whether_it_existed(s: &SqlStore) {
    let id = new_pool(s).await;
    assert!(s.delete_pool(&id).await.unwrap());
    assert_eq!(s.get_pool(&id).await.unwrap(), None);
    assert!(!s.delete_pool(&id).await.unwrap());
}

async fn list_pools_orders_by_id_and_pages(s: &SqlStore) {
    // Other tests' pools share the table: page from our own prefix on.
    let prefix = format!("us-test-1_{}", random(8));
    let mut ids: Vec<String> = ["c", "a", "E", "b", "d"]
        .iter()
        .map(|k| format!("{prefix}{k}"))
        .collect();
    for id in &ids {
        s.insert_pool(&pool(id)).await.unwrap();
    }
    ids.sort();

    let mut seen = Vec::new();
    let mut after = prefix.clone();
    loop {
        let page = s.list_pools(Some(&after), 2).await.unwrap();
        assert!(page.len() <= 2);
        let ours: Vec<String> = page
            .iter()
            .map(|p| p.id.clone())
            .take_while(|id| id.starts_with(&prefix))
            .collect();
        seen.extend(ours.iter().cloned());
        if ours.len() < 2 {
            break;
        }
        after = ours[1].clone();
    }
    assert_eq!(seen, ids);
    assert_eq!(s.list_pools(Some(&ids[4]), 0).await.unwrap(), vec![]);

    let first = s.list_pools(None, 3).await.unwrap();
    assert_eq!(first.len(), 3);
    assert!(first.windows(2).all(|w| w[0].id < w[1].id));
}

// ---------------------------------------------------------------------------------------------
// App clients

async fn client_round_trips_and_updates(s: &SqlStore) {
    let p = new_pool(s).await;
    let c = client(&p, "abc123");
    s.insert_client(&c).await.unwrap();
    assert_eq!(s.get_client(&p, "abc123").await.unwrap(), Some(c.clone()));
    assert_eq!(s.get_client(&p, "nope").await.unwrap(), None);

    let mut changed = c.clone();
    changed.name = "renamed".into();
    changed.secret = None;
    changed.settings = ClientSettings::default();
    changed.modified_ms = 9_999;
    s.update_client(&changed).await.unwrap();
    assert_eq!(s.get_client(&p, "abc123").await.unwrap(), Some(changed));

    let missing = client(&p, "missing");
    assert_eq!(s.update_client(&missing).await, Err(StoreError::NotFound));

    assert!(s.delete_client(&p, "abc123").await.unwrap());
    assert!(!s.delete_client(&p, "abc123").await.unwrap());
    assert_eq!(s.get_client(&p, "abc123").await.unwrap(), None);
}

async fn duplicate_client_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    s.insert_client(&client(&p, "same")).await.unwrap();
    assert!(is_conflict(s.insert_client(&client(&p, "same")).await));
    // The same client id in another pool is another client.
    s.insert_client(&client(&other, "same")).await.unwrap();
}

async fn client_of_a_missing_pool_is_not_found(s: &SqlStore) {
    let r = s.insert_client(&client(&pool_id(), "c")).await;
    assert_eq!(r, Err(StoreError::NotFound));
}

async fn list_clients_orders_pages_and_counts(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    for id in ["k3", "k1", "k5", "k2", "k4"] {
        s.insert_client(&client(&p, id)).await.unwrap();
    }
    s.insert_client(&client(&other, "k0")).await.unwrap();

    let ids = |cs: Vec<UserPoolClient>| cs.into_iter().map(|c| c.client_id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.list_clients(&p, None, 2).await.unwrap()),
        ["k1", "k2"]
    );
    assert_eq!(
        ids(s.list_clients(&p, Some("k2"), 2).await.unwrap()),
        ["k3", "k4"]
    );
    assert_eq!(
        ids(s.list_clients(&p, Some("k4"), 2).await.unwrap()),
        ["k5"]
    );
    assert!(s.list_clients(&p, Some("k5"), 2).await.unwrap().is_empty());
    // A page token stays valid when its key is deleted.
    assert!(s.delete_client(&p, "k2").await.unwrap());
    assert_eq!(
        ids(s.list_clients(&p, Some("k2"), 10).await.unwrap()),
        ["k3", "k4", "k5"]
    );

    assert_eq!(s.count_clients(&p).await.unwrap(), 4);
    assert_eq!(s.count_clients(&other).await.unwrap(), 1);
    assert_eq!(s.count_clients(&pool_id()).await.unwrap(), 0);
}

async fn find_client_by_its_id_alone(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    let id = format!("client-{}", random(16));
    let c = client(&p, &id);
    s.insert_client(&c).await.unwrap();
    s.insert_client(&client(&other, &format!("{id}x")))
        .await
        .unwrap();
    assert_eq!(s.find_client(&id).await.unwrap(), Some(c));
    assert_eq!(s.find_client(&format!("{id}y")).await.unwrap(), None);
    assert!(s.delete_client(&p, &id).await.unwrap());
    assert_eq!(s.find_client(&id).await.unwrap(), None);
}

// ---------------------------------------------------------------------------------------------
// Users

async fn user_round_trips_with_attributes_in_order(s: &SqlStore) {
    let p = new_pool(s).await;
    let mut u = user(&p, "alice");
    u.attributes = vec![
        attr("zoneinfo", "Europe/Paris"),
        attr("email", "alice@example.com"),
        attr("custom:empty", ""),
        attr("name", "Alice \"A\" Ünïcødé"),
    ];
    u.status = UserStatus::ForceChangePassword;
    u.enabled = false;
    u.password_hash = None;
    u.temporary_password_expires_ms = Some(1_800_000_000_000);
    u.version = 7;
    s.insert_user(&u).await.unwrap();
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), Some(u.clone()));
    assert_eq!(s.get_user(&p, "ALICE").await.unwrap(), None);
    assert_eq!(s.get_user(&pool_id(), "alice").await.unwrap(), None);

    let mut bare = user(&p, "bob");
    bare.attributes.clear();
    s.insert_user(&bare).await.unwrap();
    assert_eq!(s.get_user(&p, "bob").await.unwrap(), Some(bare));
}

async fn duplicate_username_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    let first = user(&p, "alice");
    s.insert_user(&first).await.unwrap();
    let again = user(&p, "alice"); // another sub
    assert!(is_conflict(s.insert_user(&again).await));
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), Some(first));
    // The failed insert left no attribute rows behind.
    let found = s
        .find_users_by_attribute(&p, "email", "alice@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    // Another pool may have the same username.
    let other = new_pool(s).await;
    s.insert_user(&user(&other, "alice")).await.unwrap();
}

async fn duplicate_sub_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    let a = user(&p, "alice");
    s.insert_user(&a).await.unwrap();
    let mut b = user(&p, "bob");
    b.sub = a.sub.clone();
    assert!(is_conflict(s.insert_user(&b).await));
    assert_eq!(s.get_user(&p, "bob").await.unwrap(), None);
    assert_eq!(s.count_users(&p).await.unwrap(), 1);
}

async fn user_of_a_missing_pool_is_not_found(s: &SqlStore) {
    let r = s.insert_user(&user(&pool_id(), "alice")).await;
    assert_eq!(r, Err(StoreError::NotFound));
}

async fn get_user_by_sub_finds_the_user(s: &SqlStore) {
    let p = new_pool(s).await;
    let a = user(&p, "alice");
    s.insert_user(&a).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    assert_eq!(
        s.get_user_by_sub(&p, &a.sub).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(s.get_user_by_sub(&p, "no-such-sub").await.unwrap(), None);
    let other = new_pool(s).await;
    assert_eq!(s.get_user_by_sub(&other, &a.sub).await.unwrap(), None);
}

async fn update_user_replaces_everything_and_reindexes_attributes(s: &SqlStore) {
    let p = new_pool(s).await;
    let u = user(&p, "alice");
    s.insert_user(&u).await.unwrap();

    let mut changed = u.clone();
    changed.username = "Alice".into();
    changed.sub = uuid::Uuid::new_v4().to_string();
    changed.status = UserStatus::ResetRequired;
    changed.enabled = false;
    changed.password_hash = None;
    changed.temporary_password_expires_ms = Some(42);
    changed.modified_ms = 99;
    changed.version = 2;
    changed.attributes = vec![
        attr("phone_number", "+15555550100"),
        attr("email", "new@example.com"),
    ];
    s.update_user(&changed, 1).await.unwrap();
    assert_eq!(
        s.get_user(&p, "alice").await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(
        s.get_user_by_sub(&p, &changed.sub).await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(s.get_user_by_sub(&p, &u.sub).await.unwrap(), None);

    let by = |name: &'static str, value: &'static str| {
        let p = p.clone();
        async move { keys(&s.find_users_by_attribute(&p, name, value).await.unwrap()).len() }
    };
    assert_eq!(by("email", "alice@example.com").await, 0);
    assert_eq!(by("email_verified", "true").await, 0);
    assert_eq!(by("email", "new@example.com").await, 1);
    assert_eq!(by("phone_number", "+15555550100").await, 1);
}

async fn update_user_with_a_stale_version_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    let u = user(&p, "alice");
    s.insert_user(&u).await.unwrap();
    let mut first = u.clone();
    first.version = 2;
    first.set_attribute("email", Some("first@example.com".into()));
    s.update_user(&first, 1).await.unwrap();

    let mut stale = u.clone();
    stale.version = 2;
    stale.set_attribute("email", Some("stale@example.com".into()));
    assert!(is_conflict(s.update_user(&stale, 1).await));
    // Nothing of the refused write is visible.
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), Some(first));
    let found = s
        .find_users_by_attribute(&p, "email", "stale@example.com")
        .await
        .unwrap();
    assert!(found.is_empty());
}

async fn update_of_a_missing_user_is_not_found(s: &SqlStore) {
    let p = new_pool(s).await;
    let mut u = user(&p, "ghost");
    u.version = 2;
    assert_eq!(s.update_user(&u, 1).await, Err(StoreError::NotFound));
    assert_eq!(s.get_user(&p, "ghost").await.unwrap(), None);
}

async fn update_user_to_a_taken_sub_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    let a = user(&p, "alice");
    let b = user(&p, "bob");
    s.insert_user(&a).await.unwrap();
    s.insert_user(&b).await.unwrap();
    let mut changed = b.clone();
    changed.sub = a.sub.clone();
    changed.version = 2;
    assert!(is_conflict(s.update_user(&changed, 1).await));
    assert_eq!(s.get_user(&p, "bob").await.unwrap(), Some(b));
}

async fn delete_user_removes_memberships_and_attributes(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    s.insert_group(&group(&p, "admins")).await.unwrap();
    s.add_user_to_group(&p, "admins", "alice").await.unwrap();
    s.add_user_to_group(&p, "admins", "bob").await.unwrap();

    assert!(s.delete_user(&p, "alice").await.unwrap());
    assert!(!s.delete_user(&p, "alice").await.unwrap());
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), None);
    let members = s.list_users_in_group(&p, "admins", None, 10).await.unwrap();
    assert_eq!(keys(&members), ["bob"]);
    let found = s
        .find_users_by_attribute(&p, "email", "alice@example.com")
        .await
        .unwrap();
    assert!(found.is_empty());

    // A new user of the same name starts with nothing of the old one.
    s.insert_user(&user(&p, "alice")).await.unwrap();
    assert!(s
        .list_groups_for_user(&p, "alice", None, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn list_users_orders_by_username_key_and_pages(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    for k in ["dave", "alice", "erin", "carol", "bob"] {
        s.insert_user(&user(&p, k)).await.unwrap();
    }
    s.insert_user(&user(&other, "aaron")).await.unwrap();

    let page = |after: Option<&'static str>| {
        let p = p.clone();
        async move { s.list_users(&p, None, after, 2).await.unwrap() }
    };
    assert_eq!(keys(&page(None).await), ["alice", "bob"]);
    assert_eq!(keys(&page(Some("bob")).await), ["carol", "dave"]);
    assert_eq!(keys(&page(Some("dave")).await), ["erin"]);
    assert!(page(Some("erin")).await.is_empty());
    // A token between keys, or of a deleted key, still pages on.
    assert_eq!(keys(&page(Some("b")).await), ["bob", "carol"]);
    let all = s.list_users(&p, None, None, 100).await.unwrap();
    assert_eq!(all[0], s.get_user(&p, "alice").await.unwrap().unwrap());
    assert!(s.list_users(&p, None, None, 0).await.unwrap().is_empty());
}

async fn list_users_filters_by_username(s: &SqlStore) {
    let p = new_pool(s).await;
    for k in ["ann", "anna", "annie", "bob", "an"] {
        s.insert_user(&user(&p, k)).await.unwrap();
    }
    let f = |v, prefix| filter(UserFilterField::Username, v, prefix);
    assert_eq!(filtered(s, &p, f("ann", false)).await, ["ann"]);
    assert_eq!(
        filtered(s, &p, f("ann", true)).await,
        ["ann", "anna", "annie"]
    );
    assert_eq!(
        filtered(s, &p, f("", true)).await,
        ["an", "ann", "anna", "annie", "bob"]
    );
    assert!(filtered(s, &p, f("zed", true)).await.is_empty());
}

async fn list_users_filters_by_sub(s: &SqlStore) {
    let p = new_pool(s).await;
    let mut a = user(&p, "alice");
    a.sub = "aaaa-1111".into();
    let mut b = user(&p, "bob");
    b.sub = "aaaa-2222".into();
    let mut c = user(&p, "carol");
    c.sub = "bbbb-1111".into();
    for u in [&a, &b, &c] {
        s.insert_user(u).await.unwrap();
    }
    let f = |v, prefix| filter(UserFilterField::Sub, v, prefix);
    assert_eq!(filtered(s, &p, f("aaaa-2222", false)).await, ["bob"]);
    assert_eq!(filtered(s, &p, f("aaaa", true)).await, ["alice", "bob"]);
    assert!(filtered(s, &p, f("aaaa", false)).await.is_empty());
    // `sub` given as an attribute name means the same column.
    let attr_sub = filter(UserFilterField::Attribute("sub".into()), "bbbb", true);
    assert_eq!(filtered(s, &p, attr_sub).await, ["carol"]);
}

async fn list_users_filters_by_status(s: &SqlStore) {
    let p = new_pool(s).await;
    let statuses = [
        ("a", UserStatus::Confirmed),
        ("b", UserStatus::Unconfirmed),
        ("c", UserStatus::Confirmed),
        ("d", UserStatus::ForceChangePassword),
    ];
    for (k, status) in statuses {
        let mut u = user(&p, k);
        u.status = status;
        s.insert_user(&u).await.unwrap();
    }
    let f = |v, prefix| filter(UserFilterField::Status, v, prefix);
    assert_eq!(filtered(s, &p, f("CONFIRMED", false)).await, ["a", "c"]);
    assert_eq!(filtered(s, &p, f("UNCONFIRMED", false)).await, ["b"]);
    assert_eq!(filtered(s, &p, f("FORCE", true)).await, ["d"]);
    assert_eq!(filtered(s, &p, f("CON", true)).await, ["a", "c"]);
}

async fn list_users_filters_by_enabled(s: &SqlStore) {
    let p = new_pool(s).await;
    for (k, enabled) in [("a", true), ("b", false), ("c", true)] {
        let mut u = user(&p, k);
        u.enabled = enabled;
        s.insert_user(&u).await.unwrap();
    }
    let f = |v, prefix| filter(UserFilterField::Enabled, v, prefix);
    assert_eq!(filtered(s, &p, f("Enabled", false)).await, ["a", "c"]);
    assert_eq!(filtered(s, &p, f("Disabled", false)).await, ["b"]);
    assert_eq!(filtered(s, &p, f("Dis", true)).await, ["b"]);
    assert_eq!(filtered(s, &p, f("", true)).await, ["a", "b", "c"]);
    assert!(filtered(s, &p, f("enabled", false)).await.is_empty());
    assert!(filtered(s, &p, f("Ena", false)).await.is_empty());
}

async fn list_users_filters_by_attribute(s: &SqlStore) {
    let p = new_pool(s).await;
    let people = [
        ("a", "Alice", "alice@example.com"),
        ("b", "Alicia", "alicia@example.org"),
        ("c", "Bob", "bob@example.com"),
        ("d", "alice", "ALICE@example.com"),
    ];
    for (k, name, email) in people {
        let mut u = user(&p, k);
        u.attributes = vec![attr("email", email), attr("given_name", name)];
        s.insert_user(&u).await.unwrap();
    }
    let mut no_name = user(&p, "e");
    no_name.attributes = vec![attr("email", "e@example.com")];
    s.insert_user(&no_name).await.unwrap();

    let f = |name: &str, v, prefix| filter(UserFilterField::Attribute(name.into()), v, prefix);
    assert_eq!(
        filtered(s, &p, f("given_name", "Alice", false)).await,
        ["a"]
    );
    assert_eq!(
        filtered(s, &p, f("given_name", "Ali", true)).await,
        ["a", "b"]
    );
    assert_eq!(
        filtered(s, &p, f("given_name", "", true)).await,
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        filtered(s, &p, f("email", "alice@example.com", false)).await,
        ["a"]
    );
    assert!(filtered(s, &p, f("family_name", "", true)).await.is_empty());
    // Values of another attribute do not match.
    assert!(filtered(s, &p, f("email", "Alice", true)).await.is_empty());
    // Nor do the same values in another pool.
    let other = new_pool(s).await;
    assert!(filtered(s, &other, f("given_name", "Ali", true))
        .await
        .is_empty());
}

async fn prefix_filters_treat_percent_and_underscore_literally(s: &SqlStore) {
    let p = new_pool(s).await;
    let values = [
        ("a", "100%_off"),
        ("b", "100%x"),
        ("c", "100x_off"),
        ("d", "100_%"),
        ("e", "100\\%"),
    ];
    for (k, v) in values {
        let mut u = user(&p, &format!("{k}_{v}"));
        u.attributes = vec![attr("custom:code", v)];
        s.insert_user(&u).await.unwrap();
    }
    let f = |v, prefix| filter(UserFilterField::Attribute("custom:code".into()), v, prefix);
    assert_eq!(
        filtered(s, &p, f("100%", true)).await,
        ["a_100%_off", "b_100%x"]
    );
    assert_eq!(filtered(s, &p, f("100%_", true)).await, ["a_100%_off"]);
    assert_eq!(filtered(s, &p, f("100_", true)).await, ["d_100_%"]);
    assert_eq!(filtered(s, &p, f("100\\", true)).await, ["e_100\\%"]);
    assert!(filtered(s, &p, f("100_", false)).await.is_empty());
    // Usernames with the same characters.
    let uf = |v| filter(UserFilterField::Username, v, true);
    assert_eq!(filtered(s, &p, uf("a_")).await, ["a_100%_off"]);
    assert!(filtered(s, &p, uf("%")).await.is_empty());
    assert!(filtered(s, &p, uf("_")).await.is_empty());
}

async fn filters_combine_with_paging(s: &SqlStore) {
    let p = new_pool(s).await;
    for k in ["a1", "a2", "b1", "a3", "b2", "a4"] {
        let mut u = user(&p, k);
        u.attributes = vec![attr("custom:team", &k[..1])];
        s.insert_user(&u).await.unwrap();
    }
    let f = filter(UserFilterField::Attribute("custom:team".into()), "a", false);
    let page1 = s.list_users(&p, Some(&f), None, 2).await.unwrap();
    assert_eq!(keys(&page1), ["a1", "a2"]);
    let page2 = s.list_users(&p, Some(&f), Some("a2"), 2).await.unwrap();
    assert_eq!(keys(&page2), ["a3", "a4"]);
    assert!(s
        .list_users(&p, Some(&f), Some("a4"), 2)
        .await
        .unwrap()
        .is_empty());

    let f = filter(UserFilterField::Username, "b", true);
    let page = s.list_users(&p, Some(&f), Some("b1"), 5).await.unwrap();
    assert_eq!(keys(&page), ["b2"]);
}

async fn find_users_by_attribute_matches_exactly(s: &SqlStore) {
    let p = new_pool(s).await;
    let shared = [
        ("c", "x@example.com"),
        ("a", "x@example.com"),
        ("b", "y@example.com"),
    ];
    for (k, email) in shared {
        let mut u = user(&p, k);
        u.attributes = vec![attr("email", email), attr("nickname", "x@example.com")];
        s.insert_user(&u).await.unwrap();
    }
    let found = s
        .find_users_by_attribute(&p, "email", "x@example.com")
        .await
        .unwrap();
    assert_eq!(keys(&found), ["a", "c"]);
    assert_eq!(found[0], s.get_user(&p, "a").await.unwrap().unwrap());
    let none = s
        .find_users_by_attribute(&p, "email", "x@example")
        .await
        .unwrap();
    assert!(none.is_empty());
    let upper = s
        .find_users_by_attribute(&p, "email", "X@example.com")
        .await
        .unwrap();
    assert!(upper.is_empty());

    let b = s.get_user(&p, "b").await.unwrap().unwrap();
    let by_sub = s.find_users_by_attribute(&p, "sub", &b.sub).await.unwrap();
    assert_eq!(keys(&by_sub), ["b"]);
}

async fn long_multibyte_attribute_values_are_stored_and_found(s: &SqlStore) {
    // 2,048 three-byte characters: far past what one PostgreSQL B-tree entry may hold.
    let p = new_pool(s).await;
    let long = "漢".repeat(2048);
    let mut longer = long.clone();
    longer.push('字');
    let mut a = user(&p, "a");
    a.attributes = vec![attr("address", &long)];
    let mut b = user(&p, "b");
    b.attributes = vec![attr("address", &longer)];
    s.insert_user(&a).await.unwrap();
    s.insert_user(&b).await.unwrap();

    assert_eq!(s.get_user(&p, "a").await.unwrap(), Some(a));
    let exact = s
        .find_users_by_attribute(&p, "address", &long)
        .await
        .unwrap();
    assert_eq!(keys(&exact), ["a"]);
    let f = |v: &str| filter(UserFilterField::Attribute("address".into()), v, true);
    assert_eq!(filtered(s, &p, f(&long)).await, ["a", "b"]);
    assert_eq!(filtered(s, &p, f(&longer)).await, ["b"]);
    assert_eq!(filtered(s, &p, f(&long[..300])).await, ["a", "b"]);
}

async fn count_users_counts_the_pool_only(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    assert_eq!(s.count_users(&p).await.unwrap(), 0);
    for k in ["a", "b", "c"] {
        s.insert_user(&user(&p, k)).await.unwrap();
    }
    s.insert_user(&user(&other, "a")).await.unwrap();
    assert_eq!(s.count_users(&p).await.unwrap(), 3);
    s.delete_user(&p, "b").await.unwrap();
    assert_eq!(s.count_users(&p).await.unwrap(), 2);
}

// ---------------------------------------------------------------------------------------------
// Groups

async fn group_round_trips_and_updates(s: &SqlStore) {
    let p = new_pool(s).await;
    let g = group(&p, "admins");
    s.insert_group(&g).await.unwrap();
    assert_eq!(s.get_group(&p, "admins").await.unwrap(), Some(g.clone()));
    assert_eq!(s.get_group(&p, "Admins").await.unwrap(), None);

    let mut changed = g.clone();
    changed.description = None;
    changed.role_arn = Some("arn:aws:iam::000000000000:role/admin".into());
    changed.precedence = None;
    changed.modified_ms = 777;
    s.update_group(&changed).await.unwrap();
    assert_eq!(s.get_group(&p, "admins").await.unwrap(), Some(changed));
    assert_eq!(
        s.update_group(&group(&p, "missing")).await,
        Err(StoreError::NotFound)
    );

    for name in ["zeta", "beta", "alpha"] {
        s.insert_group(&group(&p, name)).await.unwrap();
    }
    let names = |gs: Vec<Group>| gs.into_iter().map(|g| g.name).collect::<Vec<_>>();
    assert_eq!(
        names(s.list_groups(&p, None, 2).await.unwrap()),
        ["admins", "alpha"]
    );
    assert_eq!(
        names(s.list_groups(&p, Some("alpha"), 5).await.unwrap()),
        ["beta", "zeta"]
    );

    assert!(s.delete_group(&p, "zeta").await.unwrap());
    assert!(!s.delete_group(&p, "zeta").await.unwrap());
    assert_eq!(s.get_group(&p, "zeta").await.unwrap(), None);
}

async fn duplicate_group_is_a_conflict(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_group(&group(&p, "admins")).await.unwrap();
    assert!(is_conflict(s.insert_group(&group(&p, "admins")).await));
    let other = new_pool(s).await;
    s.insert_group(&group(&other, "admins")).await.unwrap();
    assert_eq!(
        s.insert_group(&group(&pool_id(), "admins")).await,
        Err(StoreError::NotFound)
    );
}

async fn memberships_are_idempotent_and_listed_in_order(s: &SqlStore) {
    let p = new_pool(s).await;
    for k in ["carol", "alice", "bob"] {
        s.insert_user(&user(&p, k)).await.unwrap();
    }
    for g in ["gamma", "alpha", "beta"] {
        s.insert_group(&group(&p, g)).await.unwrap();
    }
    for k in ["carol", "alice", "bob"] {
        s.add_user_to_group(&p, "alpha", k).await.unwrap();
    }
    s.add_user_to_group(&p, "alpha", "alice").await.unwrap(); // again
    for g in ["gamma", "beta", "alpha"] {
        s.add_user_to_group(&p, g, "bob").await.unwrap();
    }

    let members = s.list_users_in_group(&p, "alpha", None, 2).await.unwrap();
    assert_eq!(keys(&members), ["alice", "bob"]);
    assert_eq!(members[0], s.get_user(&p, "alice").await.unwrap().unwrap());
    let rest = s
        .list_users_in_group(&p, "alpha", Some("bob"), 2)
        .await
        .unwrap();
    assert_eq!(keys(&rest), ["carol"]);

    let names = |gs: Vec<Group>| gs.into_iter().map(|g| g.name).collect::<Vec<_>>();
    let groups = s.list_groups_for_user(&p, "bob", None, 2).await.unwrap();
    assert_eq!(groups[0], s.get_group(&p, "alpha").await.unwrap().unwrap());
    assert_eq!(names(groups), ["alpha", "beta"]);
    assert_eq!(
        names(
            s.list_groups_for_user(&p, "bob", Some("beta"), 2)
                .await
                .unwrap()
        ),
        ["gamma"]
    );
    assert_eq!(
        names(s.list_groups_for_user(&p, "alice", None, 10).await.unwrap()),
        ["alpha"]
    );

    s.remove_user_from_group(&p, "alpha", "bob").await.unwrap();
    s.remove_user_from_group(&p, "alpha", "bob").await.unwrap(); // again
    s.remove_user_from_group(&p, "nope", "nobody")
        .await
        .unwrap();
    let members = s.list_users_in_group(&p, "alpha", None, 10).await.unwrap();
    assert_eq!(keys(&members), ["alice", "carol"]);
    assert!(s
        .list_users_in_group(&p, "nope", None, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn membership_of_a_missing_user_or_group_is_not_found(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_group(&group(&p, "admins")).await.unwrap();
    assert_eq!(
        s.add_user_to_group(&p, "admins", "ghost").await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        s.add_user_to_group(&p, "ghosts", "alice").await,
        Err(StoreError::NotFound)
    );
}

async fn delete_group_removes_its_memberships(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_group(&group(&p, "admins")).await.unwrap();
    s.insert_group(&group(&p, "users")).await.unwrap();
    s.add_user_to_group(&p, "admins", "alice").await.unwrap();
    s.add_user_to_group(&p, "users", "alice").await.unwrap();

    assert!(s.delete_group(&p, "admins").await.unwrap());
    let groups = s.list_groups_for_user(&p, "alice", None, 10).await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "users");
    // A new group of the same name starts empty.
    s.insert_group(&group(&p, "admins")).await.unwrap();
    assert!(s
        .list_users_in_group(&p, "admins", None, 10)
        .await
        .unwrap()
        .is_empty());
    assert!(s.get_user(&p, "alice").await.unwrap().is_some());
}

async fn delete_pool_removes_everything_in_it(s: &SqlStore) {
    let p = new_pool(s).await;
    let kept = new_pool(s).await;
    for pool in [&p, &kept] {
        s.insert_client(&client(pool, "c1")).await.unwrap();
        s.insert_user(&user(pool, "alice")).await.unwrap();
        s.insert_group(&group(pool, "admins")).await.unwrap();
        s.add_user_to_group(pool, "admins", "alice").await.unwrap();
        s.insert_domain(&domain(&format!("auth-{pool}").to_lowercase(), pool))
            .await
            .unwrap();
    }

    assert!(s.delete_pool(&p).await.unwrap());
    assert_eq!(s.get_client(&p, "c1").await.unwrap(), None);
    assert_eq!(s.count_clients(&p).await.unwrap(), 0);
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), None);
    assert_eq!(s.count_users(&p).await.unwrap(), 0);
    assert_eq!(s.get_group(&p, "admins").await.unwrap(), None);
    assert!(s.list_domains_for_pool(&p).await.unwrap().is_empty());
    let domain_name = format!("auth-{p}").to_lowercase();
    assert_eq!(s.get_domain(&domain_name).await.unwrap(), None);

    // Recreated, the pool is empty: nothing was left behind in the index tables either.
    s.insert_pool(&pool(&p)).await.unwrap();
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_group(&group(&p, "admins")).await.unwrap();
    assert!(s
        .list_users_in_group(&p, "admins", None, 10)
        .await
        .unwrap()
        .is_empty());
    let found = s
        .find_users_by_attribute(&p, "email", "alice@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    s.insert_domain(&domain(&domain_name, &p)).await.unwrap();

    // The other pool is untouched.
    assert_eq!(s.count_users(&kept).await.unwrap(), 1);
    assert_eq!(s.count_clients(&kept).await.unwrap(), 1);
    let members = s
        .list_users_in_group(&kept, "admins", None, 10)
        .await
        .unwrap();
    assert_eq!(keys(&members), ["alice"]);
    assert_eq!(s.list_domains_for_pool(&kept).await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Domains

async fn domain_round_trips_and_updates(s: &SqlStore) {
    let p = new_pool(s).await;
    let tag = random(10);
    let prefix_domain = domain(&format!("b-{tag}"), &p);
    let mut custom = domain(&format!("a-{tag}.example.com"), &p);
    custom.certificate_arn = Some("arn:aws:acm:us-east-1:000000000000:certificate/x".into());
    custom.managed_login_version = None;
    s.insert_domain(&prefix_domain).await.unwrap();
    s.insert_domain(&custom).await.unwrap();

    assert_eq!(
        s.get_domain(&prefix_domain.domain).await.unwrap(),
        Some(prefix_domain.clone())
    );
    assert_eq!(s.get_domain(&format!("c-{tag}")).await.unwrap(), None);
    assert_eq!(
        s.list_domains_for_pool(&p).await.unwrap(),
        vec![custom.clone(), prefix_domain.clone()]
    );

    let mut changed = custom.clone();
    changed.certificate_arn = Some("arn:aws:acm:us-east-1:000000000000:certificate/y".into());
    changed.managed_login_version = Some(2);
    s.update_domain(&changed).await.unwrap();
    assert_eq!(
        s.get_domain(&custom.domain).await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(
        s.update_domain(&domain(&format!("c-{tag}"), &p)).await,
        Err(StoreError::NotFound)
    );

    assert!(s.delete_domain(&changed.domain).await.unwrap());
    assert!(!s.delete_domain(&changed.domain).await.unwrap());
    assert_eq!(
        s.list_domains_for_pool(&p).await.unwrap(),
        vec![prefix_domain]
    );
}

async fn duplicate_domain_is_a_conflict_across_pools(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    let name = format!("taken-{}", random(10));
    s.insert_domain(&domain(&name, &p)).await.unwrap();
    assert!(is_conflict(s.insert_domain(&domain(&name, &other)).await));
    assert!(is_conflict(s.insert_domain(&domain(&name, &p)).await));
    assert_eq!(s.get_domain(&name).await.unwrap().unwrap().pool_id, p);
    assert_eq!(
        s.insert_domain(&domain(&format!("x-{name}"), &pool_id()))
            .await,
        Err(StoreError::NotFound)
    );
}

// ---------------------------------------------------------------------------------------------
// Signing keys

fn signing_key(pool_id: &str, kid: &str, use_for: &str, created_ms: i64) -> SigningKeyRecord {
    SigningKeyRecord {
        pool_id: pool_id.to_string(),
        kid: kid.to_string(),
        use_for: use_for.to_string(),
        private_pem: format!("-----BEGIN PRIVATE KEY-----\n{kid}\n-----END PRIVATE KEY-----\n"),
        created_ms,
        retire_after_ms: None,
    }
}

fn kids(keys: &[SigningKeyRecord]) -> Vec<&str> {
    keys.iter().map(|k| k.kid.as_str()).collect()
}

async fn signing_keys_round_trip_oldest_first(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    let mut retired = signing_key(&p, "k-old", "access", 100);
    retired.retire_after_ms = Some(5_000);
    let keys = [
        signing_key(&p, "k-b", "id", 300),
        retired,
        signing_key(&p, "k-a", "id", 300),
        signing_key(&p, "k-mid", "access", 200),
    ];
    for k in &keys {
        s.insert_signing_key(k).await.unwrap();
    }
    // The same kid in another pool is another key.
    s.insert_signing_key(&signing_key(&other, "k-a", "id", 1))
        .await
        .unwrap();

    let listed = s.list_signing_keys(&p).await.unwrap();
    assert_eq!(kids(&listed), ["k-old", "k-mid", "k-a", "k-b"]);
    assert_eq!(listed[0], keys[1]);
    assert_eq!(listed[3], keys[0]);
    assert_eq!(kids(&s.list_signing_keys(&other).await.unwrap()), ["k-a"]);
    assert!(s.list_signing_keys(&pool_id()).await.unwrap().is_empty());
}

async fn duplicate_kid_is_a_conflict_and_missing_pool_not_found(s: &SqlStore) {
    let p = new_pool(s).await;
    let first = signing_key(&p, "k1", "id", 1);
    s.insert_signing_key(&first).await.unwrap();
    assert!(is_conflict(
        s.insert_signing_key(&signing_key(&p, "k1", "access", 2))
            .await
    ));
    assert_eq!(s.list_signing_keys(&p).await.unwrap(), vec![first]);
    assert_eq!(
        s.insert_signing_key(&signing_key(&pool_id(), "k1", "id", 1))
            .await,
        Err(StoreError::NotFound)
    );
}

async fn rotation_retires_only_older_keys_of_the_same_use(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    let mut already = signing_key(&p, "id-0", "id", 10);
    already.retire_after_ms = Some(500);
    s.insert_signing_key(&already).await.unwrap();
    s.insert_signing_key(&signing_key(&p, "id-1", "id", 20))
        .await
        .unwrap();
    s.insert_signing_key(&signing_key(&p, "access-1", "access", 30))
        .await
        .unwrap();
    s.insert_signing_key(&signing_key(&other, "id-1", "id", 20))
        .await
        .unwrap();

    let new_key = signing_key(&p, "id-2", "id", 40);
    s.rotate_signing_key(&new_key, 9_000).await.unwrap();
    let retire = |keys: &[SigningKeyRecord]| -> Vec<(String, Option<i64>)> {
        keys.iter()
            .map(|k| (k.kid.clone(), k.retire_after_ms))
            .collect()
    };
    let listed = s.list_signing_keys(&p).await.unwrap();
    assert_eq!(
        retire(&listed),
        [
            ("id-0".to_string(), Some(500)), // kept its own retirement
            ("id-1".to_string(), Some(9_000)),
            ("access-1".to_string(), None), // another use
            ("id-2".to_string(), None),
        ]
    );
    assert_eq!(listed[3], new_key);
    let untouched = s.list_signing_keys(&other).await.unwrap();
    assert_eq!(retire(&untouched), [("id-1".to_string(), None)]);

    // A taken kid: nothing changes, the older access key included.
    assert!(is_conflict(
        s.rotate_signing_key(&signing_key(&p, "id-1", "access", 50), 7_000)
            .await
    ));
    assert_eq!(s.list_signing_keys(&p).await.unwrap(), listed);
    // A missing pool.
    assert_eq!(
        s.rotate_signing_key(&signing_key(&pool_id(), "x", "id", 1), 1)
            .await,
        Err(StoreError::NotFound)
    );

    // Rotating the other use.
    s.rotate_signing_key(&signing_key(&p, "access-2", "access", 60), 8_000)
        .await
        .unwrap();
    let listed = s.list_signing_keys(&p).await.unwrap();
    assert_eq!(
        retire(&listed),
        [
            ("id-0".to_string(), Some(500)),
            ("id-1".to_string(), Some(9_000)),
            ("access-1".to_string(), Some(8_000)),
            ("id-2".to_string(), None),
            ("access-2".to_string(), None),
        ]
    );
}

async fn concurrent_rotations_leave_one_signing_key_per_use(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_signing_key(&signing_key(&p, "first", "id", 0))
        .await
        .unwrap();
    let (ok, conflict) = race(s, |s, i| {
        let key = signing_key(&p, &format!("k{i:02}"), "id", 1 + i as i64);
        async move { s.rotate_signing_key(&key, 1_000).await }
    })
    .await;
    assert_eq!((ok, conflict), (RACERS, 0));
    let listed = s.list_signing_keys(&p).await.unwrap();
    assert_eq!(listed.len(), RACERS + 1);
    let unretired: Vec<_> = listed
        .iter()
        .filter(|k| k.retire_after_ms.is_none())
        .collect();
    assert_eq!(unretired.len(), 1, "{listed:?}");
}

async fn delete_retired_signing_keys_deletes_those_past_retirement(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    for (pool, kid, retire) in [
        (&p, "gone", Some(100)),
        (&p, "at-now", Some(200)),
        (&p, "later", Some(201)),
        (&p, "current", None),
        (&other, "other", Some(100)),
    ] {
        let mut k = signing_key(pool, kid, "id", 1);
        k.retire_after_ms = retire;
        s.insert_signing_key(&k).await.unwrap();
    }
    assert_eq!(s.delete_retired_signing_keys(&p, 200).await.unwrap(), 1);
    assert_eq!(s.delete_retired_signing_keys(&p, 200).await.unwrap(), 0);
    let mut left = kids(&s.list_signing_keys(&p).await.unwrap())
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    left.sort();
    assert_eq!(left, ["at-now", "current", "later"]);
    assert_eq!(s.list_signing_keys(&other).await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// One-time codes

fn code(pool_id: &str, key: &str, purpose: &str, hash: &str) -> CodeRecord {
    CodeRecord {
        pool_id: pool_id.to_string(),
        username_key: key.to_string(),
        purpose: purpose.to_string(),
        code_hash: hash.to_string(),
        created_ms: 1_000,
        expires_ms: 2_000,
        attempts: 0,
    }
}

async fn code_round_trips_and_put_replaces(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    let signup = code(&p, "alice", "signup", "h1");
    let verify = code(&p, "alice", "verify:email", "h2");
    let bobs = code(&p, "bob", "signup", "h3");
    for c in [&signup, &verify, &bobs] {
        s.put_code(c).await.unwrap();
    }
    assert_eq!(
        s.get_code(&p, "alice", "signup").await.unwrap(),
        Some(signup.clone())
    );
    assert_eq!(
        s.get_code(&p, "alice", "verify:email").await.unwrap(),
        Some(verify.clone())
    );
    assert_eq!(
        s.get_code(&p, "alice", "forgot_password").await.unwrap(),
        None
    );
    assert_eq!(s.get_code(&p, "carol", "signup").await.unwrap(), None);

    // A new code replaces the old one whole, its attempts included.
    s.add_code_attempt(&p, "alice", "signup").await.unwrap();
    let mut again = code(&p, "alice", "signup", "h4");
    again.created_ms = 5_000;
    again.expires_ms = 6_000;
    s.put_code(&again).await.unwrap();
    assert_eq!(
        s.get_code(&p, "alice", "signup").await.unwrap(),
        Some(again)
    );
    assert_eq!(
        s.get_code(&p, "alice", "verify:email").await.unwrap(),
        Some(verify)
    );
    assert_eq!(s.get_code(&p, "bob", "signup").await.unwrap(), Some(bobs));
}

async fn code_of_a_missing_user_is_not_found(s: &SqlStore) {
    let p = new_pool(s).await;
    assert_eq!(
        s.put_code(&code(&p, "ghost", "signup", "h")).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        s.put_code(&code(&pool_id(), "ghost", "signup", "h")).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(s.get_code(&p, "ghost", "signup").await.unwrap(), None);
}

async fn code_attempts_count_up(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    assert_eq!(
        s.add_code_attempt(&p, "alice", "signup").await,
        Err(StoreError::NotFound)
    );
    let mut c = code(&p, "alice", "signup", "h");
    c.attempts = 2;
    s.put_code(&c).await.unwrap();
    assert_eq!(s.add_code_attempt(&p, "alice", "signup").await.unwrap(), 3);
    assert_eq!(s.add_code_attempt(&p, "alice", "signup").await.unwrap(), 4);
    let stored = s.get_code(&p, "alice", "signup").await.unwrap().unwrap();
    assert_eq!(stored.attempts, 4);
    assert_eq!(stored.code_hash, "h");
    assert_eq!(
        s.add_code_attempt(&p, "alice", "verify:email").await,
        Err(StoreError::NotFound)
    );
}

async fn concurrent_code_attempts_all_count(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.put_code(&code(&p, "alice", "signup", "h")).await.unwrap();
    let counts = futures_join_all((0..RACERS).map(|_| {
        let (s, p) = (s.clone(), p.clone());
        async move { s.add_code_attempt(&p, "alice", "signup").await.unwrap() }
    }))
    .await;
    let mut counts = counts;
    counts.sort();
    assert_eq!(counts, (1..=RACERS as i64).collect::<Vec<_>>());
    let stored = s.get_code(&p, "alice", "signup").await.unwrap().unwrap();
    assert_eq!(stored.attempts, RACERS as i64);
}

async fn consume_code_needs_the_current_hash(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    assert!(!s.consume_code(&p, "alice", "signup", "h1").await.unwrap());
    let c = code(&p, "alice", "signup", "h1");
    s.put_code(&c).await.unwrap();
    s.put_code(&code(&p, "alice", "verify:email", "h1"))
        .await
        .unwrap();

    // A wrong guess leaves the code as it was.
    assert!(!s
        .consume_code(&p, "alice", "signup", "wrong")
        .await
        .unwrap());
    assert_eq!(s.get_code(&p, "alice", "signup").await.unwrap(), Some(c));

    assert!(s.consume_code(&p, "alice", "signup", "h1").await.unwrap());
    assert_eq!(s.get_code(&p, "alice", "signup").await.unwrap(), None);
    assert!(!s.consume_code(&p, "alice", "signup", "h1").await.unwrap());
    // Only that purpose's code went.
    assert!(s
        .get_code(&p, "alice", "verify:email")
        .await
        .unwrap()
        .is_some());

    // A replaced code's old hash no longer works.
    s.put_code(&code(&p, "alice", "signup", "h2"))
        .await
        .unwrap();
    s.put_code(&code(&p, "alice", "signup", "h3"))
        .await
        .unwrap();
    assert!(!s.consume_code(&p, "alice", "signup", "h2").await.unwrap());
    assert!(s.consume_code(&p, "alice", "signup", "h3").await.unwrap());
}

/// `Ok(true)` as a win, `Ok(false)` as a loss (a conflict, for [`race`]).
fn won(r: Result<bool, StoreError>) -> Result<(), StoreError> {
    match r? {
        true => Ok(()),
        false => Err(StoreError::Conflict("lost".into())),
    }
}

async fn concurrent_consumers_of_one_code_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.put_code(&code(&p, "alice", "signup", "h")).await.unwrap();
    let (ok, lost) = race(s, |s, _| {
        let p = p.clone();
        async move { won(s.consume_code(&p, "alice", "signup", "h").await) }
    })
    .await;
    assert_eq!((ok, lost), (1, RACERS - 1));
    assert_eq!(s.get_code(&p, "alice", "signup").await.unwrap(), None);
}

// ---------------------------------------------------------------------------------------------
// Challenge sessions

/// Far beyond any real clock, so a clean-up by another test binary sharing the database
/// leaves these sessions alone.
const FAR_FUTURE_MS: i64 = 1 << 60;

fn session(pool_id: &str, key: &str, expires_ms: i64) -> AuthSessionRecord {
    AuthSessionRecord {
        id_hash: format!("session-{}", random(24)),
        pool_id: pool_id.to_string(),
        client_id: "c1".into(),
        username_key: key.to_string(),
        challenge: "PASSWORD_VERIFIER".into(),
        state: r#"{"srp_b":"abc","attempt":1}"#.into(),
        expires_ms,
    }
}

async fn session_is_taken_once(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let a = session(&p, "alice", FAR_FUTURE_MS);
    let b = session(&p, "alice", FAR_FUTURE_MS);
    s.put_session(&a).await.unwrap();
    s.put_session(&b).await.unwrap();
    assert_eq!(s.take_session(&a.id_hash).await.unwrap(), Some(a.clone()));
    assert_eq!(s.take_session(&a.id_hash).await.unwrap(), None);
    assert_eq!(s.take_session(&b.id_hash).await.unwrap(), Some(b));
    assert_eq!(s.take_session("session-unknown").await.unwrap(), None);
}

async fn session_keys_and_parents(s: &SqlStore) {
    let p = new_pool(s).await;
    let a = session(&p, "alice", FAR_FUTURE_MS);
    s.put_session(&a).await.unwrap();
    let mut same_id = session(&p, "bob", FAR_FUTURE_MS);
    same_id.id_hash = a.id_hash.clone();
    assert!(is_conflict(s.put_session(&same_id).await));
    assert_eq!(
        s.put_session(&session(&pool_id(), "alice", FAR_FUTURE_MS))
            .await,
        Err(StoreError::NotFound)
    );
    // The user need not exist (a challenge for an unknown user must look like any other).
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), None);
    assert_eq!(s.take_session(&a.id_hash).await.unwrap(), Some(a));
}

async fn concurrent_takers_of_one_session_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    let a = session(&p, "alice", FAR_FUTURE_MS);
    s.put_session(&a).await.unwrap();
    let (ok, lost) = race(s, |s, _| {
        let id = a.id_hash.clone();
        async move { won(s.take_session(&id).await.map(|t| t.is_some())) }
    })
    .await;
    assert_eq!((ok, lost), (1, RACERS - 1));
}

// ---------------------------------------------------------------------------------------------
// Refresh tokens

fn refresh_token(pool_id: &str, key: &str, origin_jti: &str, issued_ms: i64) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: format!("rt-{}", random(24)),
        pool_id: pool_id.to_string(),
        client_id: "c1".into(),
        username_key: key.to_string(),
        sub: format!("sub-of-{key}"),
        origin_jti: origin_jti.to_string(),
        device_key: None,
        auth_time: 1_700_000_000,
        issued_ms,
        expires_ms: issued_ms + 30 * 86_400_000,
        revoked_ms: None,
        rotated_ms: None,
    }
}

async fn refresh_token_round_trips_and_is_found_by_origin(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    for pool in [&p, &other] {
        s.insert_user(&user(pool, "alice")).await.unwrap();
    }
    let mut t = refresh_token(&p, "alice", "origin-1", 1_000);
    t.device_key = Some("us-test-1_device".into());
    s.insert_refresh_token(&t).await.unwrap();
    // A later token of the same family, and a token of another pool with the same origin.
    let later = refresh_token(&p, "alice", "origin-1", 2_000);
    s.insert_refresh_token(&later).await.unwrap();
    let elsewhere = refresh_token(&other, "alice", "origin-1", 500);
    s.insert_refresh_token(&elsewhere).await.unwrap();

    assert_eq!(
        s.get_refresh_token(&t.token_hash).await.unwrap(),
        Some(t.clone())
    );
    assert_eq!(s.get_refresh_token("rt-unknown").await.unwrap(), None);
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "origin-1").await.unwrap(),
        Some(t.clone())
    );
    assert_eq!(
        s.get_refresh_token_by_origin(&other, "origin-1")
            .await
            .unwrap(),
        Some(elsewhere)
    );
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "origin-2").await.unwrap(),
        None
    );

    let mut dup = refresh_token(&p, "alice", "origin-3", 3_000);
    dup.token_hash = t.token_hash.clone();
    assert!(is_conflict(s.insert_refresh_token(&dup).await));
    assert_eq!(
        s.insert_refresh_token(&refresh_token(&p, "ghost", "o", 1))
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(s.get_refresh_token(&t.token_hash).await.unwrap(), Some(t));
}

async fn revoking_a_refresh_token_marks_it_once(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let t = refresh_token(&p, "alice", "o1", 1_000);
    let kept = refresh_token(&p, "alice", "o2", 1_000);
    s.insert_refresh_token(&t).await.unwrap();
    s.insert_refresh_token(&kept).await.unwrap();

    assert!(s.revoke_refresh_token(&t.token_hash, 5_000).await.unwrap());
    assert!(!s.revoke_refresh_token(&t.token_hash, 6_000).await.unwrap());
    assert!(!s.revoke_refresh_token("rt-unknown", 6_000).await.unwrap());
    let stored = s.get_refresh_token(&t.token_hash).await.unwrap().unwrap();
    assert_eq!(stored.revoked_ms, Some(5_000));
    assert_eq!(
        s.get_refresh_token(&kept.token_hash).await.unwrap(),
        Some(kept)
    );
}

async fn rotating_a_refresh_token_keeps_one_family(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let first = refresh_token(&p, "alice", "fam", 1_000);
    let unrelated = refresh_token(&p, "alice", "other", 1_000);
    s.insert_refresh_token(&first).await.unwrap();
    s.insert_refresh_token(&unrelated).await.unwrap();

    let second = refresh_token(&p, "alice", "fam", 2_000);
    assert!(s
        .rotate_refresh_token(&first.token_hash, 2_000, &second)
        .await
        .unwrap());
    // A retry of the old token within its grace period: the first mark stays.
    let third = refresh_token(&p, "alice", "fam", 3_000);
    assert!(s
        .rotate_refresh_token(&first.token_hash, 3_000, &third)
        .await
        .unwrap());
    let stored = s
        .get_refresh_token(&first.token_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.rotated_ms, Some(2_000));
    assert_eq!(
        s.get_refresh_token(&second.token_hash).await.unwrap(),
        Some(second.clone())
    );
    // The family is still found by its first token.
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "fam")
            .await
            .unwrap()
            .map(|t| t.token_hash),
        Some(first.token_hash.clone())
    );

    // Unknown old token: nothing written.
    let orphan = refresh_token(&p, "alice", "fam", 4_000);
    assert!(!s
        .rotate_refresh_token("rt-unknown", 4_000, &orphan)
        .await
        .unwrap());
    assert_eq!(s.get_refresh_token(&orphan.token_hash).await.unwrap(), None);

    // Revoking the newest token revokes the whole family, and only it.
    assert!(s
        .revoke_refresh_token(&third.token_hash, 5_000)
        .await
        .unwrap());
    for t in [&first, &second, &third] {
        let stored = s.get_refresh_token(&t.token_hash).await.unwrap().unwrap();
        assert_eq!(stored.revoked_ms, Some(5_000), "{}", t.token_hash);
    }
    assert_eq!(
        s.get_refresh_token(&unrelated.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_ms,
        None
    );
    // A revoked token cannot be rotated.
    let late = refresh_token(&p, "alice", "fam", 6_000);
    assert!(!s
        .rotate_refresh_token(&second.token_hash, 6_000, &late)
        .await
        .unwrap());
    assert_eq!(s.get_refresh_token(&late.token_hash).await.unwrap(), None);
}

async fn revoking_a_users_refresh_tokens_spares_others(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    s.insert_user(&user(&other, "alice")).await.unwrap();
    let alices: Vec<_> = (0..3)
        .map(|i| refresh_token(&p, "alice", &format!("o{i}"), 1_000 + i))
        .collect();
    for t in &alices {
        s.insert_refresh_token(t).await.unwrap();
    }
    let bobs = refresh_token(&p, "bob", "ob", 1_000);
    let alice_elsewhere = refresh_token(&other, "alice", "o0", 1_000);
    s.insert_refresh_token(&bobs).await.unwrap();
    s.insert_refresh_token(&alice_elsewhere).await.unwrap();
    s.revoke_refresh_token(&alices[0].token_hash, 2_000)
        .await
        .unwrap();

    assert_eq!(
        s.revoke_user_refresh_tokens(&p, "alice", 3_000)
            .await
            .unwrap(),
        2
    );
    let revoked_at = |t: RefreshTokenRecord| async move {
        s.get_refresh_token(&t.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_ms
    };
    assert_eq!(revoked_at(alices[0].clone()).await, Some(2_000));
    assert_eq!(revoked_at(alices[1].clone()).await, Some(3_000));
    assert_eq!(revoked_at(alices[2].clone()).await, Some(3_000));
    assert_eq!(revoked_at(bobs).await, None);
    assert_eq!(revoked_at(alice_elsewhere).await, None);
    assert_eq!(
        s.revoke_user_refresh_tokens(&p, "alice", 4_000)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        s.revoke_user_refresh_tokens(&p, "ghost", 4_000)
            .await
            .unwrap(),
        0
    );
}

// ---------------------------------------------------------------------------------------------
// Sign-in failures

/// One second more per failure.
fn lock_per_failure(failures: i64) -> i64 {
    failures * 1_000
}

async fn sign_in_failures_count_lock_and_clear(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    assert_eq!(s.get_sign_in_failures(&p, "alice").await.unwrap(), None);

    let first = s
        .record_sign_in_failure(&p, "alice", 10_000, lock_per_failure)
        .await
        .unwrap();
    assert_eq!(
        first,
        SignInFailures {
            failures: 1,
            locked_until_ms: 11_000
        }
    );
    let second = s
        .record_sign_in_failure(&p, "alice", 20_000, lock_per_failure)
        .await
        .unwrap();
    assert_eq!(
        second,
        SignInFailures {
            failures: 2,
            locked_until_ms: 22_000
        }
    );
    assert_eq!(
        s.get_sign_in_failures(&p, "alice").await.unwrap(),
        Some(second)
    );
    // No lock at all is a lock ending now.
    let unlocked = s
        .record_sign_in_failure(&p, "bob", 30_000, |_| 0)
        .await
        .unwrap();
    assert_eq!(
        unlocked,
        SignInFailures {
            failures: 1,
            locked_until_ms: 30_000
        }
    );

    s.clear_sign_in_failures(&p, "alice").await.unwrap();
    s.clear_sign_in_failures(&p, "alice").await.unwrap();
    assert_eq!(s.get_sign_in_failures(&p, "alice").await.unwrap(), None);
    assert_eq!(
        s.get_sign_in_failures(&p, "bob").await.unwrap(),
        Some(unlocked)
    );
    let again = s
        .record_sign_in_failure(&p, "alice", 40_000, lock_per_failure)
        .await
        .unwrap();
    assert_eq!(again.failures, 1);

    assert_eq!(
        s.record_sign_in_failure(&p, "ghost", 1, lock_per_failure)
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(s.get_sign_in_failures(&p, "ghost").await.unwrap(), None);
}

async fn a_user_reads_with_their_sign_in_failures(s: &SqlStore) {
    let p = new_pool(s).await;
    let other = new_pool(s).await;
    let alice = user(&p, "alice");
    s.insert_user(&alice).await.unwrap();
    s.insert_user(&user(&other, "alice")).await.unwrap();
    assert_eq!(
        s.get_user_signing_in(&p, "alice").await.unwrap(),
        Some((alice.clone(), None))
    );
    let counted = s
        .record_sign_in_failure(&p, "alice", 10_000, lock_per_failure)
        .await
        .unwrap();
    assert_eq!(
        s.get_user_signing_in(&p, "alice").await.unwrap(),
        Some((alice.clone(), Some(counted)))
    );
    // Another pool's user of the same name has a record of their own.
    assert_eq!(
        s.get_user_signing_in(&other, "alice")
            .await
            .unwrap()
            .map(|(_, f)| f),
        Some(None)
    );
    s.clear_sign_in_failures(&p, "alice").await.unwrap();
    assert_eq!(
        s.get_user_signing_in(&p, "alice").await.unwrap(),
        Some((alice, None))
    );
    assert_eq!(s.get_user_signing_in(&p, "ghost").await.unwrap(), None);
}

async fn concurrent_sign_in_failures_all_count(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let results = futures_join_all((0..RACERS).map(|_| {
        let (s, p, barrier) = (s.clone(), p.clone(), barrier.clone());
        async move {
            barrier.wait().await;
            s.record_sign_in_failure(&p, "alice", 1_000_000, lock_per_failure)
                .await
                .unwrap()
        }
    }))
    .await;
    // Each call saw its own count, and its lock was computed from it.
    let mut counts: Vec<i64> = results.iter().map(|r| r.failures).collect();
    counts.sort();
    assert_eq!(counts, (1..=RACERS as i64).collect::<Vec<_>>());
    for r in &results {
        assert_eq!(r.locked_until_ms, 1_000_000 + lock_per_failure(r.failures));
    }
    let n = RACERS as i64;
    assert_eq!(
        s.get_sign_in_failures(&p, "alice").await.unwrap(),
        Some(SignInFailures {
            failures: n,
            locked_until_ms: 1_000_000 + lock_per_failure(n)
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Monthly active users

/// `count_active_users` is across every pool: keep to the ones a test made.
async fn active_in(s: &SqlStore, month: &str, pools: &[&String]) -> Vec<(String, i64)> {
    let all = s.count_active_users(month).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "{all:?}");
    all.into_iter()
        .filter(|(p, _)| pools.contains(&p))
        .collect()
}

async fn activity_is_counted_once_per_sub_and_month(s: &SqlStore) {
    let a = new_pool(s).await;
    let b = new_pool(s).await;
    let idle = new_pool(s).await;
    for (pool, sub, month) in [
        (&a, "s1", "2024-01"),
        (&a, "s1", "2024-01"), // again: no change
        (&a, "s2", "2024-01"),
        (&a, "s1", "2024-02"),
        (&b, "s1", "2024-01"), // the same sub in another pool counts there
    ] {
        s.record_activity(pool, sub, month).await.unwrap();
    }
    let mut expected = vec![(a.clone(), 2), (b.clone(), 1)];
    expected.sort();
    assert_eq!(active_in(s, "2024-01", &[&a, &b, &idle]).await, expected);
    assert_eq!(
        active_in(s, "2024-02", &[&a, &b, &idle]).await,
        [(a.clone(), 1)]
    );
    assert!(active_in(s, "2023-12", &[&a, &b, &idle]).await.is_empty());
    assert_eq!(
        s.record_activity(&pool_id(), "s1", "2024-01").await,
        Err(StoreError::NotFound)
    );
}

// ---------------------------------------------------------------------------------------------
// Remembered devices

fn device(pool_id: &str, username_key: &str, key: &str, created_ms: i64) -> Device {
    Device {
        pool_id: pool_id.to_string(),
        device_key: key.to_string(),
        username_key: username_key.to_string(),
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

fn confirmed(d: &Device, now_ms: i64) -> Device {
    Device {
        verifier: Some(format!("v1:sealed-{}", d.device_key)),
        name: Some("Firefox on Linux".into()),
        status: Some(DeviceStatus::Remembered),
        modified_ms: now_ms,
        ..d.clone()
    }
}

fn device_keys(devices: &[Device]) -> Vec<&str> {
    devices.iter().map(|d| d.device_key.as_str()).collect()
}

async fn device_round_trips_and_is_confirmed_once(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let d = device(&p, "alice", "us-test-1_0a", 1_000);
    s.insert_device(&d, 0).await.unwrap();
    assert_eq!(
        s.get_device(&p, &d.device_key).await.unwrap(),
        Some(d.clone())
    );
    assert_eq!(s.get_device(&p, "us-test-1_0b").await.unwrap(), None);

    let c = confirmed(&d, 2_000);
    assert!(s.confirm_device(&c).await.unwrap());
    assert_eq!(
        s.get_device(&p, &d.device_key).await.unwrap(),
        Some(c.clone())
    );
    // A second confirmation changes nothing.
    let again = Device {
        verifier: Some("v1:other".into()),
        name: Some("other".into()),
        ..c.clone()
    };
    assert!(!s.confirm_device(&again).await.unwrap());
    assert_eq!(s.get_device(&p, &d.device_key).await.unwrap(), Some(c));
    // So does confirming a device that does not exist.
    assert!(!s
        .confirm_device(&confirmed(&device(&p, "alice", "us-test-1_0c", 1), 2))
        .await
        .unwrap());
}

async fn device_of_a_missing_user_is_not_found_and_keys_are_unique(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    assert_eq!(
        s.insert_device(&device(&p, "nobody", "us-test-1_01", 1), 0)
            .await,
        Err(StoreError::NotFound)
    );
    let missing_pool = pool_id();
    assert_eq!(
        s.insert_device(&device(&missing_pool, "alice", "us-test-1_01", 1), 0)
            .await,
        Err(StoreError::NotFound)
    );
    s.insert_device(&device(&p, "alice", "us-test-1_01", 1), 0)
        .await
        .unwrap();
    assert!(is_conflict(
        s.insert_device(&device(&p, "bob", "us-test-1_01", 1), 0)
            .await
    ));
    // Keys are per pool.
    let q = new_pool(s).await;
    s.insert_user(&user(&q, "alice")).await.unwrap();
    s.insert_device(&device(&q, "alice", "us-test-1_01", 1), 0)
        .await
        .unwrap();
}

async fn list_devices_shows_the_users_confirmed_devices_in_key_order(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    for key in [
        "us-test-1_03",
        "us-test-1_01",
        "us-test-1_05",
        "us-test-1_02",
    ] {
        let d = device(&p, "alice", key, 10);
        s.insert_device(&d, 0).await.unwrap();
        s.confirm_device(&confirmed(&d, 20)).await.unwrap();
    }
    // Unconfirmed, and another user's: not listed.
    s.insert_device(&device(&p, "alice", "us-test-1_04", 10), 0)
        .await
        .unwrap();
    let b = device(&p, "bob", "us-test-1_00", 10);
    s.insert_device(&b, 0).await.unwrap();
    s.confirm_device(&confirmed(&b, 20)).await.unwrap();

    let all = s.list_devices(&p, "alice", None, 10).await.unwrap();
    assert_eq!(
        device_keys(&all),
        [
            "us-test-1_01",
            "us-test-1_02",
            "us-test-1_03",
            "us-test-1_05"
        ]
    );
    assert!(all.iter().all(Device::confirmed));
    let first = s.list_devices(&p, "alice", None, 2).await.unwrap();
    assert_eq!(device_keys(&first), ["us-test-1_01", "us-test-1_02"]);
    let rest = s
        .list_devices(&p, "alice", Some("us-test-1_02"), 2)
        .await
        .unwrap();
    assert_eq!(device_keys(&rest), ["us-test-1_03", "us-test-1_05"]);
    let bobs = s.list_devices(&p, "bob", None, 10).await.unwrap();
    assert_eq!(device_keys(&bobs), ["us-test-1_00"]);
    assert!(s
        .list_devices(&p, "carol", None, 10)
        .await
        .unwrap()
        .is_empty());
}

async fn device_status_and_sign_ins_change_confirmed_devices_only(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let pending = device(&p, "alice", "us-test-1_01", 10);
    s.insert_device(&pending, 0).await.unwrap();
    assert!(!s
        .set_device_status(&p, "us-test-1_01", DeviceStatus::NotRemembered, 30)
        .await
        .unwrap());
    assert!(!s
        .record_device_sign_in(&p, "us-test-1_01", Some("192.0.2.1"), 30)
        .await
        .unwrap());
    assert_eq!(
        s.get_device(&p, "us-test-1_01").await.unwrap(),
        Some(pending.clone())
    );

    let c = confirmed(&pending, 20);
    s.confirm_device(&c).await.unwrap();
    assert!(s
        .set_device_status(&p, "us-test-1_01", DeviceStatus::NotRemembered, 30)
        .await
        .unwrap());
    assert!(s
        .record_device_sign_in(&p, "us-test-1_01", Some("192.0.2.1"), 40)
        .await
        .unwrap());
    // Without an address, the last one known stays.
    assert!(s
        .record_device_sign_in(&p, "us-test-1_01", None, 50)
        .await
        .unwrap());
    let now = s.get_device(&p, "us-test-1_01").await.unwrap().unwrap();
    assert_eq!(
        now,
        Device {
            status: Some(DeviceStatus::NotRemembered),
            modified_ms: 30,
            last_authenticated_ms: Some(50),
            last_ip: Some("192.0.2.1".into()),
            ..c
        }
    );
    assert!(!s
        .set_device_status(&p, "us-test-1_99", DeviceStatus::Remembered, 30)
        .await
        .unwrap());
}

async fn a_new_device_prunes_the_users_stale_unconfirmed_devices(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    let stale = device(&p, "alice", "us-test-1_01", 100);
    let fresh = device(&p, "alice", "us-test-1_02", 500);
    let old_but_confirmed = device(&p, "alice", "us-test-1_03", 100);
    let bobs_stale = device(&p, "bob", "us-test-1_04", 100);
    for d in [&stale, &fresh, &old_but_confirmed, &bobs_stale] {
        s.insert_device(d, 0).await.unwrap();
    }
    s.confirm_device(&confirmed(&old_but_confirmed, 200))
        .await
        .unwrap();

    s.insert_device(&device(&p, "alice", "us-test-1_05", 1_000), 500)
        .await
        .unwrap();
    assert_eq!(s.get_device(&p, "us-test-1_01").await.unwrap(), None);
    for kept in [
        "us-test-1_02",
        "us-test-1_03",
        "us-test-1_04",
        "us-test-1_05",
    ] {
        assert!(s.get_device(&p, kept).await.unwrap().is_some(), "{kept}");
    }
}

async fn devices_go_with_their_user_and_pool(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    for (owner, key) in [("alice", "us-test-1_01"), ("bob", "us-test-1_02")] {
        let d = device(&p, owner, key, 10);
        s.insert_device(&d, 0).await.unwrap();
        s.confirm_device(&confirmed(&d, 20)).await.unwrap();
    }
    s.insert_device(&device(&p, "alice", "us-test-1_03", 10), 0)
        .await
        .unwrap();

    assert!(s.delete_device(&p, "us-test-1_02").await.unwrap());
    assert!(!s.delete_device(&p, "us-test-1_02").await.unwrap());
    assert_eq!(s.get_device(&p, "us-test-1_02").await.unwrap(), None);

    assert!(s.delete_user(&p, "alice").await.unwrap());
    assert_eq!(s.get_device(&p, "us-test-1_01").await.unwrap(), None);
    assert_eq!(s.get_device(&p, "us-test-1_03").await.unwrap(), None);
    // A new user of the same name has no devices.
    s.insert_user(&user(&p, "alice")).await.unwrap();
    assert!(s
        .list_devices(&p, "alice", None, 10)
        .await
        .unwrap()
        .is_empty());

    let d = device(&p, "bob", "us-test-1_04", 10);
    s.insert_device(&d, 0).await.unwrap();
    assert!(s.delete_pool(&p).await.unwrap());
    assert_eq!(s.get_device(&p, "us-test-1_04").await.unwrap(), None);
}

async fn concurrent_confirmations_of_one_device_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let d = device(&p, "alice", "us-test-1_01", 10);
    s.insert_device(&d, 0).await.unwrap();
    let (ok, conflict) = race(s, |s, i| {
        let c = Device {
            verifier: Some(format!("v1:racer-{i}")),
            ..confirmed(&d, 20)
        };
        async move {
            match s.confirm_device(&c).await? {
                true => Ok(()),
                false => Err(StoreError::Conflict("confirmed already".into())),
            }
        }
    })
    .await;
    assert_eq!((ok, conflict), (1, RACERS - 1));
    let stored = s.get_device(&p, "us-test-1_01").await.unwrap().unwrap();
    assert!(stored.verifier.unwrap().starts_with("v1:racer-"));
}

// ---------------------------------------------------------------------------------------------
// What goes with a user or a pool

async fn delete_user_removes_its_sign_in_state_but_not_its_activity(s: &SqlStore) {
    let p = new_pool(s).await;
    let alice = user(&p, "alice");
    s.insert_user(&alice).await.unwrap();
    s.insert_user(&user(&p, "bob")).await.unwrap();
    let mut tokens = Vec::new();
    for key in ["alice", "bob"] {
        for purpose in ["signup", "verify:email"] {
            s.put_code(&code(&p, key, purpose, "h")).await.unwrap();
        }
        let t = refresh_token(&p, key, &format!("origin-{key}"), 1_000);
        s.insert_refresh_token(&t).await.unwrap();
        tokens.push(t);
        s.record_sign_in_failure(&p, key, 1_000, lock_per_failure)
            .await
            .unwrap();
    }
    s.record_activity(&p, &alice.sub, "2024-03").await.unwrap();
    let pending = session(&p, "alice", FAR_FUTURE_MS);
    s.put_session(&pending).await.unwrap();

    assert!(s.delete_user(&p, "alice").await.unwrap());
    for purpose in ["signup", "verify:email"] {
        assert_eq!(s.get_code(&p, "alice", purpose).await.unwrap(), None);
        assert!(s.get_code(&p, "bob", purpose).await.unwrap().is_some());
    }
    assert_eq!(
        s.get_refresh_token(&tokens[0].token_hash).await.unwrap(),
        None
    );
    assert_eq!(
        s.get_refresh_token_by_origin(&p, "origin-alice")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.get_refresh_token(&tokens[1].token_hash).await.unwrap(),
        Some(tokens[1].clone())
    );
    assert_eq!(s.get_sign_in_failures(&p, "alice").await.unwrap(), None);
    assert!(s.get_sign_in_failures(&p, "bob").await.unwrap().is_some());
    // Billing history stays.
    assert_eq!(active_in(s, "2024-03", &[&p]).await, [(p.clone(), 1)]);
    // A session does not reference its user: it stays until taken or expired.
    assert_eq!(
        s.take_session(&pending.id_hash).await.unwrap(),
        Some(pending)
    );

    // A new user of the same name starts with nothing of the old one.
    s.insert_user(&user(&p, "alice")).await.unwrap();
    assert_eq!(s.get_code(&p, "alice", "signup").await.unwrap(), None);
    assert_eq!(s.get_sign_in_failures(&p, "alice").await.unwrap(), None);
    assert_eq!(
        s.revoke_user_refresh_tokens(&p, "alice", 2_000)
            .await
            .unwrap(),
        0
    );
}

async fn delete_pool_removes_its_sign_in_state(s: &SqlStore) {
    let p = new_pool(s).await;
    let kept = new_pool(s).await;
    let mut tokens = Vec::new();
    let mut sessions = Vec::new();
    for pool in [&p, &kept] {
        let u = user(pool, "alice");
        s.insert_user(&u).await.unwrap();
        s.insert_signing_key(&signing_key(pool, "k1", "id", 1))
            .await
            .unwrap();
        s.put_code(&code(pool, "alice", "signup", "h"))
            .await
            .unwrap();
        let t = refresh_token(pool, "alice", "origin", 1_000);
        s.insert_refresh_token(&t).await.unwrap();
        tokens.push(t);
        let x = session(pool, "alice", FAR_FUTURE_MS);
        s.put_session(&x).await.unwrap();
        sessions.push(x);
        s.record_sign_in_failure(pool, "alice", 1_000, lock_per_failure)
            .await
            .unwrap();
        s.record_activity(pool, &u.sub, "2024-04").await.unwrap();
    }

    assert!(s.delete_pool(&p).await.unwrap());
    assert!(s.list_signing_keys(&p).await.unwrap().is_empty());
    assert_eq!(s.get_code(&p, "alice", "signup").await.unwrap(), None);
    assert_eq!(
        s.get_refresh_token(&tokens[0].token_hash).await.unwrap(),
        None
    );
    assert_eq!(s.take_session(&sessions[0].id_hash).await.unwrap(), None);
    assert_eq!(s.get_sign_in_failures(&p, "alice").await.unwrap(), None);
    assert_eq!(
        active_in(s, "2024-04", &[&p, &kept]).await,
        [(kept.clone(), 1)]
    );

    // The other pool is untouched.
    assert_eq!(s.list_signing_keys(&kept).await.unwrap().len(), 1);
    assert!(s
        .get_code(&kept, "alice", "signup")
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        s.get_refresh_token(&tokens[1].token_hash).await.unwrap(),
        Some(tokens[1].clone())
    );
    assert_eq!(
        s.take_session(&sessions[1].id_hash).await.unwrap(),
        Some(sessions[1].clone())
    );
    assert!(s
        .get_sign_in_failures(&kept, "alice")
        .await
        .unwrap()
        .is_some());
}

// ---------------------------------------------------------------------------------------------
// Ordering

async fn keys_order_bytewise(s: &SqlStore) {
    // Upper case before lower case, punctuation by code point, non-ASCII last: the order of
    // UTF-8 bytes, on both backends (locale collations would interleave cases).
    let p = new_pool(s).await;
    let mut expected = vec!["Zed", "a-b", "aB", "ab", "a_b", "b", "é", "中"];
    for k in expected.iter().rev() {
        s.insert_user(&user(&p, k)).await.unwrap();
    }
    expected.sort();
    let all = s.list_users(&p, None, None, 100).await.unwrap();
    assert_eq!(keys(&all), expected);
    let after_ab = s.list_users(&p, None, Some("aB"), 2).await.unwrap();
    assert_eq!(keys(&after_ab), ["a_b", "ab"]);
    let f = filter(UserFilterField::Username, "a", true);
    assert_eq!(filtered(s, &p, f).await, ["a-b", "aB", "a_b", "ab"]);
}

// ---------------------------------------------------------------------------------------------
// Concurrency

const RACERS: usize = 20;

/// Runs `RACERS` copies of `op` at once; returns how many succeeded and how many conflicted.
async fn race<F, Fut>(s: &SqlStore, op: F) -> (usize, usize)
where
    F: Fn(SqlStore, usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), StoreError>> + Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS));
    let tasks: Vec<_> = (0..RACERS)
        .map(|i| {
            let fut = op(s.clone(), i);
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                fut.await
            })
        })
        .collect();
    let (mut ok, mut conflict) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(StoreError::Conflict(_)) => conflict += 1,
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    (ok, conflict)
}

async fn concurrent_inserts_of_one_username_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    let (ok, conflict) = race(s, |s, _| {
        let u = user(&p, "contended"); // a different sub each time
        async move { s.insert_user(&u).await }
    })
    .await;
    assert_eq!((ok, conflict), (1, RACERS - 1));
    assert_eq!(s.count_users(&p).await.unwrap(), 1);
    let found = s
        .find_users_by_attribute(&p, "email", "contended@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

async fn concurrent_inserts_of_one_sub_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    let sub = uuid::Uuid::new_v4().to_string();
    let (ok, conflict) = race(s, |s, i| {
        let mut u = user(&p, &format!("user{i:02}"));
        u.sub = sub.clone();
        async move { s.insert_user(&u).await }
    })
    .await;
    assert_eq!((ok, conflict), (1, RACERS - 1));
    assert_eq!(s.count_users(&p).await.unwrap(), 1);
}

async fn concurrent_inserts_of_different_users_all_succeed(s: &SqlStore) {
    let p = new_pool(s).await;
    let (ok, conflict) = race(s, |s, i| {
        let u = user(&p, &format!("user{i:02}"));
        async move { s.insert_user(&u).await }
    })
    .await;
    assert_eq!((ok, conflict), (RACERS, 0));
    assert_eq!(s.count_users(&p).await.unwrap(), RACERS as i64);
}

async fn concurrent_updates_from_one_version_admit_exactly_one(s: &SqlStore) {
    let p = new_pool(s).await;
    let u = user(&p, "alice");
    s.insert_user(&u).await.unwrap();
    let (ok, conflict) = race(s, |s, i| {
        let mut next = u.clone();
        next.version = 2;
        next.set_attribute("nickname", Some(format!("writer{i}")));
        async move { s.update_user(&next, 1).await }
    })
    .await;
    assert_eq!((ok, conflict), (1, RACERS - 1));
    let stored = s.get_user(&p, "alice").await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    let nickname = stored.attribute("nickname").unwrap().to_string();
    let found = s
        .find_users_by_attribute(&p, "nickname", &nickname)
        .await
        .unwrap();
    assert_eq!(keys(&found), ["alice"]);
}

/// A writer that forgets to step the version (or steps it by more than one) is refused, so
/// the next writer from the old version cannot slip through.
async fn update_user_must_step_the_version_by_one(s: &SqlStore) {
    let p = new_pool(s).await;
    let u = user(&p, "alice");
    s.insert_user(&u).await.unwrap();
    for version in [1, 0, 3, i64::MAX] {
        let mut next = u.clone();
        next.version = version;
        next.set_attribute("nickname", Some(format!("v{version}")));
        assert!(is_conflict(s.update_user(&next, 1).await), "{version}");
    }
    assert!(is_conflict(s.update_user(&u, i64::MAX).await));
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), Some(u.clone()));
    let mut next = u.clone();
    next.version = 2;
    s.update_user(&next, 1).await.unwrap();
    assert_eq!(s.get_user(&p, "alice").await.unwrap(), Some(next));
}

// ---------------------------------------------------------------------------------------------
// Durability

async fn durability_settings_are_in_effect(s: &SqlStore) {
    // Ask on several connections at once, so more than one pooled connection answers.
    let reports = futures_join_all((0..6).map(|_| {
        let s = s.clone();
        async move { s.durability().await.unwrap() }
    }))
    .await;
    for report in reports {
        let get = |name: &str| {
            report
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{name} missing from {report:?}"))
        };
        match s.backend() {
            Backend::Sqlite => {
                assert_eq!(get("journal_mode"), "wal");
                assert_eq!(get("synchronous"), "2", "synchronous=FULL");
                assert_eq!(get("foreign_keys"), "1");
                assert_eq!(get("busy_timeout"), "5000");
                assert_eq!(get("mmap_size"), "268435456", "pages read through a map");
            }
            Backend::Postgres => {
                // The server's own configuration; only check that it is reported.
                for name in ["fsync", "synchronous_commit", "full_page_writes"] {
                    assert!(!get(name).is_empty());
                }
            }
        }
    }
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Connecting (backend-specific)

#[tokio::test]
async fn sqlite_data_survives_reopening_and_migrations_rerun_cleanly() {
    let db = harness::sqlite().await;
    let dir = db.dir.clone().unwrap();
    let url = format!("sqlite://{}", dir.join("data").join("cognate.db").display());
    let p = new_pool(&db.store).await;
    db.store.insert_user(&user(&p, "alice")).await.unwrap();
    db.store.close().await;

    let again = SqlStore::connect(&url).await.unwrap();
    assert!(again.get_user(&p, "alice").await.unwrap().is_some());
    again.close().await;
}

/// A database made by a build that knew only the first migration is brought up to date,
/// keeping its data.
#[tokio::test]
async fn sqlite_databases_at_an_older_version_are_upgraded() {
    let db = harness::sqlite().await;
    let dir = db.dir.clone().unwrap();
    let url = format!("sqlite://{}", dir.join("data").join("cognate.db").display());
    let p = new_pool(&db.store).await;
    db.store.insert_user(&user(&p, "alice")).await.unwrap();
    db.store.close().await;

    // Back to version 1: without what 0002, 0003 and 0004 made, and their records.
    let raw = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::raw_sql(
        "DROP TABLE devices; \
         DROP TABLE signing_keys; DROP TABLE codes; DROP TABLE auth_sessions; \
         DROP TABLE refresh_tokens; DROP TABLE sign_in_failures; DROP TABLE user_activity; \
         DROP INDEX user_pool_clients_by_client_id; \
         ALTER TABLE users DROP COLUMN srp_verifier; \
         DELETE FROM schema_migrations WHERE version > 1;",
    )
    .execute(&raw)
    .await
    .unwrap();
    raw.close().await;

    let again = SqlStore::connect(&url).await.unwrap();
    assert!(again.get_user(&p, "alice").await.unwrap().is_some());
    again
        .put_code(&code(&p, "alice", "signup", "h"))
        .await
        .unwrap();
    assert!(again
        .get_code(&p, "alice", "signup")
        .await
        .unwrap()
        .is_some());
    let d = device(&p, "alice", "us-test-1_01", 10);
    again.insert_device(&d, 0).await.unwrap();
    assert_eq!(again.get_device(&p, "us-test-1_01").await.unwrap(), Some(d));
    again.close().await;
}

#[tokio::test]
async fn sqlite_in_memory_database_works_across_calls() {
    let s = SqlStore::connect("sqlite::memory:").await.unwrap();
    let p = new_pool(&s).await;
    s.insert_user(&user(&p, "alice")).await.unwrap();
    let (ok, conflict) = race(&s, |s, i| {
        let u = user(&p, &format!("user{}", i % 2));
        async move { s.insert_user(&u).await }
    })
    .await;
    assert_eq!((ok, conflict), (2, RACERS - 2));
    assert_eq!(s.count_users(&p).await.unwrap(), 3);
    s.close().await;
}

#[tokio::test]
async fn unsupported_urls_are_refused() {
    assert!(matches!(
        SqlStore::connect("mysql://localhost/db").await,
        Err(StoreError::Backend(_))
    ));
}

/// Nodes starting at once against an empty database: one migrates, the others wait for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_concurrent_first_connects_migrate_once() {
    let Ok(base) = std::env::var(PG_ENV) else {
        eprintln!("skipped: {PG_ENV} is not set");
        return;
    };
    // A schema of our own, so the tables are created from nothing.
    sqlx::any::install_default_drivers();
    let schema = format!("cognate_test_{}", random(12));
    let admin = sqlx::AnyPool::connect(&base).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&admin)
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");

    let connects: Vec<_> = (0..5)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { SqlStore::connect(&url).await })
        })
        .collect();
    let mut stores = Vec::new();
    for c in connects {
        stores.push(c.await.unwrap().unwrap());
    }
    let p = new_pool(&stores[0]).await;
    assert!(stores[4].get_pool(&p).await.unwrap().is_some());
    let applied: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {schema}.schema_migrations"))
            .fetch_one(&admin)
            .await
            .unwrap();
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"))
        .unwrap()
        .count();
    assert_eq!(applied, files as i64);
    for s in stores {
        s.close().await;
    }
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}
