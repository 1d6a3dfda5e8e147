//! The AWS SDK for Rust (`aws-sdk-cognitoidentityprovider`) against a real server, through its
//! typed API only, as an application that changed nothing but the endpoint URL would use it:
//! admin calls signed with SigV4 by the SDK's own signer, public calls (SignUp, InitiateAuth,
//! GetUser, …) sent the way the SDK sends them, unsigned, by a client that has no credentials
//! at all; answers decoded by the SDK's own deserialisers, and errors into its typed variants
//! with Cognito's messages.
//!
//! The SDK is configured without aws-config: region, static credentials (the test server's
//! admin principal), the endpoint URL, the SDK's own hyper/rustls HTTP client, and no retries
//! (a retried error only hides what the server answered).

// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach them;
// a failed unwrap in one is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Debug;

use aws_sdk_cognitoidentityprovider as cognito;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito::config::http::HttpResponse;
use cognito::config::retry::RetryConfig;
use cognito::config::{BehaviorVersion, Credentials, Region, SharedHttpClient};
use cognito::error::{ProvideErrorMetadata, SdkError};
use cognito::operation::admin_create_user::builders::AdminCreateUserFluentBuilder;
use cognito::operation::admin_get_user::builders::AdminGetUserFluentBuilder;
use cognito::operation::admin_set_user_password::builders::AdminSetUserPasswordFluentBuilder;
use cognito::operation::create_user_pool::CreateUserPoolOutput;
use cognito::operation::initiate_auth::builders::InitiateAuthFluentBuilder;
use cognito::operation::respond_to_auth_challenge::builders::RespondToAuthChallengeFluentBuilder;
use cognito::operation::RequestId;
use cognito::types::{
    AttributeType, AuthFlowType, AuthenticationResultType, ChallengeNameType, DeliveryMediumType,
    ExplicitAuthFlowsType, MessageActionType, PasswordPolicyType, UserPoolPolicyType,
    UserStatusType, VerifiedAttributeType,
};
use cognito::Client;
use common::{unique, TestServer, ACCESS_KEY, REGION, SECRET_KEY};
use serde_json::Value;

const PASSWORD: &str = "Correct-Horse-1";
const NEW_PASSWORD: &str = "Battery-Staple-2";

/// The SDK's own HTTP client: aws-config's default (hyper 1 and rustls), with ring for aws-lc.
fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

fn config(s: &TestServer) -> cognito::config::Builder {
    cognito::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(&s.base)
        .http_client(http_client())
        .retry_config(RetryConfig::disabled())
}

/// What an operator holds: the admin principal's keys.
fn admin(s: &TestServer) -> Client {
    signed_by(s, ACCESS_KEY, SECRET_KEY)
}

fn signed_by(s: &TestServer, access_key_id: &str, secret: &str) -> Client {
    let credentials = Credentials::new(access_key_id, secret, None, None, "cognate-test");
    Client::from_conf(config(s).credentials_provider(credentials).build())
}

/// What an application holds: no AWS credentials at all.
fn app(s: &TestServer) -> Client {
    Client::from_conf(config(s).build())
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

fn attr_value<'a>(attrs: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attrs.iter().find(|a| a.name() == name)?.value()
}

/// The error a call must have answered: a service error (HTTP 400 with a request id), decoded
/// into the operation's error type.
fn service_err<O: Debug, E: Debug>(result: Result<O, SdkError<E, HttpResponse>>) -> E {
    match result {
        Ok(out) => panic!("expected an error, the call answered {out:?}"),
        Err(SdkError::ServiceError(ctx)) => {
            assert_eq!(ctx.raw().status().as_u16(), 400, "{:?}", ctx.err());
            assert!(
                ctx.raw().headers().get("x-amzn-requestid").is_some(),
                "no request id"
            );
            ctx.into_err()
        }
        Err(other) => panic!("expected a service error, got {other:?}"),
    }
}

/// Asserts an error's code and message, as the SDK decoded them.
fn assert_meta(e: &impl ProvideErrorMetadata, code: &str, message: &str) {
    assert_eq!(e.code(), Some(code), "{:?}", e.meta());
    assert_eq!(e.message(), Some(message), "{:?}", e.meta());
}

/// The service error a call must have answered (see [`service_err`]), decoded into its typed
/// variant (`is_variant`, e.g. `|e| e.is_not_authorized_exception()`) with Cognito's code and
/// message.
fn service_err_is<O: Debug, E: ProvideErrorMetadata + Debug>(
    result: Result<O, SdkError<E, HttpResponse>>,
    is_variant: impl Fn(&E) -> bool,
    code: &str,
    message: &str,
) -> E {
    let e = service_err(result);
    assert!(is_variant(&e), "{e:?}");
    assert_meta(&e, code, message);
    e
}

/// The claims of a compact JWT (its signature is the server tests' business).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// A pool named `prefix…` with a password policy.
async fn pool_with_password_policy(
    admin: &Client,
    prefix: &str,
    policy: PasswordPolicyType,
) -> CreateUserPoolOutput {
    admin
        .create_user_pool()
        .pool_name(unique(prefix))
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(policy)
                .build(),
        )
        .send()
        .await
        .unwrap()
}

/// AdminCreateUser without an invitation; the caller adds a password or attributes.
fn create_user(admin: &Client, pool: &str, username: &str) -> AdminCreateUserFluentBuilder {
    admin
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .message_action(MessageActionType::Suppress)
}

fn set_permanent_password(
    admin: &Client,
    pool: &str,
    username: &str,
    password: &str,
) -> AdminSetUserPasswordFluentBuilder {
    admin
        .admin_set_user_password()
        .user_pool_id(pool)
        .username(username)
        .password(password)
        .permanent(true)
}

fn get_user(admin: &Client, pool: &str, username: &str) -> AdminGetUserFluentBuilder {
    admin.admin_get_user().user_pool_id(pool).username(username)
}

fn password_auth(
    app: &Client,
    client_id: &str,
    username: &str,
    password: &str,
) -> InitiateAuthFluentBuilder {
    app.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", password)
}

fn refresh_auth(app: &Client, client_id: &str, refresh_token: &str) -> InitiateAuthFluentBuilder {
    app.initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh_token)
}

fn answer_new_password(
    app: &Client,
    client_id: &str,
    session: &str,
    username: &str,
    new_password: &str,
) -> RespondToAuthChallengeFluentBuilder {
    app.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::NewPasswordRequired)
        .session(session)
        .challenge_responses("USERNAME", username)
        .challenge_responses("NEW_PASSWORD", new_password)
}

/// A pool (with `auto_verify` email) and an app client allowing password sign-in and refresh.
async fn pool_and_client(admin: &Client, auto_verify: bool) -> (String, String) {
    let mut create = admin.create_user_pool().pool_name(unique("sdk-"));
    if auto_verify {
        create = create.auto_verified_attributes(VerifiedAttributeType::Email);
    }
    let pool = create.send().await.unwrap();
    let pool_id = pool.user_pool().unwrap().id().unwrap().to_string();
    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    assert_eq!(client.user_pool_id(), Some(pool_id.as_str()));
    assert_eq!(client.client_secret(), None);
    (pool_id, client.client_id().unwrap().to_string())
}

/// A confirmed user with `PASSWORD`, created by the admin.
async fn confirmed_user(admin: &Client, pool: &str, username: &str, email: &str) {
    create_user(admin, pool, username)
        .user_attributes(attr("email", email))
        .send()
        .await
        .unwrap();
    set_permanent_password(admin, pool, username, PASSWORD)
        .send()
        .await
        .unwrap();
}

async fn sign_in(
    app: &Client,
    client_id: &str,
    username: &str,
    password: &str,
) -> AuthenticationResultType {
    let out = password_auth(app, client_id, username, password)
        .send()
        .await
        .unwrap();
    assert_eq!(out.challenge_name(), None, "{out:?}");
    out.authentication_result().unwrap().clone()
}

#[tokio::test]
async fn admin_calls_are_signed_and_decoded() {
    let s = TestServer::start().await;
    let admin = admin(&s);

    let policy = PasswordPolicyType::builder()
        .minimum_length(10)
        .require_symbols(false)
        .build();
    let created = pool_with_password_policy(&admin, "sdk-admin-", policy).await;
    assert!(created.request_id().is_some());
    let pool = created.user_pool().unwrap();
    let pool_id = pool.id().unwrap().to_string();
    assert!(pool_id.starts_with("us-east-1_"), "{pool_id}");
    assert!(pool
        .arn()
        .unwrap()
        .ends_with(&format!(":userpool/{pool_id}")));
    assert!(pool.creation_date().is_some());
    let stored = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(stored.minimum_length(), Some(10));
    // The SDK sends every member with a default: the requirements not set go as `false`, and
    // `TemporaryPasswordValidityDays` as 0, which Cognito reads as its default, 7.
    assert!(!stored.require_symbols() && !stored.require_uppercase());
    assert_eq!(stored.temporary_password_validity_days(), 7);

    let client = admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("backend")
        .generate_secret(true)
        .send()
        .await
        .unwrap();
    let client = client.user_pool_client().unwrap();
    assert_eq!(client.client_name(), Some("backend"));
    assert!(client.client_secret().is_some_and(|s| !s.is_empty()));
    let client_id = client.client_id().unwrap();

    // The whole pool and client shapes, as the SDK's deserialisers read them back.
    let described = admin
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    let described = described.user_pool().unwrap();
    assert_eq!(described.id(), Some(pool_id.as_str()));
    assert_eq!(described.name(), pool.name());
    assert_eq!(
        described
            .policies()
            .and_then(|p| p.password_policy())
            .and_then(|p| p.minimum_length()),
        Some(10)
    );
    assert!(described
        .schema_attributes()
        .iter()
        .any(|a| a.name() == Some("email")));
    assert_eq!(described.estimated_number_of_users(), 0);
    let described = admin
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(client_id)
        .send()
        .await
        .unwrap();
    let described = described.user_pool_client().unwrap();
    assert_eq!(described.client_name(), Some("backend"));
    assert_eq!(described.client_secret(), client.client_secret());

    let created = create_user(&admin, &pool_id, "alice")
        .temporary_password("Temporary-Pass1")
        .user_attributes(attr("email", "alice@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    let user = created.user().unwrap();
    assert_eq!(user.username(), Some("alice"));
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(user.enabled());
    assert!(user.user_create_date().is_some() && user.user_last_modified_date().is_some());
    assert_eq!(
        attr_value(user.attributes(), "email"),
        Some("alice@example.com")
    );
    assert!(attr_value(user.attributes(), "sub").is_some_and(|s| s.len() == 36));

    // The pool requires no capitals.
    set_permanent_password(&admin, &pool_id, "alice", "no-capitals-1")
        .send()
        .await
        .unwrap();
    let got = get_user(&admin, &pool_id, "alice").send().await.unwrap();
    assert_eq!(got.user_status(), Some(&UserStatusType::Confirmed));
    assert_eq!(
        attr_value(got.user_attributes(), "email_verified"),
        Some("true")
    );

    // ListUsers through the SDK's paginator: five users, two a page.
    for name in ["bob", "carol", "dave", "erin"] {
        create_user(&admin, &pool_id, name).send().await.unwrap();
    }
    let pages = admin
        .list_users()
        .user_pool_id(&pool_id)
        .into_paginator()
        .page_size(2)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages.iter().all(|p| p.users().len() <= 2));
    assert!(pages[..2].iter().all(|p| p.pagination_token().is_some()));
    assert_eq!(pages[2].pagination_token(), None);
    let mut names: Vec<String> = admin
        .list_users()
        .user_pool_id(&pool_id)
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
        .iter()
        .map(|u| u.username().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["alice", "bob", "carol", "dave", "erin"]);
    let statuses: Vec<_> = pages
        .iter()
        .flat_map(|p| p.users())
        .map(|u| (u.username().unwrap(), u.user_status().unwrap().clone()))
        .filter(|(_, status)| *status == UserStatusType::Confirmed)
        .collect();
    assert_eq!(statuses, [("alice", UserStatusType::Confirmed)]);

    // A filter, as the SDK sends it.
    let found = admin
        .list_users()
        .user_pool_id(&pool_id)
        .filter("email = \"alice@example.com\"")
        .send()
        .await
        .unwrap();
    let found: Vec<_> = found
        .users()
        .iter()
        .map(|u| u.username().unwrap())
        .collect();
    assert_eq!(found, ["alice"]);

    s.stop().await;
}

#[tokio::test]
async fn sign_up_and_confirm_with_the_code_from_the_outbox() {
    let s = TestServer::start().await;
    let (admin, app) = (admin(&s), app(&s));
    let (pool, client_id) = pool_and_client(&admin, true).await;

    let out = app
        .sign_up()
        .client_id(&client_id)
        .username("carol")
        .password(PASSWORD)
        .user_attributes(attr("email", "carol@example.com"))
        .send()
        .await
        .unwrap();
    assert!(!out.user_confirmed());
    assert_eq!(out.user_sub().len(), 36);
    let delivery = out.code_delivery_details().unwrap();
    assert_eq!(delivery.delivery_medium(), Some(&DeliveryMediumType::Email));
    assert_eq!(delivery.attribute_name(), Some("email"));
    let destination = delivery.destination().unwrap();
    assert!(
        !destination.is_empty() && destination != "carol@example.com",
        "{destination}"
    );

    // Not confirmed yet: the right password is refused, with the SDK's typed error.
    service_err_is(
        password_auth(&app, &client_id, "carol", PASSWORD)
            .send()
            .await,
        |e| e.is_user_not_confirmed_exception(),
        "UserNotConfirmedException",
        "User is not confirmed.",
    );

    service_err_is(
        app.confirm_sign_up()
            .client_id(&client_id)
            .username("carol")
            .confirmation_code("000000")
            .send()
            .await,
        |e| e.is_code_mismatch_exception(),
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    );

    let message = s
        .outbox()
        .await
        .into_iter()
        .rev()
        .find(|m| m["pool_id"] == pool.as_str() && m["username"] == "carol")
        .expect("a message to carol");
    assert_eq!(message["channel"], "email");
    let body = message["body"].as_str().unwrap();
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_string();
    app.confirm_sign_up()
        .client_id(&client_id)
        .username("carol")
        .confirmation_code(&code)
        .send()
        .await
        .unwrap();

    let user = get_user(&admin, &pool, "carol").send().await.unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    assert_eq!(
        attr_value(user.user_attributes(), "email_verified"),
        Some("true")
    );
    let tokens = sign_in(&app, &client_id, "carol", PASSWORD).await;
    assert_eq!(claims(tokens.id_token().unwrap())["email_verified"], true);

    s.stop().await;
}

#[tokio::test]
async fn password_sign_in_refresh_change_password_and_global_sign_out() {
    let s = TestServer::start().await;
    let (admin, app) = (admin(&s), app(&s));
    let (pool, client_id) = pool_and_client(&admin, false).await;
    confirmed_user(&admin, &pool, "dana", "dana@example.com").await;

    let tokens = sign_in(&app, &client_id, "dana", PASSWORD).await;
    assert_eq!(tokens.token_type(), Some("Bearer"));
    assert_eq!(tokens.expires_in(), 3600);
    let access = tokens.access_token().unwrap().to_string();
    let refresh = tokens.refresh_token().unwrap().to_string();
    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], client_id.as_str());
    assert_eq!(id["cognito:username"], "dana");
    assert_eq!(id["email"], "dana@example.com");
    assert_eq!(id["iss"], format!("{}/{pool}", s.base));
    assert_eq!(claims(&access)["token_use"], "access");

    let user = app.get_user().access_token(&access).send().await.unwrap();
    assert_eq!(user.username(), "dana");
    assert_eq!(
        attr_value(user.user_attributes(), "email"),
        Some("dana@example.com")
    );
    assert_eq!(
        attr_value(user.user_attributes(), "sub"),
        id["sub"].as_str()
    );

    // REFRESH_TOKEN_AUTH: new ID and access tokens, the same refresh token kept by the app.
    let renewed = refresh_auth(&app, &client_id, &refresh)
        .send()
        .await
        .unwrap();
    let renewed = renewed.authentication_result().unwrap();
    let renewed_access = renewed.access_token().unwrap().to_string();
    assert_ne!(renewed_access, access);
    assert_eq!(renewed.refresh_token(), None);
    assert_eq!(claims(renewed.id_token().unwrap())["sub"], id["sub"]);
    let user = app
        .get_user()
        .access_token(&renewed_access)
        .send()
        .await
        .unwrap();
    assert_eq!(user.username(), "dana");

    // ChangePassword: a wrong previous password, a new one the policy refuses, then the change.
    service_err_is(
        app.change_password()
            .access_token(&renewed_access)
            .previous_password("Not-the-password-1")
            .proposed_password(NEW_PASSWORD)
            .send()
            .await,
        |e| e.is_not_authorized_exception(),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    service_err_is(
        app.change_password()
            .access_token(&renewed_access)
            .previous_password(PASSWORD)
            .proposed_password("short")
            .send()
            .await,
        |e| e.is_invalid_password_exception(),
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough",
    );
    app.change_password()
        .access_token(&renewed_access)
        .previous_password(PASSWORD)
        .proposed_password(NEW_PASSWORD)
        .send()
        .await
        .unwrap();
    service_err_is(
        password_auth(&app, &client_id, "dana", PASSWORD)
            .send()
            .await,
        |e| e.is_not_authorized_exception(),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    let fresh = sign_in(&app, &client_id, "dana", NEW_PASSWORD).await;

    // GlobalSignOut revokes every refresh token of the user and the access tokens they gave.
    app.global_sign_out()
        .access_token(&renewed_access)
        .send()
        .await
        .unwrap();
    for token in [
        &access,
        &renewed_access,
        &fresh.access_token().unwrap().to_string(),
    ] {
        service_err_is(
            app.get_user().access_token(token).send().await,
            |e| e.is_not_authorized_exception(),
            "NotAuthorizedException",
            "Access Token has been revoked",
        );
    }
    service_err_is(
        refresh_auth(&app, &client_id, &refresh).send().await,
        |e| e.is_not_authorized_exception(),
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    );
    // Signing in again still works.
    sign_in(&app, &client_id, "dana", NEW_PASSWORD).await;

    s.stop().await;
}

#[tokio::test]
async fn a_temporary_password_answers_new_password_required() {
    let s = TestServer::start().await;
    let (admin, app) = (admin(&s), app(&s));
    // A pool with a password policy: the SDK sends every member of PasswordPolicyType that has
    // a default, so `TemporaryPasswordValidityDays: 0` goes with it, which Cognito takes as
    // "not set" (7 days), as the API reference says.
    let policy = PasswordPolicyType::builder().minimum_length(12).build();
    let pool = pool_with_password_policy(&admin, "sdk-temp-", policy)
        .await
        .user_pool()
        .unwrap()
        .id()
        .unwrap()
        .to_string();
    let described = admin
        .describe_user_pool()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let stored = described
        .user_pool()
        .and_then(|p| p.policies())
        .and_then(|p| p.password_policy())
        .unwrap();
    assert_eq!(stored.minimum_length(), Some(12));
    assert_eq!(stored.temporary_password_validity_days(), 7);
    let client_id = admin
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("both")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client()
        .unwrap()
        .client_id()
        .unwrap()
        .to_string();
    create_user(&admin, &pool, "gail")
        .temporary_password("Temporary-Pass1")
        .user_attributes(attr("email", "gail@example.com"))
        .send()
        .await
        .unwrap();

    let out = password_auth(&app, &client_id, "gail", "Temporary-Pass1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    assert!(out.authentication_result().is_none());
    let parameters = out.challenge_parameters().unwrap();
    assert!(parameters.contains_key("USER_ID_FOR_SRP"), "{parameters:?}");
    let user_attributes: Value = serde_json::from_str(&parameters["userAttributes"]).unwrap();
    assert_eq!(user_attributes["email"], "gail@example.com");

    // A new password the policy refuses keeps the session; a good one ends the challenge.
    let session = out.session().unwrap().to_string();
    service_err_is(
        answer_new_password(&app, &client_id, &session, "gail", "weak")
            .send()
            .await,
        |e| e.is_invalid_password_exception(),
        "InvalidPasswordException",
        "Password does not conform to policy: Password not long enough",
    );
    let done = answer_new_password(&app, &client_id, &session, "gail", PASSWORD)
        .send()
        .await
        .unwrap();
    let tokens = done.authentication_result().unwrap();
    assert!(tokens.access_token().is_some() && tokens.refresh_token().is_some());

    // AdminInitiateAuth, signed, with the new password.
    let out = admin
        .admin_initiate_auth()
        .user_pool_id(&pool)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "gail")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    let access = out.authentication_result().unwrap().access_token().unwrap();
    assert_eq!(claims(access)["username"], "gail");
    let user = get_user(&admin, &pool, "gail").send().await.unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));

    s.stop().await;
}

#[tokio::test]
async fn errors_decode_into_the_sdks_typed_variants() {
    let s = TestServer::start().await;
    let (admin, app) = (admin(&s), app(&s));
    let (pool, client_id) = pool_and_client(&admin, false).await;
    confirmed_user(&admin, &pool, "erin", "erin@example.com").await;

    // UsernameExistsException, from the public and the admin side.
    service_err_is(
        app.sign_up()
            .client_id(&client_id)
            .username("erin")
            .password(PASSWORD)
            .send()
            .await,
        |e| e.is_username_exists_exception(),
        "UsernameExistsException",
        "User already exists",
    );
    service_err_is(
        create_user(&admin, &pool, "erin").send().await,
        |e| e.is_username_exists_exception(),
        "UsernameExistsException",
        "User account already exists",
    );

    // ResourceNotFoundException: an unknown pool, an unknown client.
    service_err_is(
        admin
            .describe_user_pool()
            .user_pool_id("us-east-1_doesnotexist")
            .send()
            .await,
        |e| e.is_resource_not_found_exception(),
        "ResourceNotFoundException",
        "User pool us-east-1_doesnotexist does not exist.",
    );
    service_err_is(
        password_auth(&app, "1example23456789abcdefghij", "erin", PASSWORD)
            .send()
            .await,
        |e| e.is_resource_not_found_exception(),
        "ResourceNotFoundException",
        "User pool client 1example23456789abcdefghij does not exist.",
    );

    // InvalidPasswordException, in each action's words.
    service_err_is(
        app.sign_up()
            .client_id(&client_id)
            .username("frank")
            .password("short")
            .send()
            .await,
        |e| e.is_invalid_password_exception(),
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    );
    service_err_is(
        set_permanent_password(&admin, &pool, "erin", "alllowercase-1!")
            .send()
            .await,
        |e| e.is_invalid_password_exception(),
        "InvalidPasswordException",
        "Password does not conform to policy: Password must have uppercase characters",
    );

    // NotAuthorizedException for a wrong password; UserNotFoundException from the admin side.
    let e = service_err_is(
        password_auth(&app, &client_id, "erin", "Wrong-Password-1")
            .send()
            .await,
        |e| e.is_not_authorized_exception(),
        "NotAuthorizedException",
        "Incorrect username or password.",
    );
    assert!(e.request_id().is_some());
    service_err_is(
        get_user(&admin, &pool, "nobody").send().await,
        |e| e.is_user_not_found_exception(),
        "UserNotFoundException",
        "User does not exist.",
    );

    // InvalidParameterException: a flow the client does not allow.
    service_err_is(
        app.initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "erin")
            .auth_parameters("SRP_A", "0a")
            .send()
            .await,
        |e| e.is_invalid_parameter_exception(),
        "InvalidParameterException",
        "USER_SRP_AUTH flow not enabled for this client",
    );

    // A malformed access token.
    service_err_is(
        app.get_user().access_token("not.a.token").send().await,
        |e| e.is_not_authorized_exception(),
        "NotAuthorizedException",
        "Invalid Access Token",
    );

    // Signature errors are not in Cognito's model: the SDK keeps their code and message.
    let wrong_secret = signed_by(&s, ACCESS_KEY, "not-the-secret-not-the-secret-not-the-se");
    let e = service_err(wrong_secret.list_user_pools().max_results(1).send().await);
    assert!(!e.is_not_authorized_exception(), "{e:?}");
    assert_meta(
        &e,
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. \
         Check your AWS Secret Access Key and signing method. \
         Consult the service documentation for details.",
    );
    let unknown_key = signed_by(&s, "AKIAUNKNOWNUNKNOWN00", SECRET_KEY);
    let e = service_err(unknown_key.list_user_pools().max_results(1).send().await);
    assert!(!e.is_not_authorized_exception(), "{e:?}");
    assert_meta(
        &e,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
    );
    // Public actions need no signature, so keys the server does not know change nothing there.
    let tokens = password_auth(&unknown_key, &client_id, "erin", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(tokens.authentication_result().is_some());

    s.stop().await;
}
