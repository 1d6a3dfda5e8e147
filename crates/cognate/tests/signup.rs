//! Self-registration over HTTP: SignUp, ConfirmSignUp, ResendConfirmationCode,
//! AdminConfirmSignUp, and the code rules they share (expiry, single use, wrong-code limit,
//! send limit).

// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach them;
// a failed unwrap in one is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use std::sync::Arc;

use common::TestServer;
use serde_json::{json, Value};
use support::{
    admin_get_user, attr, attrs, client_with_defaults, code_in, last_code, other_code,
    password_auth, public_err, public_ok, sent,
};

const HOUR_MS: i64 = 3_600_000;
const PASSWORD: &str = "Sign-up-Pass1";

/// A pool that verifies email at sign-up, and a client of it.
async fn email_pool(s: &TestServer) -> (String, String) {
    let pool = s.pool(json!({ "AutoVerifiedAttributes": ["email"] })).await;
    let (client_id, _) = client_with_defaults(s, &pool, json!({})).await;
    (pool, client_id)
}

async fn sign_up(s: &TestServer, client_id: &str, username: &str, pairs: &[(&str, &str)]) -> Value {
    let body = json!({ "ClientId": client_id, "Username": username, "Password": PASSWORD,
                       "UserAttributes": attrs(pairs) });
    let (status, out) = s.call_unsigned("SignUp", body).await;
    assert_eq!(status, 200, "SignUp {username}: {out}");
    out
}

/// SignUp of `body` that must fail with `error_type`; returns the message.
async fn sign_up_err(s: &TestServer, body: Value, error_type: &str) -> String {
    public_err(s, "SignUp", body, error_type).await
}

/// SignUp's body with a name and [`PASSWORD`] only.
fn bare_sign_up(client_id: &str, username: &str) -> Value {
    json!({ "ClientId": client_id, "Username": username, "Password": PASSWORD })
}

fn confirm_body(client_id: &str, username: &str, code: &str) -> Value {
    json!({ "ClientId": client_id, "Username": username, "ConfirmationCode": code })
}

async fn confirm_sign_up(s: &TestServer, client_id: &str, username: &str, code: &str) -> Value {
    public_ok(s, "ConfirmSignUp", confirm_body(client_id, username, code)).await
}

/// ConfirmSignUp that must fail with `error_type`; returns the message.
async fn confirm_sign_up_err(
    s: &TestServer,
    client_id: &str,
    username: &str,
    code: &str,
    error_type: &str,
) -> String {
    public_err(
        s,
        "ConfirmSignUp",
        confirm_body(client_id, username, code),
        error_type,
    )
    .await
}

fn resend_body(client_id: &str, username: &str) -> Value {
    json!({ "ClientId": client_id, "Username": username })
}

async fn resend_code(s: &TestServer, client_id: &str, username: &str) -> Value {
    public_ok(
        s,
        "ResendConfirmationCode",
        resend_body(client_id, username),
    )
    .await
}

/// ResendConfirmationCode that must fail with `error_type`; returns the message.
async fn resend_code_err(
    s: &TestServer,
    client_id: &str,
    username: &str,
    error_type: &str,
) -> String {
    public_err(
        s,
        "ResendConfirmationCode",
        resend_body(client_id, username),
        error_type,
    )
    .await
}

// --- SignUp and ConfirmSignUp ---

#[tokio::test]
async fn sign_up_sends_a_code_and_confirming_verifies_the_email() {
    let s = TestServer::start().await;
    let (pool, client_id) = email_pool(&s).await;
    let out = sign_up(&s, &client_id, "alice", &[("email", "alice@example.com")]).await;
    assert_eq!(out["UserConfirmed"], false);
    let sub = out["UserSub"].as_str().unwrap().to_string();
    assert_eq!(sub.len(), 36);
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" })
    );
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m["channel"], "email");
    assert_eq!(m["recipient"], "alice@example.com");
    assert_eq!(m["subject"], "Your verification code");
    assert_eq!(m["reason"], "SignUp");
    let code = code_in(m["body"].as_str().unwrap());
    assert_eq!(m["body"], format!("Your verification code is {code}. "));

    let before = admin_get_user(&s, &pool, "alice").await;
    assert_eq!(before["UserStatus"], "UNCONFIRMED");
    assert_eq!(attr(&before["UserAttributes"], "sub"), Some(sub.as_str()));
    assert_eq!(attr(&before["UserAttributes"], "email_verified"), None);

    let out = confirm_sign_up(&s, &client_id, "alice", &code).await;
    assert_eq!(out, json!({}));
    let after = admin_get_user(&s, &pool, "alice").await;
    assert_eq!(after["UserStatus"], "CONFIRMED");
    assert_eq!(
        attr(&after["UserAttributes"], "email_verified"),
        Some("true")
    );

    // The code is spent, and the user is confirmed: Cognito refuses by status.
    let msg = confirm_sign_up_err(&s, &client_id, "alice", &code, "NotAuthorizedException").await;
    assert_eq!(msg, "User cannot be confirmed. Current status is CONFIRMED");
    s.stop().await;
}

#[tokio::test]
async fn a_user_signs_in_only_once_confirmed() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "AutoVerifiedAttributes": ["email"] })).await;
    let (client_id, _) = client_with_defaults(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
    )
    .await;
    sign_up(&s, &client_id, "abe", &[("email", "abe@example.com")]).await;
    let sign_in = password_auth(&client_id, "abe", PASSWORD);
    let msg = public_err(
        &s,
        "InitiateAuth",
        sign_in.clone(),
        "UserNotConfirmedException",
    )
    .await;
    assert_eq!(msg, "User is not confirmed.");
    let code = last_code(&s, &pool, "abe@example.com").await;
    confirm_sign_up(&s, &client_id, "abe", &code).await;
    let out = public_ok(&s, "InitiateAuth", sign_in).await;
    assert!(out["AuthenticationResult"]["IdToken"].is_string(), "{out}");
    s.stop().await;
}

#[tokio::test]
async fn without_auto_verification_nothing_is_sent_and_an_admin_confirms() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let out = sign_up(&s, &client_id, "bo", &[("email", "bo@example.com")]).await;
    assert_eq!(out["UserConfirmed"], false);
    assert!(out.get("CodeDeliveryDetails").is_none(), "{out}");
    assert!(sent(&s, &pool).await.is_empty());
    let msg = resend_code_err(&s, &client_id, "bo", "InvalidParameterException").await;
    assert_eq!(msg, "Cannot resend codes. Auto verification not turned on.");
    let msg = confirm_sign_up_err(&s, &client_id, "bo", "123456", "ExpiredCodeException").await;
    assert_eq!(msg, "Invalid code provided, please request a code again.");

    // AdminConfirmSignUp needs IAM, confirms, and verifies nothing.
    let (status, _) = s
        .call_unsigned(
            "AdminConfirmSignUp",
            json!({ "UserPoolId": pool, "Username": "bo" }),
        )
        .await;
    assert_ne!(status, 200);
    s.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": pool, "Username": "bo" }),
    )
    .await;
    let got = admin_get_user(&s, &pool, "bo").await;
    assert_eq!(got["UserStatus"], "CONFIRMED");
    assert_eq!(attr(&got["UserAttributes"], "email_verified"), None);
    let msg = s
        .err(
            "AdminConfirmSignUp",
            json!({ "UserPoolId": pool, "Username": "bo" }),
            "NotAuthorizedException",
        )
        .await;
    assert_eq!(msg, "User cannot be confirmed. Current status is CONFIRMED");
    let msg = s
        .err(
            "AdminConfirmSignUp",
            json!({ "UserPoolId": pool, "Username": "ghost" }),
            "UserNotFoundException",
        )
        .await;
    assert_eq!(msg, "User does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn the_phone_gets_the_code_when_both_are_verified_and_templates_apply() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({
            "AutoVerifiedAttributes": ["email", "phone_number"],
            "VerificationMessageTemplate": {
                "SmsMessage": "Hi {username}, your code: {####}",
                "EmailMessage": "Code {####}",
                "EmailSubject": "Welcome"
            }
        }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let out = sign_up(
        &s,
        &client_id,
        "cy",
        &[
            ("email", "cy@example.com"),
            ("phone_number", "+15555551212"),
        ],
    )
    .await;
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "+*******1212", "DeliveryMedium": "SMS", "AttributeName": "phone_number" })
    );
    let messages = sent(&s, &pool).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0]["channel"], "sms");
    assert_eq!(messages[0]["subject"], Value::Null);
    let code = code_in(messages[0]["body"].as_str().unwrap());
    assert_eq!(messages[0]["body"], format!("Hi cy, your code: {code}"));
    confirm_sign_up(&s, &client_id, "cy", &code).await;
    let got = admin_get_user(&s, &pool, "cy").await;
    assert_eq!(
        attr(&got["UserAttributes"], "phone_number_verified"),
        Some("true")
    );
    assert_eq!(attr(&got["UserAttributes"], "email_verified"), None);

    // Email-only user in the same pool: the email template.
    sign_up(&s, &client_id, "di", &[("email", "di@example.com")]).await;
    let m = sent(&s, &pool).await.pop().unwrap();
    assert_eq!(m["subject"], "Welcome");
    assert_eq!(
        m["body"],
        format!("Code {}", code_in(m["body"].as_str().unwrap()))
    );
    s.stop().await;
}

#[tokio::test]
async fn wrong_codes_are_counted_and_kill_the_code_after_five() {
    let s = TestServer::start().await;
    let (pool, client_id) = email_pool(&s).await;
    sign_up(&s, &client_id, "eve", &[("email", "eve@example.com")]).await;
    let code = last_code(&s, &pool, "eve@example.com").await;
    let wrong = other_code(&code);
    for _ in 0..4 {
        let msg = confirm_sign_up_err(&s, &client_id, "eve", &wrong, "CodeMismatchException").await;
        assert_eq!(msg, "Invalid verification code provided, please try again.");
    }
    // Four wrong guesses leave the code usable...
    sign_up(&s, &client_id, "eve2", &[("email", "eve2@example.com")]).await;
    let code2 = last_code(&s, &pool, "eve2@example.com").await;
    for _ in 0..4 {
        confirm_sign_up_err(
            &s,
            &client_id,
            "eve2",
            &other_code(&code2),
            "CodeMismatchException",
        )
        .await;
    }
    confirm_sign_up(&s, &client_id, "eve2", &code2).await;
    // ...the fifth kills it: even the right code is refused now.
    confirm_sign_up_err(&s, &client_id, "eve", &wrong, "CodeMismatchException").await;
    let msg = confirm_sign_up_err(&s, &client_id, "eve", &code, "LimitExceededException").await;
    assert_eq!(msg, "Attempt limit exceeded, please try after some time.");
    // A new code starts afresh.
    let out = resend_code(&s, &client_id, "eve").await;
    assert_eq!(out["CodeDeliveryDetails"]["Destination"], "e***@e***");
    let fresh = last_code(&s, &pool, "eve@example.com").await;
    confirm_sign_up(&s, &client_id, "eve", &fresh).await;
    s.stop().await;
}

#[tokio::test]
async fn codes_expire_after_a_day_and_a_resend_replaces_them() {
    let s = TestServer::start_with_clock().await;
    let (pool, client_id) = email_pool(&s).await;
    sign_up(&s, &client_id, "fay", &[("email", "fay@example.com")]).await;
    let first = last_code(&s, &pool, "fay@example.com").await;
    s.advance(24 * HOUR_MS - 1000);
    // Still valid just before the day is out: a wrong guess is a mismatch, not expiry.
    confirm_sign_up_err(
        &s,
        &client_id,
        "fay",
        &other_code(&first),
        "CodeMismatchException",
    )
    .await;
    s.advance(2000);
    let msg = confirm_sign_up_err(&s, &client_id, "fay", &first, "ExpiredCodeException").await;
    assert_eq!(msg, "Invalid code provided, please request a code again.");

    let out = resend_code(&s, &client_id, "fay").await;
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "f***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" })
    );
    let m = sent(&s, &pool).await.pop().unwrap();
    assert_eq!(m["reason"], "ResendCode");
    let second = code_in(m["body"].as_str().unwrap());
    // A resend replaces the code: the one before it is no longer accepted.
    let third = {
        resend_code(&s, &client_id, "fay").await;
        last_code(&s, &pool, "fay@example.com").await
    };
    if second != third {
        confirm_sign_up_err(&s, &client_id, "fay", &second, "CodeMismatchException").await;
    }
    confirm_sign_up(&s, &client_id, "fay", &third).await;
    s.stop().await;
}

#[tokio::test]
async fn sending_codes_is_limited_per_user_and_hour() {
    let s = TestServer::start_with_clock().await;
    let (pool, client_id) = email_pool(&s).await;
    sign_up(&s, &client_id, "gus", &[("email", "gus@example.com")]).await;
    // The sign-up code was the first of ten an hour.
    for _ in 0..9 {
        resend_code(&s, &client_id, "gus").await;
    }
    let msg = resend_code_err(&s, &client_id, "gus", "LimitExceededException").await;
    assert_eq!(msg, "Attempt limit exceeded, please try after some time.");
    assert_eq!(sent(&s, &pool).await.len(), 10);
    // The last code sent still works; the limit only stops new ones.
    s.advance(HOUR_MS);
    resend_code(&s, &client_id, "gus").await;
    let code = last_code(&s, &pool, "gus@example.com").await;
    confirm_sign_up(&s, &client_id, "gus", &code).await;
    s.stop().await;
}

#[tokio::test]
async fn resend_and_confirm_for_unknown_confirmed_and_hidden_users() {
    let s = TestServer::start().await;
    let (pool, client_id) = email_pool(&s).await;
    let msg = resend_code_err(&s, &client_id, "ghost", "UserNotFoundException").await;
    assert_eq!(msg, "Username/client id combination not found.");
    let msg = confirm_sign_up_err(&s, &client_id, "ghost", "123456", "UserNotFoundException").await;
    assert_eq!(msg, "Username/client id combination not found.");

    sign_up(&s, &client_id, "hal", &[("email", "hal@example.com")]).await;
    s.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": pool, "Username": "hal" }),
    )
    .await;
    let msg = resend_code_err(&s, &client_id, "hal", "InvalidParameterException").await;
    assert_eq!(msg, "User is already confirmed.");

    // A client that hides user existence answers as if a code went out, and sends nothing.
    let (hiding, _) = client_with_defaults(
        &s,
        &pool,
        json!({ "PreventUserExistenceErrors": "ENABLED" }),
    )
    .await;
    let before = sent(&s, &pool).await.len();
    let out = resend_code(&s, &hiding, "ghost@example.com").await;
    assert_eq!(
        out["CodeDeliveryDetails"],
        json!({ "Destination": "g***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" })
    );
    let again = resend_code(&s, &hiding, "ghost").await;
    assert_eq!(again["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    assert_eq!(sent(&s, &pool).await.len(), before);
    let msg = confirm_sign_up_err(&s, &hiding, "ghost", "123456", "CodeMismatchException").await;
    assert_eq!(msg, "Invalid verification code provided, please try again.");
    s.stop().await;
}

// --- what SignUp refuses ---

#[tokio::test]
async fn clients_with_a_secret_need_the_secret_hash() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "AutoVerifiedAttributes": ["email"] })).await;
    let (client_id, secret) =
        client_with_defaults(&s, &pool, json!({ "GenerateSecret": true })).await;
    let secret = secret.unwrap();
    let body = |hash: Option<&str>| {
        let mut b = json!({ "ClientId": client_id, "Username": "ian", "Password": PASSWORD,
                            "UserAttributes": attrs(&[("email", "ian@example.com")]) });
        if let Some(h) = hash {
            b["SecretHash"] = json!(h);
        }
        b
    };
    let msg = sign_up_err(&s, body(None), "NotAuthorizedException").await;
    assert_eq!(
        msg,
        format!("Client {client_id} is configured with secret but SECRET_HASH was not received")
    );
    let wrong = cognate_crypto::digest::secret_hash(&secret, "someone-else", &client_id);
    let msg = sign_up_err(&s, body(Some(&wrong)), "NotAuthorizedException").await;
    assert_eq!(
        msg,
        format!("Unable to verify secret hash for client {client_id}")
    );
    let right = cognate_crypto::digest::secret_hash(&secret, "ian", &client_id);
    public_ok(&s, "SignUp", body(Some(&right))).await;
    let code = last_code(&s, &pool, "ian@example.com").await;
    confirm_sign_up_err(&s, &client_id, "ian", &code, "NotAuthorizedException").await;
    let mut confirm = confirm_body(&client_id, "ian", &code);
    confirm["SecretHash"] = json!(right);
    public_ok(&s, "ConfirmSignUp", confirm).await;
    let msg = sign_up_err(
        &s,
        bare_sign_up("nosuchclient1", "x"),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(msg, "User pool client nosuchclient1 does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn admin_only_pools_refuse_sign_up() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "AdminCreateUserConfig": { "AllowAdminCreateUserOnly": true } }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let msg = sign_up_err(&s, bare_sign_up(&client_id, "jo"), "NotAuthorizedException").await;
    assert_eq!(msg, "SignUp is not permitted for this user pool");
    s.stop().await;
}

#[tokio::test]
async fn passwords_attributes_and_names_are_checked() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [{ "Name": "email", "AttributeDataType": "String", "Required": true }] }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let body = |username: &str, password: Option<&str>, pairs: &[(&str, &str)]| {
        let mut b = json!({ "ClientId": client_id, "Username": username,
                            "UserAttributes": attrs(pairs) });
        if let Some(p) = password {
            b["Password"] = json!(p);
        }
        b
    };
    let msg = sign_up_err(
        &s,
        body("kim", Some("short"), &[("email", "kim@example.com")]),
        "InvalidPasswordException",
    )
    .await;
    assert_eq!(
        msg,
        "Password did not conform with policy: Password not long enough"
    );
    let msg = sign_up_err(
        &s,
        body("kim", Some("longenough1!"), &[("email", "kim@example.com")]),
        "InvalidPasswordException",
    )
    .await;
    assert_eq!(
        msg,
        "Password did not conform with policy: Password must have uppercase characters"
    );
    let msg = sign_up_err(
        &s,
        body("kim", None, &[("email", "kim@example.com")]),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
    );
    let msg = sign_up_err(
        &s,
        body("kim", Some(PASSWORD), &[("name", "Kim")]),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Attributes did not conform to the schema: email: The attribute is required"
    );
    let msg = sign_up_err(
        &s,
        body("kim", Some(PASSWORD), &[("email", "not-an-address")]),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Invalid email address format.");
    let msg = sign_up_err(
        &s,
        body(
            "kim",
            Some(PASSWORD),
            &[("email", "kim@example.com"), ("custom:nope", "x")],
        ),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema."
    );
    let msg = sign_up_err(
        &s,
        body(
            "kim",
            Some(PASSWORD),
            &[("email", "kim@example.com"), ("email_verified", "true")],
        ),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "A client attempted to write unauthorized attribute");
    let (narrow, _) =
        client_with_defaults(&s, &pool, json!({ "WriteAttributes": ["email"] })).await;
    let mut b = body(
        "kim",
        Some(PASSWORD),
        &[("email", "kim@example.com"), ("name", "Kim")],
    );
    b["ClientId"] = json!(narrow);
    sign_up_err(&s, b, "NotAuthorizedException").await;

    sign_up(&s, &client_id, "kim", &[("email", "kim@example.com")]).await;
    let msg = sign_up_err(
        &s,
        body("kim", Some(PASSWORD), &[("email", "other@example.com")]),
        "UsernameExistsException",
    )
    .await;
    assert_eq!(msg, "User already exists");
    let got = admin_get_user(&s, &pool, "kim").await;
    assert_eq!(got["UserStatus"], "UNCONFIRMED");
    assert_eq!(
        attr(&got["UserAttributes"], "email"),
        Some("kim@example.com")
    );
    s.stop().await;
}

#[tokio::test]
async fn passwordless_pools_take_sign_ups_without_a_password() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Policies": { "SignInPolicy": { "AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"] } } }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    public_ok(
        &s,
        "SignUp",
        json!({ "ClientId": client_id, "Username": "lee",
                "UserAttributes": attrs(&[("email", "lee@example.com")]) }),
    )
    .await;
    assert_eq!(
        admin_get_user(&s, &pool, "lee").await["UserStatus"],
        "UNCONFIRMED"
    );
    s.stop().await;
}

#[tokio::test]
async fn email_as_username_pools_store_the_sub_and_keep_addresses_unique() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"] }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let msg = sign_up_err(
        &s,
        bare_sign_up(&client_id, "mo"),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Username should be an email.");
    let out = sign_up(&s, &client_id, "mo@example.com", &[]).await;
    let sub = out["UserSub"].as_str().unwrap();
    let got = admin_get_user(&s, &pool, "mo@example.com").await;
    assert_eq!(got["Username"], sub);
    assert_eq!(
        attr(&got["UserAttributes"], "email"),
        Some("mo@example.com")
    );
    let msg = sign_up_err(
        &s,
        bare_sign_up(&client_id, "mo@example.com"),
        "UsernameExistsException",
    )
    .await;
    assert_eq!(msg, "An account with the given email already exists.");
    // Confirmation by the email, as the user knows themselves.
    let code = last_code(&s, &pool, "mo@example.com").await;
    confirm_sign_up(&s, &client_id, "mo@example.com", &code).await;
    assert_eq!(
        admin_get_user(&s, &pool, "mo@example.com").await["UserStatus"],
        "CONFIRMED"
    );
    s.stop().await;
}

#[tokio::test]
async fn confirming_a_verified_alias_held_by_another_user_needs_force() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "AliasAttributes": ["email"], "AutoVerifiedAttributes": ["email"] }))
        .await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    for name in ["nia", "ned"] {
        sign_up(&s, &client_id, name, &[("email", "shared@example.com")]).await;
    }
    let codes = sent(&s, &pool).await;
    let nia_code = code_in(codes[0]["body"].as_str().unwrap());
    let ned_code = code_in(codes[1]["body"].as_str().unwrap());
    confirm_sign_up(&s, &client_id, "nia", &nia_code).await;
    let msg = confirm_sign_up_err(&s, &client_id, "ned", &ned_code, "AliasExistsException").await;
    assert_eq!(msg, "An account with the given email already exists.");
    // The code was not spent by the refusal.
    let mut forced = confirm_body(&client_id, "ned", &ned_code);
    forced["ForceAliasCreation"] = json!(true);
    public_ok(&s, "ConfirmSignUp", forced).await;
    let ned = admin_get_user(&s, &pool, "ned").await;
    assert_eq!(attr(&ned["UserAttributes"], "email_verified"), Some("true"));
    let nia = admin_get_user(&s, &pool, "nia").await;
    assert_eq!(
        attr(&nia["UserAttributes"], "email_verified"),
        Some("false")
    );
    // The alias now finds ned.
    assert_eq!(
        admin_get_user(&s, &pool, "shared@example.com").await["Username"],
        "ned"
    );
    s.stop().await;
}

// --- concurrency ---

async fn race(s: Arc<TestServer>, client_id: &str, username: &str, n: usize) -> Vec<(u16, Value)> {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let s = s.clone();
        let body = json!({ "ClientId": client_id, "Username": username, "Password": PASSWORD,
                           "UserAttributes": attrs(&[("email", &format!("racer{i}@example.com"))]) });
        tasks.spawn(async move { s.call_unsigned("SignUp", body).await });
    }
    let mut out = Vec::new();
    while let Some(r) = tasks.join_next().await {
        out.push(r.unwrap());
    }
    out
}

async fn user_count(s: &TestServer, pool: &str) -> usize {
    s.ok("ListUsers", json!({ "UserPoolId": pool })).await["Users"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn twenty_concurrent_sign_ups_of_one_name_make_one_user() {
    let s = Arc::new(TestServer::start().await);
    let pool = s.pool(json!({})).await;
    let (client_id, _) = client_with_defaults(&s, &pool, json!({})).await;
    let results = race(s.clone(), &client_id, "racer", 20).await;
    let ok = results.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(ok, 1, "{results:?}");
    for (status, out) in &results {
        if *status != 200 {
            assert_eq!(out["__type"], "UsernameExistsException", "{out}");
            assert_eq!(out["message"], "User already exists");
        }
    }
    assert_eq!(user_count(&s, &pool).await, 1);

    // With emails as usernames, the names differ (each its own sub) but the address is one:
    // never two users, and each refusal is UsernameExists.
    let by_email = s.pool(json!({ "UsernameAttributes": ["email"] })).await;
    let (email_client, _) = client_with_defaults(&s, &by_email, json!({})).await;
    let results = race(s.clone(), &email_client, "same@example.com", 20).await;
    let ok = results.iter().filter(|(status, _)| *status == 200).count();
    assert!(ok <= 1, "{results:?}");
    for (status, out) in &results {
        if *status != 200 {
            assert_eq!(out["__type"], "UsernameExistsException", "{out}");
        }
    }
    assert_eq!(user_count(&s, &by_email).await, ok);
    match Arc::try_unwrap(s) {
        Ok(s) => s.stop().await,
        Err(_) => panic!("server still shared"),
    }
}
