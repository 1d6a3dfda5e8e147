//! Password recovery over HTTP: ForgotPassword, ConfirmForgotPassword, and the code
//! AdminResetUserPassword sends.

// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach them;
// a failed unwrap in one is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use common::TestServer;
use serde_json::{json, Value};
use support::{
    attrs, client_with_defaults, code_in, confirmed_user_with_password, last_code, other_code,
    password_auth, public_err, public_ok, sent, sign_in_err, user_status,
};

const HOUR_MS: i64 = 3_600_000;
const PASSWORD: &str = "First-Pass1";
const NEW_PASSWORD: &str = "Second-Pass2";

async fn client(s: &TestServer, pool: &str, extra: Value) -> String {
    client_with_defaults(s, pool, extra).await.0
}

/// A confirmed user with [`PASSWORD`] and the given attributes, made by the administrator.
async fn confirmed_user(s: &TestServer, pool: &str, username: &str, pairs: &[(&str, &str)]) {
    confirmed_user_with_password(s, pool, username, PASSWORD, pairs).await;
}

fn forgot(client_id: &str, username: &str) -> Value {
    json!({ "ClientId": client_id, "Username": username })
}

fn confirm(client_id: &str, username: &str, code: &str, password: &str) -> Value {
    json!({ "ClientId": client_id, "Username": username, "ConfirmationCode": code,
            "Password": password })
}

async fn forgot_password(s: &TestServer, client_id: &str, username: &str) -> Value {
    public_ok(s, "ForgotPassword", forgot(client_id, username)).await
}

/// ForgotPassword that must fail with `error_type`; returns the message.
async fn forgot_password_err(
    s: &TestServer,
    client_id: &str,
    username: &str,
    error_type: &str,
) -> String {
    public_err(s, "ForgotPassword", forgot(client_id, username), error_type).await
}

async fn confirm_forgot_password(
    s: &TestServer,
    client_id: &str,
    username: &str,
    code: &str,
    password: &str,
) -> Value {
    public_ok(
        s,
        "ConfirmForgotPassword",
        confirm(client_id, username, code, password),
    )
    .await
}

/// ConfirmForgotPassword that must fail with `error_type`; returns the message.
async fn confirm_forgot_password_err(
    s: &TestServer,
    client_id: &str,
    username: &str,
    code: &str,
    password: &str,
    error_type: &str,
) -> String {
    public_err(
        s,
        "ConfirmForgotPassword",
        confirm(client_id, username, code, password),
        error_type,
    )
    .await
}

const VERIFIED_EMAIL: &[(&str, &str)] =
    &[("email", "olga@example.com"), ("email_verified", "true")];

#[tokio::test]
async fn forgot_then_confirm_sets_the_new_password_once() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client_id = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
    )
    .await;
    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    let out = forgot_password(&s, &client_id, "olga").await;
    assert_eq!(
        out,
        json!({ "CodeDeliveryDetails": { "Destination": "o***@e***", "DeliveryMedium": "EMAIL",
                                         "AttributeName": "email" } })
    );
    let m = sent(&s, &pool).await.pop().unwrap();
    assert_eq!(m["reason"], "ForgotPassword");
    assert_eq!(m["channel"], "email");
    assert_eq!(m["subject"], "Your verification code");
    let code = code_in(m["body"].as_str().unwrap());

    // The policy is checked before the code, and a refused password leaves the code usable.
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        &code,
        "short",
        "InvalidPasswordException",
    )
    .await;
    assert_eq!(
        msg,
        "Password does not conform to policy: Password not long enough"
    );
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        &other_code(&code),
        NEW_PASSWORD,
        "CodeMismatchException",
    )
    .await;
    assert_eq!(msg, "Invalid verification code provided, please try again.");
    confirm_forgot_password(&s, &client_id, "olga", &code, NEW_PASSWORD).await;
    assert_eq!(user_status(&s, &pool, "olga").await, "CONFIRMED");
    // The new password signs in; the old one no longer does.
    let out = public_ok(
        &s,
        "InitiateAuth",
        password_auth(&client_id, "olga", NEW_PASSWORD),
    )
    .await;
    assert!(
        out["AuthenticationResult"]["AccessToken"].is_string(),
        "{out}"
    );
    let msg = sign_in_err(&s, &client_id, "olga", PASSWORD, "NotAuthorizedException").await;
    assert_eq!(msg, "Incorrect username or password.");
    // Single use.
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        &code,
        "Third-Pass3",
        "ExpiredCodeException",
    )
    .await;
    assert_eq!(msg, "Invalid code provided, please request a code again.");
    s.stop().await;
}

#[tokio::test]
async fn reset_codes_last_an_hour_and_must_have_been_requested() {
    let s = TestServer::start_with_clock().await;
    let pool = s.pool(json!({})).await;
    let client_id = client(&s, &pool, json!({})).await;
    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        "123456",
        NEW_PASSWORD,
        "ExpiredCodeException",
    )
    .await;
    assert_eq!(msg, "Invalid code provided, please request a code again.");
    forgot_password(&s, &client_id, "olga").await;
    let code = last_code(&s, &pool, "olga@example.com").await;
    s.advance(HOUR_MS + 1);
    confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        &code,
        NEW_PASSWORD,
        "ExpiredCodeException",
    )
    .await;
    forgot_password(&s, &client_id, "olga").await;
    let code = last_code(&s, &pool, "olga@example.com").await;
    s.advance(HOUR_MS - 1000);
    confirm_forgot_password(&s, &client_id, "olga", &code, NEW_PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn five_wrong_codes_end_the_reset() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client_id = client(&s, &pool, json!({})).await;
    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    forgot_password(&s, &client_id, "olga").await;
    let code = last_code(&s, &pool, "olga@example.com").await;
    for _ in 0..5 {
        confirm_forgot_password_err(
            &s,
            &client_id,
            "olga",
            &other_code(&code),
            NEW_PASSWORD,
            "CodeMismatchException",
        )
        .await;
    }
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        &code,
        NEW_PASSWORD,
        "LimitExceededException",
    )
    .await;
    assert_eq!(msg, "Attempt limit exceeded, please try after some time.");
    forgot_password(&s, &client_id, "olga").await;
    let fresh = last_code(&s, &pool, "olga@example.com").await;
    confirm_forgot_password(&s, &client_id, "olga", &fresh, NEW_PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn who_can_reset_and_what_the_others_are_told() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client_id = client(&s, &pool, json!({})).await;
    let msg = forgot_password_err(&s, &client_id, "ghost", "UserNotFoundException").await;
    assert_eq!(msg, "Username/client id combination not found.");
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "ghost",
        "123456",
        NEW_PASSWORD,
        "UserNotFoundException",
    )
    .await;
    assert_eq!(msg, "Username/client id combination not found.");

    confirmed_user(&s, &pool, "pia", &[("email", "pia@example.com")]).await;
    let msg = forgot_password_err(&s, &client_id, "pia", "InvalidParameterException").await;
    assert_eq!(
        msg,
        "Cannot reset password for the user as there is no registered/verified email or phone_number"
    );

    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "olga" }),
    )
    .await;
    let msg = forgot_password_err(&s, &client_id, "olga", "NotAuthorizedException").await;
    assert_eq!(msg, "User is disabled.");
    let msg = confirm_forgot_password_err(
        &s,
        &client_id,
        "olga",
        "123456",
        NEW_PASSWORD,
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "User is disabled.");

    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "quin", "MessageAction": "SUPPRESS",
                "UserAttributes": attrs(&[("email", "quin@example.com"), ("email_verified", "true")]) }),
    )
    .await;
    let msg = forgot_password_err(&s, &client_id, "quin", "NotAuthorizedException").await;
    assert_eq!(msg, "User password cannot be reset in the current state.");
    assert!(sent(&s, &pool).await.is_empty());

    // A client that hides user existence answers unknown, disabled and unreachable users with
    // a simulated delivery, and sends nothing.
    let hiding = client(
        &s,
        &pool,
        json!({ "PreventUserExistenceErrors": "ENABLED" }),
    )
    .await;
    for (username, destination) in [
        ("ghost@example.com", "g***@e***"),
        ("olga", ""),
        ("pia", ""),
    ] {
        let out = forgot_password(&s, &hiding, username).await;
        let d = &out["CodeDeliveryDetails"];
        assert_eq!(d["DeliveryMedium"], "EMAIL", "{username}: {out}");
        assert_eq!(d["AttributeName"], "email");
        if !destination.is_empty() {
            assert_eq!(d["Destination"], destination);
        }
        assert!(d["Destination"].as_str().unwrap().contains("***@"));
    }
    let out = forgot_password(&s, &hiding, "+15550001234").await;
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "+*******1234", "DeliveryMedium": "SMS", "AttributeName": "phone_number" })
    );
    assert!(sent(&s, &pool).await.is_empty());
    for username in ["ghost", "olga"] {
        let msg = confirm_forgot_password_err(
            &s,
            &hiding,
            username,
            "123456",
            NEW_PASSWORD,
            "CodeMismatchException",
        )
        .await;
        assert_eq!(msg, "Invalid verification code provided, please try again.");
    }
    s.stop().await;
}

#[tokio::test]
async fn the_recovery_setting_picks_the_channel() {
    let s = TestServer::start().await;
    let both: &[(&str, &str)] = &[
        ("email", "rex@example.com"),
        ("email_verified", "true"),
        ("phone_number", "+15555550123"),
        ("phone_number_verified", "true"),
    ];
    // Without a setting: the verified phone first.
    let legacy = s.pool(json!({})).await;
    let legacy_client = client(&s, &legacy, json!({})).await;
    confirmed_user(&s, &legacy, "rex", both).await;
    let out = forgot_password(&s, &legacy_client, "rex").await;
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "+*******0123", "DeliveryMedium": "SMS", "AttributeName": "phone_number" })
    );
    let m = sent(&s, &legacy).await.pop().unwrap();
    assert_eq!(m["channel"], "sms");
    assert_eq!(m["recipient"], "+15555550123");

    let email_first = s
        .pool(json!({ "AccountRecoverySetting": { "RecoveryMechanisms": [
            { "Priority": 1, "Name": "verified_email" },
            { "Priority": 2, "Name": "verified_phone_number" } ] } }))
        .await;
    let email_client = client(&s, &email_first, json!({})).await;
    confirmed_user(&s, &email_first, "rex", both).await;
    let out = forgot_password(&s, &email_client, "rex").await;
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    // The code works by SMS or email alike; a RESET_REQUIRED user ends CONFIRMED.
    s.ok(
        "AdminResetUserPassword",
        json!({ "UserPoolId": email_first, "Username": "rex" }),
    )
    .await;
    assert_eq!(user_status(&s, &email_first, "rex").await, "RESET_REQUIRED");
    forgot_password(&s, &email_client, "rex").await;
    let code = last_code(&s, &email_first, "rex@example.com").await;
    confirm_forgot_password(&s, &email_client, "rex", &code, NEW_PASSWORD).await;
    assert_eq!(user_status(&s, &email_first, "rex").await, "CONFIRMED");

    let admin_only = s
        .pool(json!({ "AccountRecoverySetting": { "RecoveryMechanisms": [
            { "Priority": 1, "Name": "admin_only" } ] } }))
        .await;
    let admin_client = client(&s, &admin_only, json!({})).await;
    confirmed_user(&s, &admin_only, "rex", both).await;
    forgot_password_err(&s, &admin_client, "rex", "InvalidParameterException").await;
    s.stop().await;
}

#[tokio::test]
async fn admin_reset_sends_a_code_in_pools_that_verify_the_channel() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "AutoVerifiedAttributes": ["email"] })).await;
    let client_id = client(&s, &pool, json!({})).await;
    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    s.ok(
        "AdminResetUserPassword",
        json!({ "UserPoolId": pool, "Username": "olga" }),
    )
    .await;
    assert_eq!(user_status(&s, &pool, "olga").await, "RESET_REQUIRED");
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["reason"], "ForgotPassword");
    assert_eq!(messages[0]["recipient"], "olga@example.com");
    let code = code_in(messages[0]["body"].as_str().unwrap());
    confirm_forgot_password(&s, &client_id, "olga", &code, NEW_PASSWORD).await;
    assert_eq!(user_status(&s, &pool, "olga").await, "CONFIRMED");

    // A pool that does not verify email sends nothing; the user resets through ForgotPassword.
    let quiet = s.pool(json!({})).await;
    let quiet_client = client(&s, &quiet, json!({})).await;
    confirmed_user(&s, &quiet, "olga", VERIFIED_EMAIL).await;
    s.ok(
        "AdminResetUserPassword",
        json!({ "UserPoolId": quiet, "Username": "olga" }),
    )
    .await;
    assert!(sent(&s, &quiet).await.is_empty());
    forgot_password(&s, &quiet_client, "olga").await;
    let code = last_code(&s, &quiet, "olga@example.com").await;
    confirm_forgot_password(&s, &quiet_client, "olga", &code, NEW_PASSWORD).await;
    assert_eq!(user_status(&s, &quiet, "olga").await, "CONFIRMED");
    s.stop().await;
}

#[tokio::test]
async fn recovery_needs_the_secret_hash_of_secret_clients() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (client_id, secret) =
        client_with_defaults(&s, &pool, json!({ "GenerateSecret": true })).await;
    let (client_id, secret) = (client_id.as_str(), secret.unwrap());
    confirmed_user(&s, &pool, "olga", VERIFIED_EMAIL).await;
    let msg = forgot_password_err(&s, client_id, "olga", "NotAuthorizedException").await;
    assert_eq!(
        msg,
        format!("Client {client_id} is configured with secret but SECRET_HASH was not received")
    );
    let hash = cognate_crypto::digest::secret_hash(&secret, "olga", client_id);
    let mut body = forgot(client_id, "olga");
    body["SecretHash"] = json!(hash);
    public_ok(&s, "ForgotPassword", body).await;
    let code = last_code(&s, &pool, "olga@example.com").await;
    confirm_forgot_password_err(
        &s,
        client_id,
        "olga",
        &code,
        NEW_PASSWORD,
        "NotAuthorizedException",
    )
    .await;
    let mut body = confirm(client_id, "olga", &code, NEW_PASSWORD);
    body["SecretHash"] = json!(hash);
    public_ok(&s, "ConfirmForgotPassword", body).await;
    s.stop().await;
}
