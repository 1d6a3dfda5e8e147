//! Helpers for the tests of what users and apps do (sign-in, SRP, devices, tokens, sign-up,
//! recovery, self-service): a pool with an app client, users with a known password, unsigned
//! public calls, the codes the server sends, SRP answers, and token decoding. Included by path
//! beside `common`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cognate_core::model::{User, UserStatus};
use cognate_crypto::srp;
use serde_json::{json, Value};

use crate::common::{unique, TestServer};

/// Base64url (no padding) encoding, for forging JWT parts.
pub fn b64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Base64url (no padding) decoding, for JWT parts.
pub fn b64url(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// A password the default policy accepts.
pub const PASSWORD: &str = "Passw0rd!";
pub const OTHER_PASSWORD: &str = "Other-Passw0rd";

pub use crate::common::merged;

/// Creates an app client; returns its id and secret (if it has one).
async fn create_client(s: &TestServer, body: Value) -> (String, Option<String>) {
    let out = s.ok("CreateUserPoolClient", body).await;
    let c = &out["UserPoolClient"];
    (
        c["ClientId"].as_str().unwrap().to_string(),
        c["ClientSecret"].as_str().map(str::to_string),
    )
}

/// An app client of the pool allowing password, admin-password and refresh sign-in unless
/// `extra` says otherwise; returns its id and secret (if it has one).
pub async fn client(s: &TestServer, pool: &str, extra: Value) -> (String, Option<String>) {
    let body = merged(
        json!({
            "UserPoolId": pool,
            "ClientName": unique("app"),
            "ExplicitAuthFlows": [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH"
            ],
        }),
        extra,
    );
    create_client(s, body).await
}

/// An app client named "app" with only `extra` set, so the server's defaults (auth flows
/// included) apply to everything else; returns its id and secret (if it has one).
pub async fn client_with_defaults(
    s: &TestServer,
    pool: &str,
    extra: Value,
) -> (String, Option<String>) {
    let body = merged(json!({ "UserPoolId": pool, "ClientName": "app" }), extra);
    create_client(s, body).await
}

/// A pool (with `pool_extra`) and a client of it (with `client_extra`).
pub async fn pool_and_client(
    s: &TestServer,
    pool_extra: Value,
    client_extra: Value,
) -> (String, String) {
    let pool = s.pool(pool_extra).await;
    let (client, _) = client(s, &pool, client_extra).await;
    (pool, client)
}

pub fn attrs(pairs: &[(&str, &str)]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|(n, v)| json!({ "Name": n, "Value": v }))
            .collect(),
    )
}

/// The value of attribute `name` in an `Attributes`/`UserAttributes` list.
pub fn attr<'a>(list: &'a Value, name: &str) -> Option<&'a str> {
    list.as_array()?
        .iter()
        .find(|a| a["Name"] == name)
        .and_then(|a| a["Value"].as_str())
}

/// A CONFIRMED user with [`PASSWORD`].
pub async fn confirmed_user(s: &TestServer, pool: &str, username: &str, pairs: &[(&str, &str)]) {
    confirmed_user_with_password(s, pool, username, PASSWORD, pairs).await;
}

/// A CONFIRMED user with `password`, made by the administrator.
pub async fn confirmed_user_with_password(
    s: &TestServer,
    pool: &str,
    username: &str,
    password: &str,
    pairs: &[(&str, &str)],
) {
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": username, "UserAttributes": attrs(pairs),
                "MessageAction": "SUPPRESS" }),
    )
    .await;
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": username, "Password": password,
                "Permanent": true }),
    )
    .await;
}

/// A user with [`PASSWORD`] and no SRP verifier (as users made before SRP are), written
/// straight into the store, since no action makes one.
pub async fn user_without_verifier(
    s: &TestServer,
    pool: &str,
    username: &str,
    sub: &str,
    status: UserStatus,
) -> User {
    let service = &s.server.as_ref().unwrap().service;
    let now = service.now_millis();
    let user = User {
        pool_id: pool.to_string(),
        username: username.into(),
        username_key: username.into(),
        sub: sub.into(),
        status,
        enabled: true,
        attributes: vec![],
        password_hash: Some(cognate_crypto::password::hash_password(PASSWORD).unwrap()),
        temporary_password_expires_ms: None,
        created_ms: now,
        modified_ms: now,
        version: 0,
        srp_verifier: None,
    };
    service.store().insert_user(&user).await.unwrap();
    user
}

/// AdminGetUser, which must succeed.
pub async fn admin_get_user(s: &TestServer, pool: &str, username: &str) -> Value {
    s.ok(
        "AdminGetUser",
        json!({ "UserPoolId": pool, "Username": username }),
    )
    .await
}

/// The user's `UserStatus`, as AdminGetUser answers it.
pub async fn user_status(s: &TestServer, pool: &str, username: &str) -> String {
    admin_get_user(s, pool, username).await["UserStatus"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Calls a public action unsigned; it must succeed.
pub async fn public_ok(s: &TestServer, action: &str, body: Value) -> Value {
    let (status, out) = s.call_unsigned(action, body.clone()).await;
    assert_eq!(status, 200, "{action} {body} answered {out}");
    out
}

/// Calls a public action unsigned; it must fail with `error_type`. Returns the message.
pub async fn public_err(s: &TestServer, action: &str, body: Value, error_type: &str) -> String {
    let (status, out) = s.call_unsigned(action, body.clone()).await;
    assert_eq!(status, 400, "{action} {body} answered {status} {out}");
    assert_eq!(out["__type"], error_type, "{action} {body} answered {out}");
    out["message"].as_str().unwrap_or_default().to_string()
}

pub fn password_auth(client: &str, username: &str, password: &str) -> Value {
    json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client,
        "AuthParameters": { "USERNAME": username, "PASSWORD": password },
    })
}

/// USER_PASSWORD_AUTH that must succeed with tokens; returns `AuthenticationResult`.
pub async fn sign_in(s: &TestServer, client: &str, username: &str, password: &str) -> Value {
    let out = public_ok(s, "InitiateAuth", password_auth(client, username, password)).await;
    assert!(out.get("ChallengeName").is_none(), "{out}");
    out["AuthenticationResult"].clone()
}

/// USER_PASSWORD_AUTH that must fail with `error_type`; returns the message.
pub async fn sign_in_err(
    s: &TestServer,
    client: &str,
    username: &str,
    password: &str,
    error_type: &str,
) -> String {
    public_err(
        s,
        "InitiateAuth",
        password_auth(client, username, password),
        error_type,
    )
    .await
}

/// RespondToAuthChallenge, unsigned; it must succeed.
pub async fn respond_ok(s: &TestServer, body: Value) -> Value {
    public_ok(s, "RespondToAuthChallenge", body).await
}

/// RespondToAuthChallenge, unsigned; it must fail with `error_type`. Returns the message.
pub async fn respond_err(s: &TestServer, body: Value, error_type: &str) -> String {
    public_err(s, "RespondToAuthChallenge", body, error_type).await
}

/// RespondToAuthChallenge's body answering `challenge` (with `session`, when it is a string).
pub fn challenge_answer(
    client: &str,
    challenge: &str,
    session: Option<&Value>,
    responses: Value,
) -> Value {
    let mut body = json!({ "ClientId": client, "ChallengeName": challenge,
                           "ChallengeResponses": responses });
    if let Some(session) = session.filter(|s| s.is_string()) {
        body["Session"] = session.clone();
    }
    body
}

/// RespondToAuthChallenge's body answering PASSWORD_VERIFIER with `proof`.
pub fn password_verifier_answer(client: &str, proof: Value) -> Value {
    challenge_answer(client, "PASSWORD_VERIFIER", None, proof)
}

/// RespondToAuthChallenge's body choosing `password` at NEW_PASSWORD_REQUIRED.
pub fn new_password_answer(client: &str, session: &str, username: &str, password: &str) -> Value {
    challenge_answer(
        client,
        "NEW_PASSWORD_REQUIRED",
        Some(&json!(session)),
        json!({ "USERNAME": username, "NEW_PASSWORD": password }),
    )
}

pub fn refresh_auth(client: &str, refresh_token: &str) -> Value {
    json!({
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "ClientId": client,
        "AuthParameters": { "REFRESH_TOKEN": refresh_token },
    })
}

/// REFRESH_TOKEN_AUTH that must succeed; returns InitiateAuth's answer.
pub async fn refresh_sign_in(s: &TestServer, client: &str, refresh_token: &str) -> Value {
    public_ok(s, "InitiateAuth", refresh_auth(client, refresh_token)).await
}

/// REFRESH_TOKEN_AUTH that must fail with `error_type`; returns the message.
pub async fn refresh_sign_in_err(
    s: &TestServer,
    client: &str,
    refresh_token: &str,
    error_type: &str,
) -> String {
    public_err(
        s,
        "InitiateAuth",
        refresh_auth(client, refresh_token),
        error_type,
    )
    .await
}

/// The claims of a JWT, unverified.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&b64url(payload)).unwrap()
}

/// The header of a JWT.
pub fn header(token: &str) -> Value {
    let h = token.split('.').next().unwrap();
    serde_json::from_slice(&b64url(h)).unwrap()
}

/// USER_SRP_AUTH's InitiateAuth body.
pub fn srp_auth(client: &str, username: &str, srp_a: &str) -> Value {
    json!({ "AuthFlow": "USER_SRP_AUTH", "ClientId": client,
            "AuthParameters": { "USERNAME": username, "SRP_A": srp_a } })
}

/// InitiateAuth USER_SRP_AUTH, which must succeed; returns the client's secret a and the
/// answer.
pub async fn initiate_srp(
    s: &TestServer,
    client: &str,
    username: &str,
) -> (srp::client::Secret, Value) {
    let (a, big_a) = srp::client::start();
    let out = public_ok(s, "InitiateAuth", srp_auth(client, username, &big_a)).await;
    (a, out)
}

/// The server's time: its clock when the test controls it.
pub fn server_now(s: &TestServer) -> time::OffsetDateTime {
    match &s.clock {
        Some(clock) => {
            use cognate_core::clock::Clock;
            time::OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(clock.now_millis()) * 1_000_000,
            )
            .unwrap()
        }
        None => time::OffsetDateTime::now_utc(),
    }
}

/// An SRP TIMESTAMP of the server's time.
pub fn srp_timestamp(s: &TestServer) -> String {
    srp::timestamp(server_now(s))
}

/// PASSWORD_VERIFIER's ChallengeResponses proving `password`, at TIMESTAMP `ts`, as the SDKs
/// build them (no Session: the SECRET_BLOCK stands for it).
pub fn password_verifier_proof(
    pool: &str,
    challenge: &Value,
    password: &str,
    a: &srp::client::Secret,
    ts: &str,
) -> Value {
    let p = &challenge["ChallengeParameters"];
    assert_eq!(
        challenge["ChallengeName"], "PASSWORD_VERIFIER",
        "{challenge}"
    );
    let user_id = p["USER_ID_FOR_SRP"].as_str().unwrap();
    let key = srp::client::key(
        srp::pool_name(pool),
        user_id,
        password,
        a,
        p["SRP_B"].as_str().unwrap(),
        p["SALT"].as_str().unwrap(),
    )
    .unwrap();
    let block = p["SECRET_BLOCK"].as_str().unwrap();
    let sig = srp::client::signature(&key, srp::pool_name(pool), user_id, block, ts).unwrap();
    json!({ "USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts })
}

/// Messages the server sent for `pool`, oldest first.
pub async fn sent(s: &TestServer, pool: &str) -> Vec<Value> {
    s.outbox()
        .await
        .into_iter()
        .filter(|m| m["pool_id"] == pool)
        .collect()
}

/// The six-digit code in a message body.
pub fn code_in(body: &str) -> String {
    let digits: Vec<char> = body.chars().collect();
    for w in digits.windows(6) {
        if w.iter().all(char::is_ascii_digit) {
            return w.iter().collect();
        }
    }
    panic!("no code in {body:?}");
}

/// The code in the latest message sent to `recipient` for `pool`.
pub async fn last_code(s: &TestServer, pool: &str, recipient: &str) -> String {
    let messages = sent(s, pool).await;
    let m = messages
        .iter()
        .rev()
        .find(|m| m["recipient"] == recipient)
        .unwrap_or_else(|| panic!("nothing sent to {recipient}: {messages:?}"));
    code_in(m["body"].as_str().unwrap())
}

/// A code that is not `code`.
pub fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// The latest message sent to `recipient`.
pub async fn last_message_to(s: &TestServer, recipient: &str) -> Value {
    s.outbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m["recipient"] == recipient)
        .unwrap_or_else(|| panic!("nothing was sent to {recipient}"))
}

/// The 6-digit code in the latest message to `recipient`.
pub async fn code_sent_to(s: &TestServer, recipient: &str) -> String {
    let m = last_message_to(s, recipient).await;
    code_in(m["body"].as_str().unwrap())
}
