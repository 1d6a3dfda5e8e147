//! Tokens over HTTP: the claims of ID and access tokens, their signatures against the pool's
//! JWKS (checked with the `jsonwebtoken` crate), lifetimes, refresh, revocation (GlobalSignOut,
//! AdminUserGlobalSignOut, RevokeToken) and expiry, and the monthly-active-user count.
// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach
// them; a failed unwrap in a test helper is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use common::TestServer;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};
use support::*;

/// The pool's JWKS, from `GET /{poolId}/.well-known/jwks.json`.
async fn jwks(s: &TestServer, pool: &str) -> Value {
    let url = format!("{}/{pool}/.well-known/jwks.json", s.base);
    let resp = reqwest::get(&url).await.unwrap();
    assert_eq!(resp.status().as_u16(), 200, "{url}");
    resp.json().await.unwrap()
}

/// Verifies an RS256 token against the pool's JWKS and issuer; returns its claims.
async fn verified(s: &TestServer, pool: &str, token: &str, audience: Option<&str>) -> Value {
    let keys = jwks(s, pool).await;
    let kid = header(token)["kid"].as_str().unwrap().to_string();
    let jwk = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .unwrap_or_else(|| panic!("kid {kid} is not in the JWKS {keys}"))
        .clone();
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    let issuer = format!(
        "{}/{pool}",
        s.server.as_ref().unwrap().service.config().public_url
    );
    validation.set_issuer(&[issuer]);
    match audience {
        Some(a) => validation.set_audience(&[a]),
        None => validation.validate_aud = false,
    }
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .unwrap()
        .claims
}

async fn get_user(s: &TestServer, access_token: &str) -> (u16, Value) {
    s.call_unsigned("GetUser", json!({ "AccessToken": access_token }))
        .await
}

async fn get_user_err(s: &TestServer, access_token: &str, error_type: &str) -> String {
    public_err(
        s,
        "GetUser",
        json!({ "AccessToken": access_token }),
        error_type,
    )
    .await
}

fn token<'a>(result: &'a Value, name: &str) -> &'a str {
    result[name].as_str().unwrap()
}

// --- claims and signatures ---

#[tokio::test]
async fn id_and_access_tokens_carry_cognitos_claims_and_verify_against_the_jwks() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [
            { "Name": "tier", "AttributeDataType": "String", "Mutable": true }
        ] }))
        .await;
    let (client, _) = client(&s, &pool, json!({})).await;
    confirmed_user(
        &s,
        &pool,
        "tina",
        &[
            ("email", "tina@example.com"),
            ("email_verified", "true"),
            ("name", "Tina"),
            ("custom:tier", "gold"),
        ],
    )
    .await;
    let before = s.server.as_ref().unwrap().service.now_millis() / 1000;
    let result = sign_in(&s, &client, "tina", PASSWORD).await;
    assert_eq!(result["ExpiresIn"], 3600);
    assert_eq!(result["TokenType"], "Bearer");
    let refresh = token(&result, "RefreshToken");
    assert_eq!(refresh.split('.').count(), 5, "{refresh}");

    let id = verified(&s, &pool, token(&result, "IdToken"), Some(&client)).await;
    let access = verified(&s, &pool, token(&result, "AccessToken"), None).await;
    let issuer = format!(
        "{}/{pool}",
        s.server.as_ref().unwrap().service.config().public_url
    );

    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], client.as_str());
    assert_eq!(id["iss"], issuer.as_str());
    assert_eq!(id["cognito:username"], "tina");
    assert_eq!(id["email"], "tina@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["name"], "Tina");
    assert_eq!(id["custom:tier"], "gold");
    assert!(id.get("cognito:groups").is_none());
    let sub = id["sub"].as_str().unwrap();
    assert_eq!(sub.len(), 36);
    let iat = id["iat"].as_i64().unwrap();
    assert!(iat >= before && iat <= before + 5, "{id}");
    assert_eq!(id["exp"].as_i64().unwrap() - iat, 3600);
    assert_eq!(id["auth_time"], iat);

    assert_eq!(access["token_use"], "access");
    assert_eq!(access["sub"], sub);
    assert_eq!(access["client_id"], client.as_str());
    assert_eq!(access["iss"], issuer.as_str());
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert_eq!(access["username"], "tina");
    assert_eq!(access["version"], 2);
    assert!(access.get("aud").is_none());
    assert!(access.get("email").is_none());
    for c in ["jti", "origin_jti", "event_id"] {
        assert!(id[c].is_string() && access[c].is_string(), "{c}");
    }
    assert_eq!(id["origin_jti"], access["origin_jti"]);
    assert_eq!(id["event_id"], access["event_id"]);
    assert_ne!(id["jti"], access["jti"]);
    // Cognito signs the two kinds with different keys.
    assert_ne!(
        header(token(&result, "IdToken"))["kid"],
        header(token(&result, "AccessToken"))["kid"]
    );
    assert_eq!(header(token(&result, "IdToken"))["alg"], "RS256");

    // A second sign-in starts another family.
    let again = sign_in(&s, &client, "tina", PASSWORD).await;
    assert_ne!(
        claims(token(&again, "AccessToken"))["origin_jti"],
        access["origin_jti"]
    );
    s.stop().await;
}

#[tokio::test]
async fn groups_give_groups_roles_and_the_preferred_role() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "gil", &[]).await;
    for (name, precedence, role) in [
        ("admins", 1, "arn:aws:iam::000000000000:role/admin"),
        ("staff", 5, "arn:aws:iam::000000000000:role/staff"),
    ] {
        s.ok(
            "CreateGroup",
            json!({ "UserPoolId": pool, "GroupName": name, "Precedence": precedence,
                    "RoleArn": role }),
        )
        .await;
        s.ok(
            "AdminAddUserToGroup",
            json!({ "UserPoolId": pool, "GroupName": name, "Username": "gil" }),
        )
        .await;
    }
    s.ok(
        "CreateGroup",
        json!({ "UserPoolId": pool, "GroupName": "readers" }),
    )
    .await;
    s.ok(
        "AdminAddUserToGroup",
        json!({ "UserPoolId": pool, "GroupName": "readers", "Username": "gil" }),
    )
    .await;
    let result = sign_in(&s, &client, "gil", PASSWORD).await;
    let id = claims(token(&result, "IdToken"));
    let access = claims(token(&result, "AccessToken"));
    assert_eq!(id["cognito:groups"], json!(["admins", "readers", "staff"]));
    assert_eq!(
        access["cognito:groups"],
        json!(["admins", "readers", "staff"])
    );
    assert_eq!(
        id["cognito:roles"],
        json!([
            "arn:aws:iam::000000000000:role/admin",
            "arn:aws:iam::000000000000:role/staff"
        ])
    );
    assert_eq!(
        id["cognito:preferred_role"],
        "arn:aws:iam::000000000000:role/admin"
    );
    s.stop().await;
}

#[tokio::test]
async fn read_attributes_and_validities_of_the_client_apply() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (client, _) = client(
        &s,
        &pool,
        json!({
            "ReadAttributes": ["email"],
            "AccessTokenValidity": 5, "IdTokenValidity": 2,
            "TokenValidityUnits": { "AccessToken": "minutes", "IdToken": "hours" },
        }),
    )
    .await;
    confirmed_user(
        &s,
        &pool,
        "rob",
        &[("email", "rob@example.com"), ("name", "Rob")],
    )
    .await;
    let result = sign_in(&s, &client, "rob", PASSWORD).await;
    assert_eq!(result["ExpiresIn"], 300);
    let id = claims(token(&result, "IdToken"));
    let access = claims(token(&result, "AccessToken"));
    assert_eq!(id["email"], "rob@example.com");
    assert!(id.get("name").is_none());
    assert!(id.get("email_verified").is_none());
    assert_eq!(
        id["exp"].as_i64().unwrap() - id["iat"].as_i64().unwrap(),
        7200
    );
    assert_eq!(
        access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
        300
    );
    // GetUser shows the same attributes.
    let out = public_ok(
        &s,
        "GetUser",
        json!({ "AccessToken": token(&result, "AccessToken") }),
    )
    .await;
    assert_eq!(
        attr(&out["UserAttributes"], "email"),
        Some("rob@example.com")
    );
    assert_eq!(attr(&out["UserAttributes"], "name"), None);
    assert!(attr(&out["UserAttributes"], "sub").is_some());
    s.stop().await;
}

// --- refresh ---

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_of_the_same_family() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    let (other_client, _) = support::client(&s, &pool, json!({})).await;
    confirmed_user(&s, &pool, "rhea", &[("email", "rhea@example.com")]).await;
    let first = sign_in(&s, &client, "rhea", PASSWORD).await;
    let refresh = token(&first, "RefreshToken").to_string();
    let out = refresh_sign_in(&s, &client, &refresh).await;
    let second = &out["AuthenticationResult"];
    assert!(second.get("RefreshToken").is_none(), "{out}");
    assert_eq!(out["ChallengeParameters"], json!({}));
    let (a, b) = (
        claims(token(&first, "AccessToken")),
        claims(token(second, "AccessToken")),
    );
    assert_eq!(a["origin_jti"], b["origin_jti"]);
    assert_eq!(a["auth_time"], b["auth_time"]);
    assert_ne!(a["jti"], b["jti"]);
    let id = verified(&s, &pool, token(second, "IdToken"), Some(&client)).await;
    assert_eq!(id["email"], "rhea@example.com");
    // The legacy flow name is the same flow.
    let mut body = refresh_auth(&client, &refresh);
    body["AuthFlow"] = json!("REFRESH_TOKEN");
    public_ok(&s, "InitiateAuth", body).await;
    // A refresh token is bound to its client; garbage is not a refresh token.
    let msg = refresh_sign_in_err(&s, &other_client, &refresh, "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid Refresh Token.");
    let msg =
        refresh_sign_in_err(&s, &client, "not-a-refresh-token", "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid Refresh Token.");
    let msg = public_err(
        &s,
        "InitiateAuth",
        json!({ "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": client }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(msg, "Missing required parameter REFRESH_TOKEN");
    // A disabled user cannot refresh.
    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "rhea" }),
    )
    .await;
    let msg = refresh_sign_in_err(&s, &client, &refresh, "NotAuthorizedException").await;
    assert_eq!(msg, "User is disabled.");
    let msg = get_user_err(&s, token(second, "AccessToken"), "NotAuthorizedException").await;
    assert_eq!(msg, "User is disabled.");
    s.stop().await;
}

// --- revocation ---

#[tokio::test]
async fn global_sign_out_revokes_every_family_of_the_user() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "gail", &[]).await;
    confirmed_user(&s, &pool, "bystander", &[]).await;
    let a = sign_in(&s, &client, "gail", PASSWORD).await;
    let b = sign_in(&s, &client, "gail", PASSWORD).await;
    let other = sign_in(&s, &client, "bystander", PASSWORD).await;
    let (status, _) = get_user(&s, token(&a, "AccessToken")).await;
    assert_eq!(status, 200);
    public_ok(
        &s,
        "GlobalSignOut",
        json!({ "AccessToken": token(&a, "AccessToken") }),
    )
    .await;
    for session in [&a, &b] {
        let msg = get_user_err(&s, token(session, "AccessToken"), "NotAuthorizedException").await;
        assert_eq!(msg, "Access Token has been revoked");
        let msg = refresh_sign_in_err(
            &s,
            &client,
            token(session, "RefreshToken"),
            "NotAuthorizedException",
        )
        .await;
        assert_eq!(msg, "Refresh Token has been revoked");
    }
    // Other users are untouched, and the user can sign in again.
    let (status, _) = get_user(&s, token(&other, "AccessToken")).await;
    assert_eq!(status, 200);
    let fresh = sign_in(&s, &client, "gail", PASSWORD).await;
    let (status, _) = get_user(&s, token(&fresh, "AccessToken")).await;
    assert_eq!(status, 200);

    // The admin form needs SigV4 and does the same.
    let body = json!({ "UserPoolId": pool, "Username": "gail" });
    let (status, _) = s
        .call_unsigned("AdminUserGlobalSignOut", body.clone())
        .await;
    assert_eq!(status, 403);
    s.ok("AdminUserGlobalSignOut", body).await;
    let msg = get_user_err(&s, token(&fresh, "AccessToken"), "NotAuthorizedException").await;
    assert_eq!(msg, "Access Token has been revoked");
    s.stop().await;
}

#[tokio::test]
async fn revoke_token_revokes_one_family() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    let (other_client, _) = support::client(&s, &pool, json!({})).await;
    confirmed_user(&s, &pool, "ravi", &[]).await;
    let a = sign_in(&s, &client, "ravi", PASSWORD).await;
    let b = sign_in(&s, &client, "ravi", PASSWORD).await;
    // Only the client the token was issued to may revoke it.
    let msg = public_err(
        &s,
        "RevokeToken",
        json!({ "Token": token(&a, "RefreshToken"), "ClientId": other_client }),
        "UnauthorizedException",
    )
    .await;
    assert!(!msg.is_empty());
    // Access and ID tokens cannot be revoked.
    public_err(
        &s,
        "RevokeToken",
        json!({ "Token": token(&a, "AccessToken"), "ClientId": client }),
        "UnsupportedTokenTypeException",
    )
    .await;
    public_ok(
        &s,
        "RevokeToken",
        json!({ "Token": token(&a, "RefreshToken"), "ClientId": client }),
    )
    .await;
    let msg = refresh_sign_in_err(
        &s,
        &client,
        token(&a, "RefreshToken"),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Refresh Token has been revoked");
    let msg = get_user_err(&s, token(&a, "AccessToken"), "NotAuthorizedException").await;
    assert_eq!(msg, "Access Token has been revoked");
    // The other family lives on; revoking again, or an unknown token, is fine.
    let (status, _) = get_user(&s, token(&b, "AccessToken")).await;
    assert_eq!(status, 200);
    refresh_sign_in(&s, &client, token(&b, "RefreshToken")).await;
    public_ok(
        &s,
        "RevokeToken",
        json!({ "Token": token(&a, "RefreshToken"), "ClientId": client }),
    )
    .await;
    public_ok(
        &s,
        "RevokeToken",
        json!({ "Token": "eyJunknown.token.of.five.parts", "ClientId": client }),
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn revoke_token_checks_the_client() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let (secret_client, secret) = client(&s, &pool, json!({ "GenerateSecret": true })).await;
    let secret = secret.unwrap();
    let (no_revocation, _) = client(&s, &pool, json!({ "EnableTokenRevocation": false })).await;
    confirmed_user(&s, &pool, "vic", &[]).await;
    let mut body = password_auth(&secret_client, "vic", PASSWORD);
    body["AuthParameters"]["SECRET_HASH"] = json!(cognate_crypto::digest::secret_hash(
        &secret,
        "vic",
        &secret_client
    ));
    let result = public_ok(&s, "InitiateAuth", body).await["AuthenticationResult"].clone();
    let refresh = token(&result, "RefreshToken");
    public_err(
        &s,
        "RevokeToken",
        json!({ "Token": refresh, "ClientId": secret_client }),
        "UnauthorizedException",
    )
    .await;
    public_err(
        &s,
        "RevokeToken",
        json!({ "Token": refresh, "ClientId": secret_client,
                "ClientSecret": "wrongwrongwrongwrongwrongwrong" }),
        "UnauthorizedException",
    )
    .await;
    public_ok(
        &s,
        "RevokeToken",
        json!({ "Token": refresh, "ClientId": secret_client, "ClientSecret": secret }),
    )
    .await;
    let plain = sign_in(&s, &no_revocation, "vic", PASSWORD).await;
    public_err(
        &s,
        "RevokeToken",
        json!({ "Token": token(&plain, "RefreshToken"), "ClientId": no_revocation }),
        "UnsupportedOperationException",
    )
    .await;
    public_err(
        &s,
        "RevokeToken",
        json!({ "Token": refresh, "ClientId": "nosuchclient" }),
        "UnauthorizedException",
    )
    .await;
    s.stop().await;
}

// --- refusals of access tokens ---

#[tokio::test]
async fn only_valid_access_tokens_are_accepted() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "ivan", &[]).await;
    let result = sign_in(&s, &client, "ivan", PASSWORD).await;
    // An ID token is not an access token.
    let msg = get_user_err(&s, token(&result, "IdToken"), "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid Access Token");
    // A token with a changed payload fails its signature.
    let access = token(&result, "AccessToken");
    let parts: Vec<&str> = access.split('.').collect();
    let mut payload = claims(access);
    payload["username"] = json!("mallory");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64url_encode(payload.to_string().as_bytes()),
        parts[2]
    );
    assert_eq!(claims(&forged)["username"], "mallory");
    let msg = get_user_err(&s, &forged, "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid Access Token");
    let msg = get_user_err(&s, "abc.def.ghi", "NotAuthorizedException").await;
    assert_eq!(msg, "Invalid Access Token");
    // A deleted user's token names nobody.
    s.ok(
        "AdminDeleteUser",
        json!({ "UserPoolId": pool, "Username": "ivan" }),
    )
    .await;
    let msg = get_user_err(&s, access, "UserNotFoundException").await;
    assert_eq!(msg, "User does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn access_and_refresh_tokens_expire() {
    let s = TestServer::start_with_clock().await;
    let pool = s.pool(json!({})).await;
    let (client, _) = client(
        &s,
        &pool,
        json!({ "AccessTokenValidity": 5, "RefreshTokenValidity": 60,
                "TokenValidityUnits": { "AccessToken": "minutes", "RefreshToken": "minutes" } }),
    )
    .await;
    confirmed_user(&s, &pool, "exa", &[]).await;
    let result = sign_in(&s, &client, "exa", PASSWORD).await;
    s.advance(5 * 60_000);
    let msg = get_user_err(&s, token(&result, "AccessToken"), "NotAuthorizedException").await;
    assert_eq!(msg, "Access Token has expired");
    // The refresh token still works, and its new access token does.
    let out = refresh_sign_in(&s, &client, token(&result, "RefreshToken")).await;
    let (status, _) = get_user(&s, token(&out["AuthenticationResult"], "AccessToken")).await;
    assert_eq!(status, 200);
    s.advance(55 * 60_000);
    let msg = refresh_sign_in_err(
        &s,
        &client,
        token(&result, "RefreshToken"),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Refresh Token has expired");
    s.stop().await;
}

// --- monthly active users ---

#[tokio::test]
async fn sign_ins_and_refreshes_count_each_user_once_a_month() {
    let s = TestServer::start().await;
    let (pool, client) = pool_and_client(&s, json!({}), json!({})).await;
    let (quiet_pool, _) = pool_and_client(&s, json!({}), json!({})).await;
    confirmed_user(&s, &pool, "mia", &[]).await;
    confirmed_user(&s, &pool, "max", &[]).await;
    confirmed_user(&s, &quiet_pool, "zed", &[]).await;
    let first = sign_in(&s, &client, "mia", PASSWORD).await;
    sign_in(&s, &client, "mia", PASSWORD).await;
    refresh_sign_in(&s, &client, token(&first, "RefreshToken")).await;
    sign_in(&s, &client, "max", PASSWORD).await;

    let service = s.server.as_ref().unwrap().service.clone();
    let month = service.current_month();
    let counts = service.monthly_active_users(&month).await.unwrap();
    let of = |p: &str| counts.iter().find(|(id, _)| id == p).map(|(_, n)| *n);
    assert_eq!(of(&pool), Some(2));
    assert_eq!(of(&quiet_pool), None);
    assert!(service.monthly_active_users("2026-13").await.is_err());

    // `cognate usage` prints the same from the database.
    let database_url = std::env::var("COGNATE_TEST_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", s.data_dir.join("cognate.db").display()));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cognate"))
        .args(["usage", "--month", &month, "--database-url", &database_url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("month\tuser_pool_id\tmonthly_active_users\n"),
        "{text}"
    );
    assert!(text.contains(&format!("{month}\t{pool}\t2\n")), "{text}");
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_cognate"))
        .args(["usage", "--month", "March", "--database-url", &database_url])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    s.stop().await;
}
