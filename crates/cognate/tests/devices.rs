//! Remembered devices over HTTP: NewDeviceMetadata on pools that track devices, ConfirmDevice
//! with a verifier the client computes (`cognate_crypto::srp::client`, as identity-js'
//! `generateHashDevice` does), the device actions and their Admin* forms, sign-in with
//! DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, refresh tokens bound to their device, forgotten
//! devices, and the TIMESTAMP rules of both SRP verifiers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_crypto::srp;
use common::TestServer;
use serde_json::{json, Value};
use support::*;

const FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

/// `DeviceConfiguration` for a pool that remembers devices always, or on the user's say.
fn tracking(on_prompt: bool) -> Value {
    json!({ "DeviceConfiguration": {
        "ChallengeRequiredOnNewDevice": false,
        "DeviceOnlyRememberedOnUserPrompt": on_prompt,
    } })
}

/// A pool (with `pool_extra`), a client allowing every flow used here, and user "ada".
async fn setup(s: &TestServer, pool_extra: Value) -> (String, String) {
    let pool = s.pool(pool_extra).await;
    let (client, _) = client(s, &pool, json!({ "ExplicitAuthFlows": FLOWS })).await;
    confirmed_user(s, &pool, "ada", &[]).await;
    (pool, client)
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// What a client keeps of a device it confirmed.
#[derive(Debug, Clone)]
struct Remembered {
    key: String,
    group: String,
    password: String,
}

/// ConfirmDevice's body for NewDeviceMetadata, as identity-js builds it; and the device.
fn confirmation(access_token: &str, metadata: &Value, name: &str) -> (Value, Remembered) {
    let key = metadata["DeviceKey"].as_str().unwrap().to_string();
    let group = metadata["DeviceGroupKey"].as_str().unwrap().to_string();
    let (password, salt, verifier) = srp::client::device_secret(&group, &key);
    let body = json!({
        "AccessToken": access_token,
        "DeviceKey": key,
        "DeviceName": name,
        "DeviceSecretVerifierConfig": {
            "Salt": STANDARD.encode(hex_bytes(&salt)),
            "PasswordVerifier": STANDARD.encode(hex_bytes(&verifier)),
        },
    });
    (
        body,
        Remembered {
            key,
            group,
            password,
        },
    )
}

/// Signs "ada" in with her password on a tracking pool and confirms the new device; returns
/// the device, the sign-in's tokens and ConfirmDevice's answer.
async fn remember(s: &TestServer, client: &str, name: &str) -> (Remembered, Value, Value) {
    let tokens = sign_in(s, client, "ada", PASSWORD).await;
    let metadata = &tokens["NewDeviceMetadata"];
    assert!(metadata.is_object(), "{tokens}");
    let (body, device) = confirmation(tokens["AccessToken"].as_str().unwrap(), metadata, name);
    let answer = public_ok(s, "ConfirmDevice", body).await;
    (device, tokens, answer)
}

/// USER_SRP_AUTH for "ada", and PASSWORD_VERIFIER's ChallengeResponses naming `device` as the
/// SDKs do; returns the client's a and the responses.
async fn srp_password_proof(
    s: &TestServer,
    pool: &str,
    client: &str,
    device: Option<&str>,
) -> (srp::client::Secret, Value) {
    let (a, challenge) = initiate_srp(s, client, "ada").await;
    let mut proof = password_verifier_proof(pool, &challenge, PASSWORD, &a, &srp_timestamp(s));
    if let Some(key) = device {
        proof["DEVICE_KEY"] = json!(key);
    }
    (a, proof)
}

/// USER_SRP_AUTH for "ada" up to PASSWORD_VERIFIER's answer, naming `device` there.
async fn srp_password_step(
    s: &TestServer,
    pool: &str,
    client: &str,
    device: Option<&str>,
) -> (u16, Value) {
    let (_, proof) = srp_password_proof(s, pool, client, device).await;
    s.call_unsigned(
        "RespondToAuthChallenge",
        password_verifier_answer(client, proof),
    )
    .await
}

/// DEVICE_SRP_AUTH's answer: the DEVICE_PASSWORD_VERIFIER challenge, with the client's a.
async fn device_srp_step(
    s: &TestServer,
    client: &str,
    challenge: &Value,
    device: &Remembered,
) -> (srp::client::Secret, Value) {
    assert_eq!(challenge["ChallengeName"], "DEVICE_SRP_AUTH", "{challenge}");
    let (a, big_a) = srp::client::start();
    let out = public_ok(
        s,
        "RespondToAuthChallenge",
        challenge_answer(
            client,
            "DEVICE_SRP_AUTH",
            Some(&challenge["Session"]),
            json!({ "USERNAME": "ada", "DEVICE_KEY": device.key, "SRP_A": big_a }),
        ),
    )
    .await;
    (a, out)
}

/// DEVICE_SRP_AUTH's answer (the DEVICE_PASSWORD_VERIFIER challenge) and the device's proof
/// for it, signed at the server's time.
async fn device_srp_proof(
    s: &TestServer,
    client: &str,
    challenge: &Value,
    device: &Remembered,
) -> (Value, Value) {
    let (a, verifier) = device_srp_step(s, client, challenge, device).await;
    let proof = device_proof(&verifier, device, &device.password, &a, &srp_timestamp(s));
    (verifier, proof)
}

/// RespondToAuthChallenge's body answering DEVICE_PASSWORD_VERIFIER (`verifier`, whose Session
/// it names) with `proof`.
fn device_verifier_answer(client: &str, verifier: &Value, proof: Value) -> Value {
    challenge_answer(
        client,
        "DEVICE_PASSWORD_VERIFIER",
        Some(&verifier["Session"]),
        proof,
    )
}

/// DEVICE_PASSWORD_VERIFIER's ChallengeResponses proving `device_password`.
fn device_proof(
    challenge: &Value,
    device: &Remembered,
    device_password: &str,
    a: &srp::client::Secret,
    ts: &str,
) -> Value {
    let p = &challenge["ChallengeParameters"];
    assert_eq!(
        challenge["ChallengeName"], "DEVICE_PASSWORD_VERIFIER",
        "{challenge}"
    );
    let key = srp::client::key(
        &device.group,
        &device.key,
        device_password,
        a,
        p["SRP_B"].as_str().unwrap(),
        p["SALT"].as_str().unwrap(),
    )
    .unwrap();
    let block = p["SECRET_BLOCK"].as_str().unwrap();
    let sig = srp::client::signature(&key, &device.group, &device.key, block, ts).unwrap();
    json!({ "USERNAME": p["USERNAME"], "DEVICE_KEY": device.key,
            "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig,
            "TIMESTAMP": ts })
}

/// The whole device step after a first factor answered DEVICE_SRP_AUTH; returns the answer
/// of DEVICE_PASSWORD_VERIFIER.
async fn device_sign_in(
    s: &TestServer,
    client: &str,
    challenge: &Value,
    device: &Remembered,
) -> (u16, Value) {
    let (verifier, proof) = device_srp_proof(s, client, challenge, device).await;
    s.call_unsigned(
        "RespondToAuthChallenge",
        device_verifier_answer(client, &verifier, proof),
    )
    .await
}

fn password_auth_with_device(client: &str, device: &str) -> Value {
    json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
            "AuthParameters": { "USERNAME": "ada", "PASSWORD": PASSWORD,
                                "DEVICE_KEY": device } })
}

/// "ada"'s password sign-in naming `device`, which must answer (DEVICE_SRP_AUTH, for a
/// remembered device).
async fn sign_in_with_device(s: &TestServer, client: &str, device: &str) -> Value {
    public_ok(s, "InitiateAuth", password_auth_with_device(client, device)).await
}

fn refresh_with_device(client: &str, refresh_token: &str, device: Option<&str>) -> Value {
    let mut body = refresh_auth(client, refresh_token);
    if let Some(key) = device {
        body["AuthParameters"]["DEVICE_KEY"] = json!(key);
    }
    body
}

async fn get_device(s: &TestServer, access_token: &str, key: &str) -> Value {
    public_ok(
        s,
        "GetDevice",
        json!({ "AccessToken": access_token, "DeviceKey": key }),
    )
    .await["Device"]
        .clone()
}

fn device_attr<'a>(device: &'a Value, name: &str) -> Option<&'a str> {
    attr(&device["DeviceAttributes"], name)
}

fn keys_of(list: &Value) -> Vec<String> {
    list["Devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DeviceKey"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn new_device_metadata_comes_only_with_device_tracking() {
    let s = TestServer::start().await;
    // Without DeviceConfiguration (or with an empty one): no device, whatever the client says.
    for extra in [json!({}), json!({ "DeviceConfiguration": {} })] {
        let (_, client) = setup(&s, extra).await;
        let tokens = sign_in(&s, &client, "ada", PASSWORD).await;
        assert!(tokens.get("NewDeviceMetadata").is_none(), "{tokens}");
        let out = public_ok(
            &s,
            "InitiateAuth",
            password_auth_with_device(&client, "us-east-1_0f0f0f0f-1111-4222-8333-444455556666"),
        )
        .await;
        let access = out["AuthenticationResult"]["AccessToken"].as_str().unwrap();
        assert!(claims(access).get("device_key").is_none(), "{out}");
        assert!(out["AuthenticationResult"]
            .get("NewDeviceMetadata")
            .is_none());
    }

    let (pool, client) = setup(&s, tracking(false)).await;
    let first = sign_in(&s, &client, "ada", PASSWORD).await;
    let second = sign_in(&s, &client, "ada", PASSWORD).await;
    let (m1, m2) = (&first["NewDeviceMetadata"], &second["NewDeviceMetadata"]);
    let key = m1["DeviceKey"].as_str().unwrap();
    let uuid = key.strip_prefix("us-east-1_").unwrap();
    assert_eq!(uuid.len(), 36, "{key}");
    assert!(
        uuid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'),
        "{key}"
    );
    let group = m1["DeviceGroupKey"].as_str().unwrap();
    assert!(group.starts_with('-') && group.len() > 1, "{group}");
    // A new device each time; the group is the user's.
    assert_ne!(m2["DeviceKey"], m1["DeviceKey"]);
    assert_eq!(m2["DeviceGroupKey"], m1["DeviceGroupKey"]);
    let access = first["AccessToken"].as_str().unwrap();
    assert_eq!(claims(access)["device_key"], key);
    // Not yet confirmed: not a device of the user.
    let list = public_ok(&s, "ListDevices", json!({ "AccessToken": access })).await;
    assert_eq!(list["Devices"], json!([]));
    let msg = public_err(
        &s,
        "GetDevice",
        json!({ "AccessToken": access, "DeviceKey": key }),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(msg, "Device does not exist.");
    // The admin flow gets one too.
    let out = s
        .ok(
            "AdminInitiateAuth",
            json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": "ada", "PASSWORD": PASSWORD } }),
        )
        .await;
    assert!(
        out["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"].is_string(),
        "{out}"
    );
    s.stop().await;
}

#[tokio::test]
async fn confirm_device_remembers_it_unless_the_user_must_be_asked() {
    let s = TestServer::start().await;
    let (_, client) = setup(&s, tracking(false)).await;
    let (device, tokens, answer) = remember(&s, &client, "Firefox on Linux").await;
    assert_eq!(answer, json!({ "UserConfirmationNecessary": false }));
    let access = tokens["AccessToken"].as_str().unwrap();
    let d = get_device(&s, access, &device.key).await;
    assert_eq!(d["DeviceKey"], device.key);
    assert_eq!(device_attr(&d, "device_status"), Some("valid"));
    assert_eq!(device_attr(&d, "device_name"), Some("Firefox on Linux"));
    assert_eq!(
        device_attr(&d, "dev:device_remembered_status"),
        Some("remembered")
    );
    assert!(device_attr(&d, "dev:device_arn")
        .unwrap()
        .ends_with(&format!("/device/{}", device.key)));
    for date in [
        "DeviceCreateDate",
        "DeviceLastModifiedDate",
        "DeviceLastAuthenticatedDate",
    ] {
        assert!(d[date].as_f64().unwrap() > 1.6e9, "{date}: {d}");
    }

    // Confirmed once only.
    let (again, _) = confirmation(access, &tokens["NewDeviceMetadata"], "again");
    let msg = public_err(&s, "ConfirmDevice", again, "DeviceKeyExistsException").await;
    assert!(!msg.is_empty());
    // Only devices the server handed out can be confirmed.
    let made_up = json!({ "DeviceKey": "us-east-1_0f0f0f0f-1111-4222-8333-444455556666",
                          "DeviceGroupKey": device.group });
    let (body, _) = confirmation(access, &made_up, "made up");
    let msg = public_err(&s, "ConfirmDevice", body, "ResourceNotFoundException").await;
    assert_eq!(msg, "Device does not exist.");

    // On the user's say: confirmed, not remembered until the app says so.
    let (_, client) = setup(&s, tracking(true)).await;
    let (device, tokens, answer) = remember(&s, &client, "Pixel").await;
    assert_eq!(answer, json!({ "UserConfirmationNecessary": true }));
    let access = tokens["AccessToken"].as_str().unwrap();
    let d = get_device(&s, access, &device.key).await;
    assert_eq!(
        device_attr(&d, "dev:device_remembered_status"),
        Some("not_remembered")
    );
    public_ok(
        &s,
        "UpdateDeviceStatus",
        json!({ "AccessToken": access, "DeviceKey": device.key,
                "DeviceRememberedStatus": "remembered" }),
    )
    .await;
    let d = get_device(&s, access, &device.key).await;
    assert_eq!(
        device_attr(&d, "dev:device_remembered_status"),
        Some("remembered")
    );
    s.stop().await;
}

#[tokio::test]
async fn confirm_device_refuses_unusable_verifiers() {
    let s = TestServer::start().await;
    let (_, client) = setup(&s, tracking(false)).await;
    let tokens = sign_in(&s, &client, "ada", PASSWORD).await;
    let access = tokens["AccessToken"].as_str().unwrap();
    let (good, _) = confirmation(access, &tokens["NewDeviceMetadata"], "phone");
    let with_config = |config: Value| {
        let mut body = good.clone();
        body["DeviceSecretVerifierConfig"] = config;
        body
    };
    for config in [
        json!({ "Salt": "AJo=" }),
        json!({ "PasswordVerifier": "Ag==" }),
        json!({ "Salt": "AJo=", "PasswordVerifier": "not base64!" }),
        // v = 0 and v = 1 would let anyone compute the key.
        json!({ "Salt": "AJo=", "PasswordVerifier": "AA==" }),
        json!({ "Salt": "AJo=", "PasswordVerifier": "AQ==" }),
    ] {
        public_err(
            &s,
            "ConfirmDevice",
            with_config(config),
            "InvalidParameterException",
        )
        .await;
    }
    let mut none = good.clone();
    none.as_object_mut()
        .unwrap()
        .remove("DeviceSecretVerifierConfig");
    public_err(&s, "ConfirmDevice", none, "InvalidParameterException").await;
    // None of that confirmed it.
    public_ok(&s, "ConfirmDevice", good).await;
    s.stop().await;
}

#[tokio::test]
async fn devices_are_listed_in_pages_and_managed_by_user_and_admin() {
    let s = TestServer::start().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let mut devices = Vec::new();
    let mut access = String::new();
    for name in ["laptop", "phone", "tablet"] {
        let (device, tokens, _) = remember(&s, &client, name).await;
        devices.push(device.key);
        access = tokens["AccessToken"].as_str().unwrap().to_string();
    }
    devices.sort();

    let page1 = public_ok(
        &s,
        "ListDevices",
        json!({ "AccessToken": access, "Limit": 2 }),
    )
    .await;
    assert_eq!(keys_of(&page1), devices[..2]);
    let token = page1["PaginationToken"].as_str().unwrap();
    let page2 = public_ok(
        &s,
        "ListDevices",
        json!({ "AccessToken": access, "Limit": 2, "PaginationToken": token }),
    )
    .await;
    assert_eq!(keys_of(&page2), devices[2..]);
    assert!(page2.get("PaginationToken").is_none(), "{page2}");
    let all = s
        .ok(
            "AdminListDevices",
            json!({ "UserPoolId": pool, "Username": "ada" }),
        )
        .await;
    assert_eq!(keys_of(&all), devices);
    let admin_page = s
        .ok(
            "AdminListDevices",
            json!({ "UserPoolId": pool, "Username": "ada", "Limit": 1 }),
        )
        .await;
    assert_eq!(keys_of(&admin_page), devices[..1]);
    assert!(admin_page["PaginationToken"].is_string());

    let one = s
        .ok(
            "AdminGetDevice",
            json!({ "UserPoolId": pool, "Username": "ada", "DeviceKey": devices[0] }),
        )
        .await;
    assert_eq!(one["Device"], get_device(&s, &access, &devices[0]).await);

    s.ok(
        "AdminUpdateDeviceStatus",
        json!({ "UserPoolId": pool, "Username": "ada", "DeviceKey": devices[0],
                "DeviceRememberedStatus": "not_remembered" }),
    )
    .await;
    let d = get_device(&s, &access, &devices[0]).await;
    assert_eq!(
        device_attr(&d, "dev:device_remembered_status"),
        Some("not_remembered")
    );

    s.ok(
        "AdminForgetDevice",
        json!({ "UserPoolId": pool, "Username": "ada", "DeviceKey": devices[0] }),
    )
    .await;
    public_ok(
        &s,
        "ForgetDevice",
        json!({ "AccessToken": access, "DeviceKey": devices[1] }),
    )
    .await;
    for gone in &devices[..2] {
        public_err(
            &s,
            "ForgetDevice",
            json!({ "AccessToken": access, "DeviceKey": gone }),
            "ResourceNotFoundException",
        )
        .await;
        s.err(
            "AdminGetDevice",
            json!({ "UserPoolId": pool, "Username": "ada", "DeviceKey": gone }),
            "ResourceNotFoundException",
        )
        .await;
    }
    let left = public_ok(&s, "ListDevices", json!({ "AccessToken": access })).await;
    assert_eq!(keys_of(&left), devices[2..]);

    // The admin forms name a user that must exist, and need IAM.
    s.err(
        "AdminListDevices",
        json!({ "UserPoolId": pool, "Username": "nobody" }),
        "UserNotFoundException",
    )
    .await;
    let (status, out) = s
        .call_unsigned(
            "AdminListDevices",
            json!({ "UserPoolId": pool, "Username": "ada" }),
        )
        .await;
    assert_ne!(status, 200, "{out}");

    // Deleting the user deletes the devices.
    s.ok(
        "AdminDeleteUser",
        json!({ "UserPoolId": pool, "Username": "ada" }),
    )
    .await;
    confirmed_user(&s, &pool, "ada", &[]).await;
    let fresh = s
        .ok(
            "AdminListDevices",
            json!({ "UserPoolId": pool, "Username": "ada" }),
        )
        .await;
    assert_eq!(fresh["Devices"], json!([]));
    s.stop().await;
}

#[tokio::test]
async fn a_users_devices_are_invisible_to_other_users() {
    let s = TestServer::start().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    confirmed_user(&s, &pool, "bob", &[]).await;
    let (device, _, _) = remember(&s, &client, "ada's laptop").await;
    let pending = sign_in(&s, &client, "ada", PASSWORD).await["NewDeviceMetadata"].clone();
    let bob = sign_in(&s, &client, "bob", PASSWORD).await;
    let bob_access = bob["AccessToken"].as_str().unwrap();

    for (action, extra) in [
        ("GetDevice", json!({})),
        ("ForgetDevice", json!({})),
        (
            "UpdateDeviceStatus",
            json!({ "DeviceRememberedStatus": "not_remembered" }),
        ),
    ] {
        let body = merged(
            json!({ "AccessToken": bob_access, "DeviceKey": device.key }),
            extra,
        );
        let msg = public_err(&s, action, body, "ResourceNotFoundException").await;
        assert_eq!(msg, "Device does not exist.", "{action}");
    }
    let list = public_ok(&s, "ListDevices", json!({ "AccessToken": bob_access })).await;
    assert_eq!(list["Devices"], json!([]));
    // Nor can bob confirm a device that was handed to ada.
    let (body, _) = confirmation(bob_access, &pending, "bob's");
    public_err(&s, "ConfirmDevice", body, "ResourceNotFoundException").await;
    s.err(
        "AdminGetDevice",
        json!({ "UserPoolId": pool, "Username": "bob", "DeviceKey": device.key }),
        "ResourceNotFoundException",
    )
    .await;
    // Nor sign in with it.
    let msg = public_err(
        &s,
        "InitiateAuth",
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
                "AuthParameters": { "USERNAME": "bob", "PASSWORD": PASSWORD,
                                    "DEVICE_KEY": device.key } }),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(msg, "Device does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn a_remembered_device_signs_in_with_its_own_verifier() {
    let s = TestServer::start_with_clock().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let (device, first, _) = remember(&s, &client, "laptop").await;
    let created = get_device(&s, first["AccessToken"].as_str().unwrap(), &device.key).await;
    s.advance(10 * 60 * 1000);

    // USER_SRP_AUTH naming the device: the password, then the device.
    let (status, challenge) = srp_password_step(&s, &pool, &client, Some(&device.key)).await;
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "DEVICE_SRP_AUTH", "{challenge}");
    assert_eq!(challenge["ChallengeParameters"]["USERNAME"], "ada");
    let (a, verifier) = device_srp_step(&s, &client, &challenge, &device).await;
    let p = &verifier["ChallengeParameters"];
    assert_eq!(p["DEVICE_KEY"], device.key);
    assert_eq!(p["USERNAME"], "ada");
    for name in ["SALT", "SRP_B", "SECRET_BLOCK"] {
        assert!(p[name].as_str().is_some_and(|v| !v.is_empty()), "{name}");
    }
    let proof = device_proof(&verifier, &device, &device.password, &a, &srp_timestamp(&s));
    // identity-js sends the Session with it; the SECRET_BLOCK alone would do.
    let out = respond_ok(&s, device_verifier_answer(&client, &verifier, proof)).await;
    let result = &out["AuthenticationResult"];
    assert!(result.get("NewDeviceMetadata").is_none(), "{out}");
    let access = result["AccessToken"].as_str().unwrap();
    assert_eq!(claims(access)["device_key"], device.key);
    assert_eq!(claims(access)["username"], "ada");
    // The sign-in is the device's latest.
    let d = get_device(&s, access, &device.key).await;
    let moved = d["DeviceLastAuthenticatedDate"].as_f64().unwrap()
        - created["DeviceLastAuthenticatedDate"].as_f64().unwrap();
    assert!((599.0..=601.0).contains(&moved), "{moved}");
    assert_eq!(d["DeviceCreateDate"], created["DeviceCreateDate"]);

    // The password flow with the device's key asks for the device too.
    let challenge = sign_in_with_device(&s, &client, &device.key).await;
    let (status, out) = device_sign_in(&s, &client, &challenge, &device).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        claims(out["AuthenticationResult"]["AccessToken"].as_str().unwrap())["device_key"],
        device.key
    );
    s.stop().await;
}

#[tokio::test]
async fn after_srp_the_device_step_is_found_by_its_srp_a_without_a_session() {
    // pycognito answers DEVICE_SRP_AUTH with the A of its password step and no Session.
    let s = TestServer::start().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let (device, _, _) = remember(&s, &client, "laptop").await;
    let sessionless = |big_a: &str| {
        challenge_answer(
            &client,
            "DEVICE_SRP_AUTH",
            None,
            json!({ "USERNAME": "ada", "DEVICE_KEY": device.key, "SRP_A": big_a }),
        )
    };
    let password_step = || async {
        let (a, proof) = srp_password_proof(&s, &pool, &client, Some(&device.key)).await;
        let out = respond_ok(&s, password_verifier_answer(&client, proof)).await;
        assert_eq!(out["ChallengeName"], "DEVICE_SRP_AUTH", "{out}");
        a
    };

    // Another A names no session.
    password_step().await;
    let (_, other_a) = srp::client::start();
    let msg = respond_err(&s, sessionless(&other_a), "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");

    // The same A (in any case) does, once.
    let a = password_step().await;
    let big_a = srp::client::public_a(&a).to_uppercase();
    let verifier = respond_ok(&s, sessionless(&big_a)).await;
    let proof = device_proof(&verifier, &device, &device.password, &a, &srp_timestamp(&s));
    let out = respond_ok(
        &s,
        challenge_answer(&client, "DEVICE_PASSWORD_VERIFIER", None, proof),
    )
    .await;
    let access = out["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    assert_eq!(claims(access)["device_key"], device.key);
    respond_err(&s, sessionless(&big_a), "NotAuthorizedException").await;
    s.stop().await;
}

#[tokio::test]
async fn wrong_or_replayed_device_proofs_are_refused() {
    let s = TestServer::start().await;
    let (_, client) = setup(&s, tracking(false)).await;
    let (device, _, _) = remember(&s, &client, "laptop").await;
    let start = || async { sign_in_with_device(&s, &client, &device.key).await };

    // The wrong device password.
    let challenge = start().await;
    let (a, verifier) = device_srp_step(&s, &client, &challenge, &device).await;
    let proof = device_proof(
        &verifier,
        &device,
        "not-the-device-password",
        &a,
        &srp_timestamp(&s),
    );
    let msg = respond_err(
        &s,
        device_verifier_answer(&client, &verifier, proof),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");

    // Another device's verifier (a device of the same user that does not hold this secret).
    let (other, _, _) = remember(&s, &client, "phone").await;
    let impostor = Remembered {
        key: device.key.clone(),
        group: device.group.clone(),
        password: other.password.clone(),
    };
    let challenge = start().await;
    let (status, out) = device_sign_in(&s, &client, &challenge, &impostor).await;
    assert_eq!(
        (status, out["__type"].as_str()),
        (400, Some("NotAuthorizedException"))
    );

    // An altered signature.
    let challenge = start().await;
    let (verifier, mut proof) = device_srp_proof(&s, &client, &challenge, &device).await;
    let sig = proof["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap();
    let mut bytes = STANDARD.decode(sig).unwrap();
    bytes[0] ^= 1;
    proof["PASSWORD_CLAIM_SIGNATURE"] = json!(STANDARD.encode(bytes));
    respond_err(
        &s,
        device_verifier_answer(&client, &verifier, proof),
        "NotAuthorizedException",
    )
    .await;

    // A right answer works once; the same answer again finds its secret block used up.
    let challenge = start().await;
    let (_, proof) = device_srp_proof(&s, &client, &challenge, &device).await;
    let body = challenge_answer(&client, "DEVICE_PASSWORD_VERIFIER", None, proof);
    respond_ok(&s, body.clone()).await;
    let msg = respond_err(&s, body, "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");

    // DEVICE_SRP_AUTH for another device than the sign-in named.
    let challenge = start().await;
    let (_, big_a) = srp::client::start();
    respond_err(
        &s,
        challenge_answer(
            &client,
            "DEVICE_SRP_AUTH",
            Some(&challenge["Session"]),
            json!({ "USERNAME": "ada", "DEVICE_KEY": other.key, "SRP_A": big_a }),
        ),
        "ResourceNotFoundException",
    )
    .await;
    // A degenerate SRP_A is refused, and the session stays for a corrected answer.
    let challenge = start().await;
    respond_err(
        &s,
        challenge_answer(
            &client,
            "DEVICE_SRP_AUTH",
            Some(&challenge["Session"]),
            json!({ "USERNAME": "ada", "DEVICE_KEY": device.key, "SRP_A": "0" }),
        ),
        "InvalidParameterException",
    )
    .await;
    let (status, out) = device_sign_in(&s, &client, &challenge, &device).await;
    assert_eq!(status, 200, "{out}");
    s.stop().await;
}

#[tokio::test]
async fn a_forgotten_device_no_longer_signs_in_or_refreshes() {
    let s = TestServer::start().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let (device, tokens, _) = remember(&s, &client, "laptop").await;
    let access = tokens["AccessToken"].as_str().unwrap();
    let refresh = tokens["RefreshToken"].as_str().unwrap();
    public_ok(
        &s,
        "InitiateAuth",
        refresh_with_device(&client, refresh, Some(&device.key)),
    )
    .await;

    // Forgotten between DEVICE_SRP_AUTH and its answer.
    let challenge = sign_in_with_device(&s, &client, &device.key).await;
    let (verifier, proof) = device_srp_proof(&s, &client, &challenge, &device).await;
    public_ok(
        &s,
        "ForgetDevice",
        json!({ "AccessToken": access, "DeviceKey": device.key }),
    )
    .await;
    let msg = respond_err(
        &s,
        device_verifier_answer(&client, &verifier, proof),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(msg, "Device does not exist.");

    // Its refresh token is done.
    let msg = public_err(
        &s,
        "InitiateAuth",
        refresh_with_device(&client, refresh, Some(&device.key)),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");

    // The password flow naming it is refused, as is SRP's PASSWORD_VERIFIER; that one keeps
    // its session, and the same answer without the device signs in as a new device (what
    // identity-js does on "Device does not exist.").
    public_err(
        &s,
        "InitiateAuth",
        password_auth_with_device(&client, &device.key),
        "ResourceNotFoundException",
    )
    .await;
    let (_, mut proof) = srp_password_proof(&s, &pool, &client, Some(&device.key)).await;
    let msg = respond_err(
        &s,
        password_verifier_answer(&client, proof.clone()),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(msg, "Device does not exist.");
    proof.as_object_mut().unwrap().remove("DEVICE_KEY");
    let out = respond_ok(&s, password_verifier_answer(&client, proof)).await;
    let fresh = &out["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"];
    assert!(fresh.is_string() && fresh != &json!(device.key), "{out}");
    s.stop().await;
}

#[tokio::test]
async fn refresh_tokens_of_a_device_refresh_only_with_its_key() {
    let s = TestServer::start().await;
    let (_, client) = setup(&s, tracking(false)).await;
    let tokens = sign_in(&s, &client, "ada", PASSWORD).await;
    let refresh = tokens["RefreshToken"].as_str().unwrap();
    let metadata = &tokens["NewDeviceMetadata"];
    let key = metadata["DeviceKey"].as_str().unwrap();

    // Not confirmed yet: no refresh, as in Cognito.
    let msg = public_err(
        &s,
        "InitiateAuth",
        refresh_with_device(&client, refresh, Some(key)),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");
    let (body, _) = confirmation(tokens["AccessToken"].as_str().unwrap(), metadata, "tv");
    public_ok(&s, "ConfirmDevice", body).await;

    for device in [None, Some("us-east-1_0f0f0f0f-1111-4222-8333-444455556666")] {
        let msg = public_err(
            &s,
            "InitiateAuth",
            refresh_with_device(&client, refresh, device),
            "NotAuthorizedException",
        )
        .await;
        assert_eq!(msg, "Invalid Refresh Token.", "{device:?}");
    }
    let out = public_ok(
        &s,
        "InitiateAuth",
        refresh_with_device(&client, refresh, Some(key)),
    )
    .await;
    let access = out["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    assert_eq!(claims(access)["device_key"], key);
    assert!(out["AuthenticationResult"]
        .get("NewDeviceMetadata")
        .is_none());
    assert!(out["AuthenticationResult"].get("RefreshToken").is_none());

    // Tokens not issued to a device ignore a DEVICE_KEY.
    let (_, plain) = setup(&s, json!({})).await;
    let tokens = sign_in(&s, &plain, "ada", PASSWORD).await;
    let out = public_ok(
        &s,
        "InitiateAuth",
        refresh_with_device(&plain, tokens["RefreshToken"].as_str().unwrap(), Some(key)),
    )
    .await;
    let access = out["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    assert!(claims(access).get("device_key").is_none());
    s.stop().await;
}

#[tokio::test]
async fn bad_device_requests_are_aws_400s() {
    let s = TestServer::start().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let (device, tokens, _) = remember(&s, &client, "laptop").await;
    let access = tokens["AccessToken"].as_str().unwrap();

    let msg = public_err(
        &s,
        "GetDevice",
        json!({ "AccessToken": access, "DeviceKey": "not a key" }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.contains("at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+"),
        "{msg}"
    );
    let msg = public_err(
        &s,
        "ListDevices",
        json!({ "AccessToken": access, "Limit": 61 }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.contains("Member must have value less than or equal to 60"),
        "{msg}"
    );
    s.err(
        "AdminListDevices",
        json!({ "UserPoolId": pool, "Username": "ada", "Limit": 61 }),
        "InvalidParameterException",
    )
    .await;
    public_err(
        &s,
        "ListDevices",
        json!({ "AccessToken": access, "PaginationToken": "!!not-a-token!!" }),
        "InvalidParameterException",
    )
    .await;
    let msg = public_err(
        &s,
        "UpdateDeviceStatus",
        json!({ "AccessToken": access, "DeviceKey": device.key,
                "DeviceRememberedStatus": "forgotten" }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.contains("enum value set: [remembered, not_remembered]"),
        "{msg}"
    );
    public_err(
        &s,
        "UpdateDeviceStatus",
        json!({ "AccessToken": access, "DeviceKey": device.key }),
        "InvalidParameterException",
    )
    .await;
    public_err(
        &s,
        "GetDevice",
        json!({ "DeviceKey": device.key }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "AdminGetDevice",
        json!({ "UserPoolId": pool, "DeviceKey": device.key }),
        "InvalidParameterException",
    )
    .await;
    let (status, out) = s
        .call_unsigned(
            "GetDevice",
            json!({ "AccessToken": 7, "DeviceKey": device.key }),
        )
        .await;
    assert_eq!(
        (status, out["__type"].as_str()),
        (400, Some("SerializationException"))
    );

    // Tokens that are not, or no longer, good.
    public_err(
        &s,
        "ListDevices",
        json!({ "AccessToken": "a.b.c" }),
        "NotAuthorizedException",
    )
    .await;
    public_ok(&s, "GlobalSignOut", json!({ "AccessToken": access })).await;
    for (action, body) in [
        ("ListDevices", json!({ "AccessToken": access })),
        (
            "GetDevice",
            json!({ "AccessToken": access, "DeviceKey": device.key }),
        ),
        (
            "ForgetDevice",
            json!({ "AccessToken": access, "DeviceKey": device.key }),
        ),
    ] {
        let msg = public_err(&s, action, body, "NotAuthorizedException").await;
        assert_eq!(msg, "Access Token has been revoked", "{action}");
    }
    s.stop().await;
}

#[tokio::test]
async fn srp_timestamps_must_read_as_cognitos_and_be_near_the_servers_clock() {
    let s = TestServer::start_with_clock().await;
    let (pool, client) = setup(&s, tracking(false)).await;
    let now = server_now(&s);
    let minutes = |m: i64| srp::timestamp(now + time::Duration::minutes(m));
    let attempt = |ts: String| {
        let (s, pool, client) = (&s, &pool, &client);
        async move {
            let (a, challenge) = initiate_srp(s, client, "ada").await;
            let proof = password_verifier_proof(pool, &challenge, PASSWORD, &a, &ts);
            s.call_unsigned(
                "RespondToAuthChallenge",
                password_verifier_answer(client, proof),
            )
            .await
        }
    };
    // The server's clock is what counts, not the machine's.
    for ts in [
        "not a time".to_string(),
        "2026-09-05T09:03:07Z".to_string(),
        minutes(6),
        minutes(-6),
    ] {
        let (status, out) = attempt(ts.clone()).await;
        assert_eq!(status, 400, "{ts}: {out}");
        assert_eq!(out["__type"], "NotAuthorizedException", "{ts}: {out}");
    }
    for ts in [minutes(0), minutes(4), minutes(-4)] {
        let (status, out) = attempt(ts.clone()).await;
        assert_eq!(status, 200, "{ts}: {out}");
    }
    // A late TIMESTAMP is not a wrong password: no lockout came of the refusals above.
    let (status, _) = attempt(minutes(0)).await;
    assert_eq!(status, 200);

    // DEVICE_PASSWORD_VERIFIER keeps the same rule.
    let (device, _, _) = remember(&s, &client, "laptop").await;
    for (ts, ok) in [
        (minutes(7), false),
        ("Sat Sep 5".to_string(), false),
        (minutes(1), true),
    ] {
        let challenge = sign_in_with_device(&s, &client, &device.key).await;
        let (a, verifier) = device_srp_step(&s, &client, &challenge, &device).await;
        let proof = device_proof(&verifier, &device, &device.password, &a, &ts);
        let (status, out) = s
            .call_unsigned(
                "RespondToAuthChallenge",
                device_verifier_answer(&client, &verifier, proof),
            )
            .await;
        if ok {
            assert_eq!(status, 200, "{ts}: {out}");
        } else {
            assert_eq!(out["__type"], "NotAuthorizedException", "{ts}: {out}");
        }
    }
    s.stop().await;
}
