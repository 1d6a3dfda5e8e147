//! What a signed-in user does with their access token, over HTTP: GetUser,
//! UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, ChangePassword, DeleteUser.
// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach
// them; a failed unwrap in a test helper is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use common::TestServer;
use serde_json::{json, Value};
use support::*;

/// Signs `username` in and returns the access token.
async fn access_token(s: &TestServer, client: &str, username: &str) -> String {
    let result = sign_in(s, client, username, PASSWORD).await;
    result["AccessToken"].as_str().unwrap().to_string()
}

async fn get_user(s: &TestServer, token: &str) -> Value {
    public_ok(s, "GetUser", json!({ "AccessToken": token })).await
}

async fn update(s: &TestServer, token: &str, pairs: &[(&str, &str)]) -> Value {
    public_ok(
        s,
        "UpdateUserAttributes",
        json!({ "AccessToken": token, "UserAttributes": attrs(pairs) }),
    )
    .await
}

fn verify(token: &str, attribute: &str, code: &str) -> Value {
    json!({ "AccessToken": token, "AttributeName": attribute, "Code": code })
}

#[tokio::test]
async fn get_user_shows_the_user_as_cognito_does() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(
        &s,
        &pool,
        "gwen",
        &[("email", "gwen@example.com"), ("name", "Gwen")],
    )
    .await;
    let token = access_token(&s, &client, "gwen").await;
    let out = get_user(&s, &token).await;
    assert_eq!(out["Username"], "gwen");
    let list = &out["UserAttributes"];
    assert_eq!(list[0]["Name"], "sub");
    assert_eq!(attr(list, "email"), Some("gwen@example.com"));
    assert_eq!(attr(list, "name"), Some("Gwen"));
    assert!(out.get("MFAOptions").is_none());
    // The access token is required and must look like one.
    public_err(&s, "GetUser", json!({}), "InvalidParameterException").await;
    public_err(
        &s,
        "GetUser",
        json!({ "AccessToken": "not a token" }),
        "InvalidParameterException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn attributes_are_updated_and_changed_emails_verified_by_code() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(
        &s,
        json!({ "AutoVerifiedAttributes": ["email"] }),
        json!({}),
    )
    .await;
    confirmed_user(
        &s,
        &pool,
        "uli",
        &[("email", "uli@example.com"), ("email_verified", "true")],
    )
    .await;
    let token = access_token(&s, &client, "uli").await;

    // A plain attribute: no code.
    let out = update(&s, &token, &[("name", "Uli")]).await;
    assert_eq!(out["CodeDeliveryDetailsList"], json!([]));
    assert_eq!(
        attr(&get_user(&s, &token).await["UserAttributes"], "name"),
        Some("Uli")
    );

    // A new email is unverified and gets a code.
    let out = update(&s, &token, &[("email", "uli@new.example.com")]).await;
    let sent = &out["CodeDeliveryDetailsList"][0];
    assert_eq!(sent["DeliveryMedium"], "EMAIL");
    assert_eq!(sent["AttributeName"], "email");
    assert!(sent["Destination"].as_str().unwrap().contains("***"));
    let list = get_user(&s, &token).await["UserAttributes"].clone();
    assert_eq!(attr(&list, "email"), Some("uli@new.example.com"));
    assert_eq!(attr(&list, "email_verified"), Some("false"));
    let code = code_sent_to(&s, "uli@new.example.com").await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    public_err(
        &s,
        "VerifyUserAttribute",
        verify(&token, "email", wrong),
        "CodeMismatchException",
    )
    .await;
    public_ok(&s, "VerifyUserAttribute", verify(&token, "email", &code)).await;
    let list = get_user(&s, &token).await["UserAttributes"].clone();
    assert_eq!(attr(&list, "email_verified"), Some("true"));
    // A code is used once.
    public_err(
        &s,
        "VerifyUserAttribute",
        verify(&token, "email", &code),
        "ExpiredCodeException",
    )
    .await;

    // Asking for a code again, then verifying with it.
    let out = public_ok(
        &s,
        "GetUserAttributeVerificationCode",
        json!({ "AccessToken": token, "AttributeName": "email" }),
    )
    .await;
    assert_eq!(out["CodeDeliveryDetails"]["AttributeName"], "email");
    let code = code_sent_to(&s, "uli@new.example.com").await;
    public_ok(&s, "VerifyUserAttribute", verify(&token, "email", &code)).await;
    public_err(
        &s,
        "GetUserAttributeVerificationCode",
        json!({ "AccessToken": token, "AttributeName": "name" }),
        "InvalidParameterException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn a_verified_email_stays_until_its_replacement_is_verified() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(
        &s,
        json!({
            "AliasAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "UserAttributeUpdateSettings": { "AttributesRequireVerificationBeforeUpdate": ["email"] },
        }),
        json!({}),
    )
    .await;
    confirmed_user(
        &s,
        &pool,
        "vera",
        &[
            ("email", "vera@old.example.com"),
            ("email_verified", "true"),
        ],
    )
    .await;
    let token = access_token(&s, &client, "vera").await;
    let out = update(&s, &token, &[("email", "vera@new.example.com")]).await;
    assert_eq!(out["CodeDeliveryDetailsList"][0]["AttributeName"], "email");
    // The old address is still the user's, verified, and still signs in.
    let list = get_user(&s, &token).await["UserAttributes"].clone();
    assert_eq!(attr(&list, "email"), Some("vera@old.example.com"));
    assert_eq!(attr(&list, "email_verified"), Some("true"));
    sign_in(&s, &client, "vera@old.example.com", PASSWORD).await;
    // The code went to the new address and makes it the user's.
    let code = code_sent_to(&s, "vera@new.example.com").await;
    public_ok(&s, "VerifyUserAttribute", verify(&token, "email", &code)).await;
    let list = get_user(&s, &token).await["UserAttributes"].clone();
    assert_eq!(attr(&list, "email"), Some("vera@new.example.com"));
    assert_eq!(attr(&list, "email_verified"), Some("true"));
    sign_in(&s, &client, "vera@new.example.com", PASSWORD).await;
    s.stop().await;
}

#[tokio::test]
async fn a_client_writes_only_what_it_may() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (client, _) = client(&s, &pool, json!({ "WriteAttributes": ["name"] })).await;
    confirmed_user(&s, &pool, "wes", &[("email", "wes@example.com")]).await;
    let token = access_token(&s, &client, "wes").await;
    update(&s, &token, &[("name", "Wes")]).await;
    for pairs in [
        [("email", "other@example.com")],
        [("email_verified", "true")],
    ] {
        let msg = public_err(
            &s,
            "UpdateUserAttributes",
            json!({ "AccessToken": token, "UserAttributes": attrs(&pairs) }),
            "NotAuthorizedException",
        )
        .await;
        assert_eq!(msg, "A client attempted to write unauthorized attribute");
    }
    let msg = public_err(
        &s,
        "DeleteUserAttributes",
        json!({ "AccessToken": token, "UserAttributeNames": ["email"] }),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "A client attempted to write unauthorized attribute");
    public_err(
        &s,
        "UpdateUserAttributes",
        json!({ "AccessToken": token, "UserAttributes": attrs(&[("custom:nope", "x")]) }),
        "NotAuthorizedException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn attributes_are_deleted_but_required_ones_stay() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [
            { "Name": "email", "AttributeDataType": "String", "Required": true, "Mutable": true }
        ] }))
        .await;
    let (client, _) = client(&s, &pool, json!({})).await;
    confirmed_user(
        &s,
        &pool,
        "dana",
        &[("email", "dana@example.com"), ("name", "Dana")],
    )
    .await;
    let token = access_token(&s, &client, "dana").await;
    public_ok(
        &s,
        "DeleteUserAttributes",
        json!({ "AccessToken": token, "UserAttributeNames": ["name"] }),
    )
    .await;
    let list = get_user(&s, &token).await["UserAttributes"].clone();
    assert_eq!(attr(&list, "name"), None);
    let msg = public_err(
        &s,
        "DeleteUserAttributes",
        json!({ "AccessToken": token, "UserAttributeNames": ["email"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Invalid user attributes: email: Required attribute cannot be deleted."
    );
    s.stop().await;
}

#[tokio::test]
async fn change_password_needs_the_previous_one_and_the_policy() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "cato", &[]).await;
    let token = access_token(&s, &client, "cato").await;
    let change = |previous: &str, proposed: &str| json!({ "AccessToken": token, "PreviousPassword": previous, "ProposedPassword": proposed });
    let msg = public_err(
        &s,
        "ChangePassword",
        change("Wrong-Passw0rd", OTHER_PASSWORD),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Incorrect username or password.");
    let msg = public_err(
        &s,
        "ChangePassword",
        change(PASSWORD, "short"),
        "InvalidPasswordException",
    )
    .await;
    assert_eq!(
        msg,
        "Password does not conform to policy: Password not long enough"
    );
    public_ok(&s, "ChangePassword", change(PASSWORD, OTHER_PASSWORD)).await;
    sign_in(&s, &client, "cato", OTHER_PASSWORD).await;
    sign_in_err(&s, &client, "cato", PASSWORD, "NotAuthorizedException").await;
    // The token it was changed with still works (ChangePassword signs nobody out).
    get_user(&s, &token).await;
    s.stop().await;
}

#[tokio::test]
async fn a_user_deletes_themselves() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "dex", &[]).await;
    let result = sign_in(&s, &client, "dex", PASSWORD).await;
    let token = result["AccessToken"].as_str().unwrap();
    public_ok(&s, "DeleteUser", json!({ "AccessToken": token })).await;
    s.err(
        "AdminGetUser",
        json!({ "UserPoolId": pool, "Username": "dex" }),
        "UserNotFoundException",
    )
    .await;
    public_err(
        &s,
        "GetUser",
        json!({ "AccessToken": token }),
        "UserNotFoundException",
    )
    .await;
    let msg = refresh_sign_in_err(
        &s,
        &client,
        result["RefreshToken"].as_str().unwrap(),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");
    s.stop().await;
}
