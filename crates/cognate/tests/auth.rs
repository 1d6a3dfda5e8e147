//! Who may call what, over HTTP: management actions need a SigV4 signature from the configured
//! principal, refused with the JSON 1.1 error AWS sends for each way a signature can be wrong;
//! public actions need none; `--dev` takes anything.

// Helpers here are not `#[test]` functions, which clippy's allow-*-in-tests covers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cognate_crypto::sigv4::Credentials;
use common::{amz_now, creds, unique, TestServer, ACCESS_KEY};
use serde_json::{json, Value};

const TARGET: &str = "AWSCognitoIdentityProviderService.CreateUserPool";

fn body() -> Vec<u8> {
    json!({ "PoolName": unique("auth") })
        .to_string()
        .into_bytes()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// `YYYYMMDDTHHMMSSZ`, `secs_ago` seconds before now.
fn amz_date_ago(secs_ago: i64) -> String {
    let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs_ago);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[tokio::test]
async fn a_signed_management_call_is_accepted() {
    let s = TestServer::start().await;
    let (status, text) = s.raw(TARGET, body(), Some(&creds())).await;
    assert_eq!(status, 200, "{text}");
    assert!(parse(&text)["UserPool"]["Id"].is_string(), "{text}");
    s.stop().await;
}

#[tokio::test]
async fn unsigned_management_call_is_missing_authentication_token() {
    let s = TestServer::start().await;
    let (status, out) = s
        .call_unsigned("CreateUserPool", json!({ "PoolName": "p" }))
        .await;
    // AWS's common errors: MissingAuthenticationToken is HTTP 403.
    assert_eq!(status, 403, "{out}");
    assert_eq!(out["__type"], "MissingAuthenticationTokenException");
    assert_eq!(out["message"], "Missing Authentication Token");
    s.stop().await;
}

#[tokio::test]
async fn wrong_secret_is_invalid_signature() {
    let s = TestServer::start().await;
    let wrong = Credentials {
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: "not-the-secret-not-the-secret-not-the-se".into(),
    };
    let (status, out) = s
        .call_with("CreateUserPool", json!({ "PoolName": "p" }), Some(&wrong))
        .await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "InvalidSignatureException");
    assert!(
        out["message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated does not match"),
        "{out}"
    );
    s.stop().await;
}

#[tokio::test]
async fn unknown_access_key_is_unrecognized_client() {
    let s = TestServer::start().await;
    let stranger = Credentials {
        access_key_id: "AKIAUNKNOWNUNKNOWN00".into(),
        secret_access_key: "whatever".into(),
    };
    let (status, out) = s
        .call_with(
            "CreateUserPool",
            json!({ "PoolName": "p" }),
            Some(&stranger),
        )
        .await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "UnrecognizedClientException");
    assert_eq!(
        out["message"],
        "The security token included in the request is invalid."
    );
    s.stop().await;
}

#[tokio::test]
async fn a_signature_older_than_five_minutes_has_expired() {
    let s = TestServer::start().await;
    let old = amz_date_ago(6 * 60);
    let (status, text) = s
        .raw_at(TARGET, body(), Some(&creds()), "cognito-idp", &old)
        .await;
    let out = parse(&text);
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "InvalidSignatureException");
    let message = out["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("Signature expired: {old} is now earlier than")),
        "{message}"
    );

    // Within the five minutes, the same signature scheme is fine.
    let recent = amz_date_ago(4 * 60);
    let (status, text) = s
        .raw_at(TARGET, body(), Some(&creds()), "cognito-idp", &recent)
        .await;
    assert_eq!(status, 200, "{text}");
    s.stop().await;
}

#[tokio::test]
async fn a_signature_scoped_to_another_service_is_refused() {
    let s = TestServer::start().await;
    let (status, text) = s
        .raw_at(TARGET, body(), Some(&creds()), "sts", &amz_now())
        .await;
    let out = parse(&text);
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "InvalidSignatureException");
    assert!(
        out["message"].as_str().unwrap().contains("'cognito-idp'"),
        "{out}"
    );
    s.stop().await;
}

#[tokio::test]
async fn a_public_action_needs_no_signature() {
    let s = TestServer::start().await;
    let (status, out) = s
        .call_unsigned(
            "SignUp",
            json!({ "ClientId": "doesnotexist0000000000000a", "Username": "u", "Password": "Passw0rd!x" }),
        )
        .await;
    // SignUp may well fail (the client does not exist), but not for want of a signature.
    let error_type = out["__type"].as_str().unwrap_or_default();
    assert!(
        ![
            "MissingAuthenticationTokenException",
            "InvalidSignatureException",
            "UnrecognizedClientException",
            "IncompleteSignatureException",
        ]
        .contains(&error_type),
        "{status} {out}"
    );
    assert_ne!(status, 403, "{out}");
    s.stop().await;
}

#[tokio::test]
async fn dev_mode_accepts_unsigned_calls_and_any_keys() {
    let s = TestServer::start_dev().await;
    let (status, out) = s
        .call_unsigned("CreateUserPool", json!({ "PoolName": unique("dev") }))
        .await;
    assert_eq!(status, 200, "{out}");
    let anyone = Credentials {
        access_key_id: "AKIAANYONEANYONE0000".into(),
        secret_access_key: "anything".into(),
    };
    let (status, out) = s
        .call_with(
            "CreateUserPool",
            json!({ "PoolName": unique("dev") }),
            Some(&anyone),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    s.stop().await;
}
