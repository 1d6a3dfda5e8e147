//! Helpers for the sign-in, token and self-service tests (`auth_flows`, `tokens`,
//! `self_service`): a pool with an app client, users with a known password, unsigned public
//! calls, and token decoding. Included by path beside `common`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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

/// Merges the members of `extra` into `base`.
pub fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
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
    let out = s.ok("CreateUserPoolClient", body).await;
    let c = &out["UserPoolClient"];
    (
        c["ClientId"].as_str().unwrap().to_string(),
        c["ClientSecret"].as_str().map(str::to_string),
    )
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
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": username, "UserAttributes": attrs(pairs),
                "MessageAction": "SUPPRESS" }),
    )
    .await;
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": username, "Password": PASSWORD,
                "Permanent": true }),
    )
    .await;
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

pub fn refresh_auth(client: &str, refresh_token: &str) -> Value {
    json!({
        "AuthFlow": "REFRESH_TOKEN_AUTH",
        "ClientId": client,
        "AuthParameters": { "REFRESH_TOKEN": refresh_token },
    })
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
    let body = m["body"].as_str().unwrap();
    let digits: Vec<char> = body.chars().collect();
    for w in digits.windows(6) {
        if w.iter().all(char::is_ascii_digit) {
            return w.iter().collect();
        }
    }
    panic!("no code in {body}")
}
