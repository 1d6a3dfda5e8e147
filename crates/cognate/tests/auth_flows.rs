//! Sign-in over HTTP: InitiateAuth and AdminInitiateAuth with the password flows,
//! RespondToAuthChallenge and AdminRespondToAuthChallenge with NEW_PASSWORD_REQUIRED, and the
//! rules around them (client flows and secrets, user states, existence errors, aliases, case,
//! lockout, session and temporary-password expiry).
// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach
// them; a failed unwrap in a test helper is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use cognate_core::model::UserStatus;
use cognate_crypto::digest::secret_hash;
use common::TestServer;
use serde_json::{json, Value};
use support::*;

const TEMPORARY: &str = "Temp-Passw0rd";

/// AdminCreateUser with a known temporary password (FORCE_CHANGE_PASSWORD).
async fn invited_user(s: &TestServer, pool: &str, username: &str, pairs: &[(&str, &str)]) {
    s.ok(
        "AdminCreateUser",
        json!({ "UserPoolId": pool, "Username": username, "UserAttributes": attrs(pairs),
                "TemporaryPassword": TEMPORARY, "MessageAction": "SUPPRESS" }),
    )
    .await;
}

/// Starts a sign-in with the temporary password; returns the NEW_PASSWORD_REQUIRED session.
async fn open_session(s: &TestServer, client: &str, username: &str) -> String {
    let out = public_ok(
        s,
        "InitiateAuth",
        password_auth(client, username, TEMPORARY),
    )
    .await;
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{out}");
    out["Session"].as_str().unwrap().to_string()
}

/// Signs in with a wrong password, which must be refused in Cognito's words.
async fn wrong_password_refused(s: &TestServer, client: &str, username: &str) {
    let msg = sign_in_err(
        s,
        client,
        username,
        "Wrong-Passw0rd",
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");
}

// --- the life of an invited user ---

#[tokio::test]
async fn an_invited_user_chooses_a_password_then_gets_tokens() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    invited_user(&s, &pool, "ines", &[("email", "ines@example.com")]).await;

    let out = public_ok(
        &s,
        "InitiateAuth",
        password_auth(&client, "ines", TEMPORARY),
    )
    .await;
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED", "{out}");
    assert!(out.get("AuthenticationResult").is_none());
    let params = &out["ChallengeParameters"];
    assert_eq!(params["USER_ID_FOR_SRP"], "ines");
    assert_eq!(params["requiredAttributes"], "[]");
    let shown: Value = serde_json::from_str(params["userAttributes"].as_str().unwrap()).unwrap();
    assert_eq!(shown["email"], "ines@example.com");
    assert!(shown.get("sub").is_none());
    let session = out["Session"].as_str().unwrap().to_string();
    assert!(session.len() >= 20);

    // A password the policy refuses keeps the session usable.
    let msg = respond_err(
        &s,
        new_password_answer(&client, &session, "ines", "weak"),
        "InvalidPasswordException",
    )
    .await;
    assert_eq!(
        msg,
        "Password does not conform to policy: Password not long enough"
    );
    let out = respond_ok(&s, new_password_answer(&client, &session, "ines", PASSWORD)).await;
    let result = &out["AuthenticationResult"];
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    assert!(result["IdToken"].is_string());
    assert!(result["AccessToken"].is_string());
    assert!(result["RefreshToken"].is_string());
    assert_eq!(out["ChallengeParameters"], json!({}));
    assert_eq!(user_status(&s, &pool, "ines").await, "CONFIRMED");

    // The session answered once.
    let msg = respond_err(
        &s,
        new_password_answer(&client, &session, "ines", PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");

    // The new password signs in; the temporary one no longer does.
    sign_in(&s, &client, "ines", PASSWORD).await;
    let msg = sign_in_err(&s, &client, "ines", TEMPORARY, "NotAuthorizedException").await;
    assert_eq!(msg, "Incorrect username or password.");
    s.stop().await;
}

#[tokio::test]
async fn required_attributes_are_asked_for_and_must_be_given() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [
            { "Name": "name", "AttributeDataType": "String", "Required": true, "Mutable": true }
        ] }))
        .await;
    let (client, _) = client(&s, &pool, json!({})).await;
    invited_user(&s, &pool, "nadia", &[]).await;
    let out = public_ok(
        &s,
        "InitiateAuth",
        password_auth(&client, "nadia", TEMPORARY),
    )
    .await;
    assert_eq!(
        out["ChallengeParameters"]["requiredAttributes"],
        r#"["userAttributes.name"]"#
    );
    let session = out["Session"].as_str().unwrap().to_string();
    let msg = respond_err(
        &s,
        new_password_answer(&client, &session, "nadia", PASSWORD),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Invalid attributes given, name is missing");
    // Attributes the client may not write are refused.
    let mut body = new_password_answer(&client, &session, "nadia", PASSWORD);
    body["ChallengeResponses"]["userAttributes.name"] = json!("Nadia");
    body["ChallengeResponses"]["userAttributes.email_verified"] = json!("true");
    let msg = respond_err(&s, body.clone(), "NotAuthorizedException").await;
    assert_eq!(msg, "A client attempted to write unauthorized attribute");
    // That refusal used the session up; start again.
    let out = public_ok(
        &s,
        "InitiateAuth",
        password_auth(&client, "nadia", TEMPORARY),
    )
    .await;
    let mut body =
        new_password_answer(&client, out["Session"].as_str().unwrap(), "nadia", PASSWORD);
    body["ChallengeResponses"]["userAttributes.name"] = json!("Nadia");
    let out = respond_ok(&s, body).await;
    let id = claims(out["AuthenticationResult"]["IdToken"].as_str().unwrap());
    assert_eq!(id["name"], "Nadia");
    s.stop().await;
}

#[tokio::test]
async fn a_session_belongs_to_its_client_user_and_challenge() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    let (other_client, _) = support::client(&s, &pool, json!({})).await;
    invited_user(&s, &pool, "olga", &[]).await;
    invited_user(&s, &pool, "oscar", &[]).await;

    // Another user's name.
    let session = open_session(&s, &client, "olga").await;
    let msg = respond_err(
        &s,
        new_password_answer(&client, &session, "oscar", PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");
    // Another client.
    let session = open_session(&s, &client, "olga").await;
    respond_err(
        &s,
        new_password_answer(&other_client, &session, "olga", PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    // A session nobody issued.
    respond_err(
        &s,
        new_password_answer(&client, &"x".repeat(40), "olga", PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    // Another challenge name is refused without using the session up.
    let session = open_session(&s, &client, "olga").await;
    let mut body = new_password_answer(&client, &session, "olga", PASSWORD);
    body["ChallengeName"] = json!("SMS_MFA");
    respond_err(&s, body, "InvalidParameterException").await;
    let out = respond_ok(&s, new_password_answer(&client, &session, "olga", PASSWORD)).await;
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    // USERNAME is required.
    let mut body = new_password_answer(&client, &session, "olga", PASSWORD);
    body["ChallengeResponses"]
        .as_object_mut()
        .unwrap()
        .remove("USERNAME");
    let msg = respond_err(&s, body, "InvalidParameterException").await;
    assert_eq!(msg, "Missing required parameter USERNAME");
    s.stop().await;
}

#[tokio::test]
async fn sessions_and_temporary_passwords_expire() {
    let s = TestServer::start_with_clock().await;
    let pool = s
        .pool(json!({ "Policies": { "PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true,
            "TemporaryPasswordValidityDays": 1 } } }))
        .await;
    let (client, _) = client(&s, &pool, json!({ "AuthSessionValidity": 5 })).await;
    invited_user(&s, &pool, "tess", &[]).await;

    let out = public_ok(
        &s,
        "InitiateAuth",
        password_auth(&client, "tess", TEMPORARY),
    )
    .await;
    let session = out["Session"].as_str().unwrap().to_string();
    s.advance(5 * 60_000 + 1);
    let msg = respond_err(
        &s,
        new_password_answer(&client, &session, "tess", PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid session for the user, session is expired.");

    s.advance(24 * 3_600_000);
    let msg = sign_in_err(&s, &client, "tess", TEMPORARY, "NotAuthorizedException").await;
    assert_eq!(
        msg,
        "Temporary password has expired and must be reset by an administrator."
    );
    // A wrong password still says so first.
    wrong_password_refused(&s, &client, "tess").await;
    s.stop().await;
}

// --- passwords and lockout ---

#[tokio::test]
async fn a_wrong_password_is_refused_in_cognitos_words() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "walt", &[]).await;
    wrong_password_refused(&s, &client, "walt").await;
    let msg = public_err(
        &s,
        "InitiateAuth",
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client,
                "AuthParameters": { "USERNAME": "walt" } }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Missing required parameter PASSWORD");
    let msg = public_err(
        &s,
        "InitiateAuth",
        json!({ "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Missing required parameter USERNAME");
    s.stop().await;
}

#[tokio::test]
async fn five_failures_lock_the_user_for_a_growing_time() {
    let s = TestServer::start_with_clock().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "larry", &[]).await;
    let wrong = "Wrong-Passw0rd";
    for _ in 0..4 {
        sign_in_err(&s, &client, "larry", wrong, "NotAuthorizedException").await;
    }
    // Four failures do not lock.
    sign_in(&s, &client, "larry", PASSWORD).await;
    // The success cleared the count: four more still do not lock...
    for _ in 0..4 {
        sign_in_err(&s, &client, "larry", wrong, "NotAuthorizedException").await;
    }
    // ...and the fifth does, for one second, even against the right password.
    let msg = sign_in_err(&s, &client, "larry", wrong, "NotAuthorizedException").await;
    assert_eq!(msg, "Incorrect username or password.");
    let msg = sign_in_err(&s, &client, "larry", PASSWORD, "NotAuthorizedException").await;
    assert_eq!(msg, "Password attempts exceeded");
    s.advance(1_001);
    // The sixth failure locks for two seconds.
    sign_in_err(&s, &client, "larry", wrong, "NotAuthorizedException").await;
    s.advance(1_001);
    let msg = sign_in_err(&s, &client, "larry", PASSWORD, "NotAuthorizedException").await;
    assert_eq!(msg, "Password attempts exceeded");
    s.advance(1_000);
    sign_in(&s, &client, "larry", PASSWORD).await;
    // Cleared: one failure does not lock.
    sign_in_err(&s, &client, "larry", wrong, "NotAuthorizedException").await;
    sign_in(&s, &client, "larry", PASSWORD).await;
    s.stop().await;
}

// --- user states ---

#[tokio::test]
async fn a_disabled_user_is_refused() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "dora", &[]).await;
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "dora" }),
    )
    .await;
    let msg = sign_in_err(&s, &client, "dora", PASSWORD, "NotAuthorizedException").await;
    assert_eq!(msg, "User is disabled.");
    s.ok(
        "AdminEnableUser",
        json!({ "UserPoolId": pool, "Username": "dora" }),
    )
    .await;
    sign_in(&s, &client, "dora", PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn an_unconfirmed_user_with_the_right_password_is_not_confirmed() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    user_without_verifier(
        &s,
        &pool,
        "uma",
        "00000000-0000-4000-8000-000000000001",
        UserStatus::Unconfirmed,
    )
    .await;
    let msg = sign_in_err(&s, &client, "uma", PASSWORD, "UserNotConfirmedException").await;
    assert_eq!(msg, "User is not confirmed.");
    wrong_password_refused(&s, &client, "uma").await;
    s.stop().await;
}

#[tokio::test]
async fn a_user_whose_password_was_reset_must_reset_it() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(
        &s,
        &pool,
        "rita",
        &[("email", "rita@example.com"), ("email_verified", "true")],
    )
    .await;
    s.ok(
        "AdminResetUserPassword",
        json!({ "UserPoolId": pool, "Username": "rita" }),
    )
    .await;
    let msg = sign_in_err(
        &s,
        &client,
        "rita",
        PASSWORD,
        "PasswordResetRequiredException",
    )
    .await;
    assert_eq!(msg, "Password reset required for the user");
    s.stop().await;
}

// --- client settings ---

#[tokio::test]
async fn a_client_with_a_secret_needs_the_secret_hash() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (client, secret) = client(&s, &pool, json!({ "GenerateSecret": true })).await;
    let secret = secret.unwrap();
    confirmed_user(&s, &pool, "sam", &[]).await;
    let msg = sign_in_err(&s, &client, "sam", PASSWORD, "NotAuthorizedException").await;
    assert_eq!(
        msg,
        format!("Client {client} is configured with secret but SECRET_HASH was not received")
    );
    let mut body = password_auth(&client, "sam", PASSWORD);
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash("wrong", "sam", &client));
    let msg = public_err(&s, "InitiateAuth", body.clone(), "NotAuthorizedException").await;
    assert_eq!(
        msg,
        format!("Unable to verify secret hash for client {client}")
    );
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash(&secret, "sam", &client));
    let out = public_ok(&s, "InitiateAuth", body).await;
    let refresh = out["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string();

    // Refresh needs it too, over the user's username.
    let body = refresh_auth(&client, &refresh);
    public_err(&s, "InitiateAuth", body.clone(), "NotAuthorizedException").await;
    let mut body = body;
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_hash(&secret, "sam", &client));
    let out = public_ok(&s, "InitiateAuth", body).await;
    assert!(out["AuthenticationResult"]["AccessToken"].is_string());
    s.stop().await;
}

#[tokio::test]
async fn a_flow_the_client_does_not_allow_is_refused() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (srp_only, _) = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"] }),
    )
    .await;
    confirmed_user(&s, &pool, "fred", &[]).await;
    let msg = sign_in_err(&s, &srp_only, "fred", PASSWORD, "InvalidParameterException").await;
    assert_eq!(msg, "USER_PASSWORD_AUTH flow not enabled for this client");
    let msg = s
        .err(
            "AdminInitiateAuth",
            json!({ "UserPoolId": pool, "ClientId": srp_only, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": "fred", "PASSWORD": PASSWORD } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client"
    );
    // The legacy names count for their flows.
    let (legacy, _) = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["USER_PASSWORD_AUTH"] }),
    )
    .await;
    let result = sign_in(&s, &legacy, "fred", PASSWORD).await;
    let refresh = result["RefreshToken"].as_str().unwrap();
    refresh_sign_in(&s, &legacy, refresh).await;
    // The admin flows are not InitiateAuth's.
    let mut body = password_auth(&legacy, "fred", PASSWORD);
    body["AuthFlow"] = json!("ADMIN_USER_PASSWORD_AUTH");
    let msg = public_err(&s, "InitiateAuth", body, "InvalidParameterException").await;
    assert_eq!(msg, "Initiate Auth method not supported.");
    // An unknown client.
    public_err(
        &s,
        "InitiateAuth",
        password_auth("nosuchclient", "fred", PASSWORD),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn flows_not_served_yet_answer_invalid_parameter() {
    let s = TestServer::start().await;
    let (pool, _) = pool_and_client(&s, json!({}), json!({})).await;
    let (default_client, _) = client(&s, &pool, json!({ "ExplicitAuthFlows": null })).await;
    confirmed_user(&s, &pool, "cleo", &[]).await;
    // USER_SRP_AUTH is served now: tests/srp.rs.
    let body = json!({ "AuthFlow": "CUSTOM_AUTH", "ClientId": default_client,
                       "AuthParameters": { "USERNAME": "cleo" } });
    let msg = public_err(&s, "InitiateAuth", body, "InvalidParameterException").await;
    assert_eq!(
        msg,
        "Custom auth lambda trigger is not configured for the user pool."
    );
    s.stop().await;
}

#[tokio::test]
async fn prevent_user_existence_errors_hides_unknown_users() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (hiding, _) = client(
        &s,
        &pool,
        json!({ "PreventUserExistenceErrors": "ENABLED" }),
    )
    .await;
    let (legacy, _) = client(&s, &pool, json!({ "PreventUserExistenceErrors": "LEGACY" })).await;
    confirmed_user(&s, &pool, "hugo", &[]).await;
    let unknown = sign_in_err(&s, &hiding, "nobody", PASSWORD, "NotAuthorizedException").await;
    let wrong = sign_in_err(
        &s,
        &hiding,
        "hugo",
        "Wrong-Passw0rd",
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(unknown, wrong);
    assert_eq!(unknown, "Incorrect username or password.");
    let msg = sign_in_err(&s, &legacy, "nobody", PASSWORD, "UserNotFoundException").await;
    assert_eq!(msg, "User does not exist.");
    s.stop().await;
}

// --- how users are named ---

#[tokio::test]
async fn a_verified_email_alias_signs_in() {
    let s = TestServer::start().await;
    let (pool, client) =
        pool_and_client(&s, json!({ "AliasAttributes": ["email"] }), json!({})).await;
    confirmed_user(
        &s,
        &pool,
        "alba",
        &[("email", "alba@example.com"), ("email_verified", "true")],
    )
    .await;
    confirmed_user(&s, &pool, "bert", &[("email", "bert@example.com")]).await;
    let result = sign_in(&s, &client, "alba@example.com", PASSWORD).await;
    let id = claims(result["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:username"], "alba");
    // An unverified email is not an alias.
    sign_in_err(
        &s,
        &client,
        "bert@example.com",
        PASSWORD,
        "UserNotFoundException",
    )
    .await;
    sign_in(&s, &client, "bert", PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn an_email_username_signs_in_and_the_username_is_the_sub() {
    let s = TestServer::start().await;
    let (pool, client) =
        pool_and_client(&s, json!({ "UsernameAttributes": ["email"] }), json!({})).await;
    confirmed_user(&s, &pool, "emma@example.com", &[]).await;
    let result = sign_in(&s, &client, "emma@example.com", PASSWORD).await;
    let id = claims(result["IdToken"].as_str().unwrap());
    assert_eq!(id["cognito:username"], id["sub"]);
    assert_eq!(id["email"], "emma@example.com");
    s.stop().await;
}

#[tokio::test]
async fn case_insensitive_pools_ignore_the_case_of_usernames() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(
        &s,
        json!({ "UsernameConfiguration": { "CaseSensitive": false } }),
        json!({}),
    )
    .await;
    confirmed_user(&s, &pool, "Carla", &[]).await;
    sign_in(&s, &client, "CARLA", PASSWORD).await;
    sign_in(&s, &client, "carla", PASSWORD).await;

    let (strict_pool, strict) = pool_and_client(
        &s,
        json!({ "UsernameConfiguration": { "CaseSensitive": true } }),
        json!({}),
    )
    .await;
    confirmed_user(&s, &strict_pool, "Carla", &[]).await;
    sign_in(&s, &strict, "Carla", PASSWORD).await;
    sign_in_err(&s, &strict, "CARLA", PASSWORD, "UserNotFoundException").await;
    s.stop().await;
}

// --- the admin forms ---

#[tokio::test]
async fn admin_sign_in_needs_sigv4_and_answers_the_same_challenges() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    invited_user(&s, &pool, "ada", &[]).await;
    let body = json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                       "AuthParameters": { "USERNAME": "ada", "PASSWORD": TEMPORARY } });
    let (status, out) = s.call_unsigned("AdminInitiateAuth", body.clone()).await;
    assert_eq!(status, 403, "{out}");
    assert_eq!(out["__type"], "MissingAuthenticationTokenException");

    let out = s.ok("AdminInitiateAuth", body).await;
    assert_eq!(out["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let respond = json!({
        "UserPoolId": pool, "ClientId": client, "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": out["Session"],
        "ChallengeResponses": { "USERNAME": "ada", "NEW_PASSWORD": PASSWORD },
    });
    let (status, _) = s
        .call_unsigned("AdminRespondToAuthChallenge", respond.clone())
        .await;
    assert_eq!(status, 403);
    let out = s.ok("AdminRespondToAuthChallenge", respond).await;
    assert!(out["AuthenticationResult"]["RefreshToken"].is_string());

    // ADMIN_NO_SRP_AUTH is the legacy name of the same flow; the client must be the pool's.
    let body = json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "ADMIN_NO_SRP_AUTH",
                       "AuthParameters": { "USERNAME": "ada", "PASSWORD": PASSWORD } });
    let out = s.ok("AdminInitiateAuth", body).await;
    let refresh = out["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap();
    let out = s
        .ok(
            "AdminInitiateAuth",
            json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "AuthParameters": { "REFRESH_TOKEN": refresh } }),
        )
        .await;
    assert!(out["AuthenticationResult"].get("RefreshToken").is_none());
    let other_pool = s.pool(json!({})).await;
    s.err(
        "AdminInitiateAuth",
        json!({ "UserPoolId": other_pool, "ClientId": client, "AuthFlow": "ADMIN_NO_SRP_AUTH",
                "AuthParameters": { "USERNAME": "ada", "PASSWORD": PASSWORD } }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}
