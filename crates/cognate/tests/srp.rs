//! USER_SRP_AUTH over HTTP: PASSWORD_VERIFIER answered with the client's half of Cognito's
//! SRP (`cognate_crypto::srp::client`, checked byte for byte against pycognito in the crypto
//! crate's unit tests); the verifier written by every path that sets a password; wrong
//! passwords, replays and forgeries refused; lockout and NEW_PASSWORD_REQUIRED through the same
//! challenge machinery as the password flow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use base64::Engine;
use cognate_crypto::srp;
use common::TestServer;
use serde_json::{json, Value};
use support::*;

const SRP_FLOWS: &[&str] = &[
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

async fn srp_client(s: &TestServer, pool: &str) -> String {
    client(s, pool, json!({ "ExplicitAuthFlows": SRP_FLOWS }))
        .await
        .0
}

/// PASSWORD_VERIFIER's ChallengeResponses proving `password`, signed now.
fn proof(pool: &str, challenge: &Value, password: &str, a: &srp::client::Secret) -> Value {
    let now = srp::timestamp(time::OffsetDateTime::now_utc());
    password_verifier_proof(pool, challenge, password, a, &now)
}

/// A whole SRP sign-in; returns the status and answer of RespondToAuthChallenge.
async fn srp_sign_in(
    s: &TestServer,
    pool: &str,
    client: &str,
    username: &str,
    password: &str,
) -> (u16, Value) {
    let (a, challenge) = initiate_srp(s, client, username).await;
    let answer = proof(pool, &challenge, password, &a);
    s.call_unsigned(
        "RespondToAuthChallenge",
        password_verifier_answer(client, answer),
    )
    .await
}

async fn srp_tokens(s: &TestServer, pool: &str, client: &str, username: &str, password: &str) {
    let (status, out) = srp_sign_in(s, pool, client, username, password).await;
    assert_eq!(status, 200, "{out}");
    let tokens = &out["AuthenticationResult"];
    assert!(tokens["AccessToken"].is_string(), "{out}");
    assert!(tokens["RefreshToken"].is_string(), "{out}");
}

async fn srp_refused(s: &TestServer, pool: &str, client: &str, username: &str, password: &str) {
    let (status, out) = srp_sign_in(s, pool, client, username, password).await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "NotAuthorizedException", "{out}");
    assert_eq!(out["message"], "Incorrect username or password.", "{out}");
}

#[tokio::test]
async fn srp_signs_in_with_the_right_password_only() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "ada", &[]).await;

    let (a, challenge) = initiate_srp(&s, &client, "ada").await;
    let p = &challenge["ChallengeParameters"];
    assert_eq!(p["USER_ID_FOR_SRP"], "ada");
    assert_eq!(p["USERNAME"], "ada");
    for name in ["SALT", "SRP_B", "SECRET_BLOCK"] {
        assert!(p[name].as_str().is_some_and(|v| !v.is_empty()), "{name}");
    }
    let answer = proof(&pool, &challenge, PASSWORD, &a);
    let out = respond_ok(&s, password_verifier_answer(&client, answer.clone())).await;
    let access = out["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    assert_eq!(claims(access)["username"], "ada");

    // The same answer again: the secret block was used up.
    respond_err(
        &s,
        password_verifier_answer(&client, answer),
        "NotAuthorizedException",
    )
    .await;

    srp_refused(&s, &pool, &client, "ada", OTHER_PASSWORD).await;
    srp_tokens(&s, &pool, &client, "ada", PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn altered_signatures_and_secret_blocks_are_refused() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "bea", &[]).await;

    // An altered signature fails like a wrong password, and uses the challenge up.
    let (a, challenge) = initiate_srp(&s, &client, "bea").await;
    let mut answer = proof(&pool, &challenge, PASSWORD, &a);
    let sig = answer["PASSWORD_CLAIM_SIGNATURE"]
        .as_str()
        .unwrap()
        .to_string();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    answer["PASSWORD_CLAIM_SIGNATURE"] = json!(format!("{flipped}{}", &sig[1..]));
    let msg = respond_err(
        &s,
        password_verifier_answer(&client, answer.clone()),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");
    answer["PASSWORD_CLAIM_SIGNATURE"] = json!(sig);
    respond_err(
        &s,
        password_verifier_answer(&client, answer),
        "NotAuthorizedException",
    )
    .await;

    // A secret block the server did not issue (here: another challenge's, re-signed) opens
    // nothing.
    let (a, challenge) = initiate_srp(&s, &client, "bea").await;
    let mut forged = challenge.clone();
    forged["ChallengeParameters"]["SECRET_BLOCK"] =
        json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let answer = proof(&pool, &forged, PASSWORD, &a);
    respond_err(
        &s,
        password_verifier_answer(&client, answer),
        "NotAuthorizedException",
    )
    .await;
    // The genuine block with a Session naming it but a different block in the claim.
    let mut answer = proof(&pool, &challenge, PASSWORD, &a);
    answer["PASSWORD_CLAIM_SECRET_BLOCK"] = json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let mut body = password_verifier_answer(&client, answer);
    body["Session"] = challenge["Session"].clone();
    respond_err(&s, body, "NotAuthorizedException").await;
    s.stop().await;
}

/// The SECRET_BLOCK carries the challenge sealed: a flipped bit, another client, a password
/// changed since the challenge or the session's end each refuse the answer.
#[tokio::test]
async fn sealed_secret_blocks_are_bound_to_their_client_password_and_time() {
    let s = TestServer::start_with_clock().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    let other = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "cyd", &[]).await;
    let sign = |challenge: &Value, password: &str, a: &srp::client::Secret| {
        password_verifier_proof(&pool, challenge, password, a, &srp_timestamp(&s))
    };

    // One bit of the block flipped, the claim signed over the flipped block.
    let (a, challenge) = initiate_srp(&s, &client, "cyd").await;
    let block = challenge["ChallengeParameters"]["SECRET_BLOCK"]
        .as_str()
        .unwrap()
        .to_string();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&block)
        .unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    let mut flipped = challenge.clone();
    flipped["ChallengeParameters"]["SECRET_BLOCK"] =
        json!(base64::engine::general_purpose::STANDARD.encode(&bytes));
    let msg = respond_err(
        &s,
        password_verifier_answer(&client, sign(&flipped, PASSWORD, &a)),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");

    // Answered through another client of the same pool: not its challenge.
    let answer = sign(&challenge, PASSWORD, &a);
    let msg = respond_err(
        &s,
        password_verifier_answer(&other, answer.clone()),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");
    // ... which did not spend it: the right client's answer still signs in.
    respond_ok(&s, password_verifier_answer(&client, answer)).await;

    // The password changed between the challenge and the answer: the old one no longer
    // proves anything.
    let (a, challenge) = initiate_srp(&s, &client, "cyd").await;
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "cyd", "Password": OTHER_PASSWORD,
                "Permanent": true }),
    )
    .await;
    let msg = respond_err(
        &s,
        password_verifier_answer(&client, sign(&challenge, PASSWORD, &a)),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");

    // The client's AuthSessionValidity (default 3 minutes) ends the block.
    let (a, challenge) = initiate_srp(&s, &client, "cyd").await;
    s.advance(3 * 60 * 1000);
    let msg = respond_err(
        &s,
        password_verifier_answer(&client, sign(&challenge, OTHER_PASSWORD, &a)),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");
    let (a, challenge) = initiate_srp(&s, &client, "cyd").await;
    s.advance(3 * 60 * 1000 - 1);
    respond_ok(
        &s,
        password_verifier_answer(&client, sign(&challenge, OTHER_PASSWORD, &a)),
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn admin_initiate_auth_serves_srp_too() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "cy", &[]).await;
    let (a, big_a) = srp::client::start();
    let challenge = s
        .ok(
            "AdminInitiateAuth",
            json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "USER_SRP_AUTH",
                    "AuthParameters": { "USERNAME": "cy", "SRP_A": big_a } }),
        )
        .await;
    let answer = proof(&pool, &challenge, PASSWORD, &a);
    let out = s
        .ok(
            "AdminRespondToAuthChallenge",
            json!({ "UserPoolId": pool, "ClientId": client, "ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeResponses": answer }),
        )
        .await;
    assert!(out["AuthenticationResult"]["IdToken"].is_string(), "{out}");
    s.stop().await;
}

#[tokio::test]
async fn the_client_must_allow_srp_and_a_must_be_sound() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (password_only, _) = client(&s, &pool, json!({})).await;
    let client = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "dee", &[]).await;
    let (_, big_a) = srp::client::start();
    let msg = public_err(
        &s,
        "InitiateAuth",
        srp_auth(&password_only, "dee", &big_a),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "USER_SRP_AUTH flow not enabled for this client");
    for bad in ["0", srp::N_HEX, "not-hex"] {
        public_err(
            &s,
            "InitiateAuth",
            srp_auth(&client, "dee", bad),
            "InvalidParameterException",
        )
        .await;
    }
    s.stop().await;
}

#[tokio::test]
async fn unknown_users_follow_prevent_user_existence_errors() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (hiding, _) = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": SRP_FLOWS, "PreventUserExistenceErrors": "ENABLED" }),
    )
    .await;
    let (legacy, _) = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": SRP_FLOWS, "PreventUserExistenceErrors": "LEGACY" }),
    )
    .await;
    // Hiding: a challenge like any other, failing at the answer like a wrong password.
    srp_refused(&s, &pool, &hiding, "nobody", PASSWORD).await;
    let (_, first) = initiate_srp(&s, &hiding, "nobody").await;
    let (_, second) = initiate_srp(&s, &hiding, "nobody").await;
    assert_eq!(
        first["ChallengeParameters"]["SALT"],
        second["ChallengeParameters"]["SALT"]
    );
    let (_, big_a) = srp::client::start();
    public_err(
        &s,
        "InitiateAuth",
        srp_auth(&legacy, "nobody", &big_a),
        "UserNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn srp_failures_count_towards_the_lockout() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    confirmed_user(&s, &pool, "eve", &[]).await;
    for _ in 0..5 {
        srp_refused(&s, &pool, &client, "eve", OTHER_PASSWORD).await;
    }
    let (_, big_a) = srp::client::start();
    let msg = public_err(
        &s,
        "InitiateAuth",
        srp_auth(&client, "eve", &big_a),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Password attempts exceeded");
    s.stop().await;
}

/// AdminCreateUser's temporary password over SRP leads to NEW_PASSWORD_REQUIRED; the new
/// password, set through the challenge, works with SRP.
#[tokio::test]
async fn srp_leads_into_new_password_required() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": "fay", "TemporaryPassword": "Temp-Passw0rd",
                "MessageAction": "SUPPRESS" }),
    )
    .await;
    let (status, out) = srp_sign_in(&s, &pool, &client, "fay", "Temp-Passw0rd").await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{out}");
    let session = out["Session"].as_str().unwrap();
    respond_ok(&s, new_password_answer(&client, session, "fay", PASSWORD)).await;
    srp_tokens(&s, &pool, &client, "fay", PASSWORD).await;
    srp_refused(&s, &pool, &client, "fay", "Temp-Passw0rd").await;
    s.stop().await;
}

/// SignUp, ChangePassword and ConfirmForgotPassword all leave a verifier for the new password.
#[tokio::test]
async fn every_password_path_writes_the_verifier() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;

    // SignUp (then AdminConfirmSignUp).
    public_ok(
        &s,
        "SignUp",
        json!({ "ClientId": client, "Username": "gus", "Password": PASSWORD,
                "UserAttributes": attrs(&[("email", "gus@example.com")]) }),
    )
    .await;
    s.ok(
        "AdminConfirmSignUp",
        json!({ "UserPoolId": pool, "Username": "gus" }),
    )
    .await;
    srp_tokens(&s, &pool, &client, "gus", PASSWORD).await;

    // ChangePassword.
    let tokens = sign_in(&s, &client, "gus", PASSWORD).await;
    public_ok(
        &s,
        "ChangePassword",
        json!({ "AccessToken": tokens["AccessToken"], "PreviousPassword": PASSWORD,
                "ProposedPassword": OTHER_PASSWORD }),
    )
    .await;
    srp_tokens(&s, &pool, &client, "gus", OTHER_PASSWORD).await;
    srp_refused(&s, &pool, &client, "gus", PASSWORD).await;

    // ForgotPassword / ConfirmForgotPassword.
    s.ok(
        "AdminUpdateUserAttributes",
        json!({ "UserPoolId": pool, "Username": "gus",
                "UserAttributes": attrs(&[("email_verified", "true")]) }),
    )
    .await;
    public_ok(
        &s,
        "ForgotPassword",
        json!({ "ClientId": client, "Username": "gus" }),
    )
    .await;
    let code = code_sent_to(&s, "gus@example.com").await;
    public_ok(
        &s,
        "ConfirmForgotPassword",
        json!({ "ClientId": client, "Username": "gus", "ConfirmationCode": code,
                "Password": "Third-Passw0rd" }),
    )
    .await;
    srp_tokens(&s, &pool, &client, "gus", "Third-Passw0rd").await;

    // AdminSetUserPassword (permanent) is how confirmed_user sets its password, covered above;
    // a temporary one over SRP leads to NEW_PASSWORD_REQUIRED.
    s.ok(
        "AdminSetUserPassword",
        json!({ "UserPoolId": pool, "Username": "gus", "Password": "Fourth-Passw0rd",
                "Permanent": false }),
    )
    .await;
    let (status, out) = srp_sign_in(&s, &pool, &client, "gus", "Fourth-Passw0rd").await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{out}");
    s.stop().await;
}

/// A user whose password predates SRP (no verifier) cannot use SRP until a password sign-in
/// leaves a verifier; a verifier sealed for another user does not open.
#[tokio::test]
async fn users_without_a_verifier_get_one_at_their_next_password_sign_in() {
    use cognate_core::model::UserStatus;
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let client = srp_client(&s, &pool).await;
    let service = s.server.as_ref().unwrap().service.clone();
    let mut user = user_without_verifier(
        &s,
        &pool,
        "hal",
        "00000000-0000-4000-8000-000000000002",
        UserStatus::Confirmed,
    )
    .await;
    let now = user.modified_ms;
    let (_, big_a) = srp::client::start();
    let msg = public_err(
        &s,
        "InitiateAuth",
        srp_auth(&client, "hal", &big_a),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");

    sign_in(&s, &client, "hal", PASSWORD).await;
    let stored = service
        .store()
        .get_user(&pool, "hal")
        .await
        .unwrap()
        .unwrap();
    let sealed = stored
        .srp_verifier
        .clone()
        .expect("a verifier after sign-in");
    assert!(
        cognate_crypto::secretbox::is_sealed(&sealed),
        "the verifier is sealed: {sealed}"
    );
    assert_eq!(stored.modified_ms, now);
    srp_tokens(&s, &pool, &client, "hal", PASSWORD).await;

    // The same sealed verifier moved to another user does not open for them.
    user.username = "ivy".into();
    user.username_key = "ivy".into();
    user.sub = "00000000-0000-4000-8000-000000000003".into();
    user.srp_verifier = Some(sealed);
    service.store().insert_user(&user).await.unwrap();
    let (_, big_a) = srp::client::start();
    public_err(
        &s,
        "InitiateAuth",
        srp_auth(&client, "ivy", &big_a),
        "NotAuthorizedException",
    )
    .await;
    s.stop().await;
}
