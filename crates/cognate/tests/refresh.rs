//! GetTokensFromRefreshToken over HTTP (what Amplify v6 refreshes with), with and without
//! refresh-token rotation: new tokens, the client secret, the retry grace period of a rotated
//! token, REFRESH_TOKEN_AUTH refused on rotating clients (which may not allow it either),
//! revocation of a rotated family, and the request checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "support/auth.rs"]
mod support;

use common::TestServer;
use serde_json::{json, Value};
use support::*;

/// Client settings with rotation: the helper's flows without ALLOW_REFRESH_TOKEN_AUTH, which a
/// rotating client may not have.
fn rotating(grace_secs: i64) -> Value {
    json!({
        "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": grace_secs },
    })
}

const ROTATION_WITH_REFRESH_AUTH: &str =
    "ALLOW_REFRESH_TOKEN_AUTH can not be enabled when refresh token rotation is enabled.";

async fn describe(s: &TestServer, pool: &str, client: &str) -> Value {
    s.ok(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": pool, "ClientId": client }),
    )
    .await["UserPoolClient"]
        .clone()
}

fn from_refresh(client: &str, refresh_token: &str) -> Value {
    json!({ "ClientId": client, "RefreshToken": refresh_token })
}

/// A pool, a client with `client_extra`, a confirmed user "carol" signed in; returns
/// (pool, client, client secret, first AuthenticationResult).
async fn signed_in(s: &TestServer, client_extra: Value) -> (String, String, Option<String>, Value) {
    let pool = s.pool(json!({})).await;
    let (client, secret) = client(s, &pool, client_extra).await;
    confirmed_user(s, &pool, "carol", &[("email", "carol@example.com")]).await;
    let auth = match &secret {
        None => sign_in(s, &client, "carol", PASSWORD).await,
        Some(secret) => {
            let hash = cognate_crypto::digest::secret_hash(secret, "carol", &client);
            let body = json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": client,
                "AuthParameters": { "USERNAME": "carol", "PASSWORD": PASSWORD, "SECRET_HASH": hash },
            });
            public_ok(s, "InitiateAuth", body).await["AuthenticationResult"].clone()
        }
    };
    (pool, client, secret, auth)
}

fn refresh_token(result: &Value) -> String {
    result["RefreshToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn without_rotation_it_answers_new_id_and_access_tokens_only() {
    let s = TestServer::start().await;
    let (_, client, _, first) = signed_in(&s, json!({})).await;
    let rt = refresh_token(&first);
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt)).await;
    let result = &out["AuthenticationResult"];
    assert!(out.get("ChallengeParameters").is_none(), "{out}");
    assert!(result.get("RefreshToken").is_none(), "{out}");
    assert_eq!(result["TokenType"], "Bearer");
    assert_eq!(result["ExpiresIn"], 3600);
    let access = result["AccessToken"].as_str().unwrap();
    assert_ne!(access, first["AccessToken"].as_str().unwrap());
    let c = claims(access);
    assert_eq!(
        c["origin_jti"],
        claims(first["AccessToken"].as_str().unwrap())["origin_jti"]
    );
    assert_eq!(
        claims(result["IdToken"].as_str().unwrap())["email"],
        "carol@example.com"
    );
    // The access token works, and the refresh token keeps working (no rotation).
    let me = public_ok(&s, "GetUser", json!({ "AccessToken": access })).await;
    assert_eq!(me["Username"], "carol");
    public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt)).await;
    public_ok(&s, "InitiateAuth", refresh_auth(&client, &rt)).await;
}

#[tokio::test]
async fn with_rotation_each_refresh_issues_a_successor_and_the_old_token_dies() {
    let s = TestServer::start_with_clock().await;
    let (_, client, _, first) = signed_in(&s, rotating(0)).await;
    let rt1 = refresh_token(&first);

    // REFRESH_TOKEN_AUTH is not how a rotating client refreshes.
    let msg = public_err(
        &s,
        "InitiateAuth",
        refresh_auth(&client, &rt1),
        "NotAuthorizedException",
    )
    .await;
    assert!(msg.contains("GetTokensFromRefreshToken"), "{msg}");

    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt1)).await;
    let rt2 = refresh_token(&out["AuthenticationResult"]);
    assert_ne!(rt1, rt2);
    // Grace period 0: the old token is refused at once; the new one works, once.
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &rt1),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");
    s.advance(1_000);
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt2)).await;
    let rt3 = refresh_token(&out["AuthenticationResult"]);
    // The family stays one authentication event.
    let origin = |r: &Value| claims(r["AccessToken"].as_str().unwrap())["origin_jti"].clone();
    assert_eq!(origin(&out["AuthenticationResult"]), origin(&first));
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &rt2),
        "NotAuthorizedException",
    )
    .await;
    public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt3)).await;
}

#[tokio::test]
async fn a_rotated_token_is_honoured_for_the_retry_grace_period_only() {
    let s = TestServer::start_with_clock().await;
    let (_, client, _, first) = signed_in(&s, rotating(10)).await;
    let rt1 = refresh_token(&first);
    let a = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt1)).await;
    s.advance(9_000);
    // A retry within 10 s (the client lost the first answer) still succeeds.
    let b = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt1)).await;
    assert_ne!(
        refresh_token(&a["AuthenticationResult"]),
        refresh_token(&b["AuthenticationResult"])
    );
    // The grace period counts from the first rotation, not from the retry.
    s.advance(1_000);
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &rt1),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");
    public_ok(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &refresh_token(&b["AuthenticationResult"])),
    )
    .await;
}

#[tokio::test]
async fn revoking_a_rotated_token_revokes_its_whole_family() {
    let s = TestServer::start_with_clock().await;
    let (_, client, _, first) = signed_in(&s, rotating(60)).await;
    let rt1 = refresh_token(&first);
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt1)).await;
    let rt2 = refresh_token(&out["AuthenticationResult"]);
    let access2 = out["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    public_ok(
        &s,
        "RevokeToken",
        json!({ "ClientId": client, "Token": rt2 }),
    )
    .await;
    for rt in [&rt1, &rt2] {
        let msg = public_err(
            &s,
            "GetTokensFromRefreshToken",
            from_refresh(&client, rt),
            "NotAuthorizedException",
        )
        .await;
        assert_eq!(msg, "Refresh Token has been revoked");
    }
    for access in [first["AccessToken"].as_str().unwrap(), access2.as_str()] {
        let msg = public_err(
            &s,
            "GetUser",
            json!({ "AccessToken": access }),
            "NotAuthorizedException",
        )
        .await;
        assert_eq!(msg, "Access Token has been revoked");
    }
}

#[tokio::test]
async fn clients_with_a_secret_must_send_it() {
    let s = TestServer::start().await;
    let (_, client, secret, first) = signed_in(&s, json!({ "GenerateSecret": true })).await;
    let secret = secret.unwrap();
    let rt = refresh_token(&first);
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &rt),
        "NotAuthorizedException",
    )
    .await;
    assert!(msg.contains("ClientSecret was not received"), "{msg}");
    let wrong = json!({ "ClientId": client, "RefreshToken": rt, "ClientSecret": "notTheSecret" });
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        wrong,
        "NotAuthorizedException",
    )
    .await;
    let right = json!({ "ClientId": client, "RefreshToken": rt, "ClientSecret": secret });
    public_ok(&s, "GetTokensFromRefreshToken", right).await;
}

#[tokio::test]
async fn tokens_of_other_clients_disabled_users_and_bad_requests_are_refused() {
    let s = TestServer::start().await;
    let (pool, client, _, first) = signed_in(&s, json!({})).await;
    let rt = refresh_token(&first);
    let (other, _) = support::client(&s, &pool, json!({})).await;
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&other, &rt),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "Invalid Refresh Token.");
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, "not.a.token"),
        "NotAuthorizedException",
    )
    .await;
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh("nosuchclient123", &rt),
        "ResourceNotFoundException",
    )
    .await;

    // Validation: required members, patterns.
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        json!({ "ClientId": client }),
        "InvalidParameterException",
    )
    .await;
    assert!(msg.contains("refreshToken"), "{msg}");
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        json!({ "ClientId": client, "RefreshToken": rt, "DeviceKey": "no device key" }),
        "InvalidParameterException",
    )
    .await;
    public_err(
        &s,
        "GetTokensFromRefreshToken",
        json!({ "ClientId": client, "RefreshToken": "has spaces" }),
        "InvalidParameterException",
    )
    .await;

    s.ok(
        "AdminDisableUser",
        json!({ "UserPoolId": pool, "Username": "carol" }),
    )
    .await;
    let msg = public_err(
        &s,
        "GetTokensFromRefreshToken",
        from_refresh(&client, &rt),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(msg, "User is disabled.");
}

#[tokio::test]
async fn a_rotating_client_may_not_allow_refresh_token_auth() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let both = json!({
        "UserPoolId": pool,
        "ClientName": "app",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "RefreshTokenRotation": { "Feature": "ENABLED" },
    });
    let msg = s
        .err("CreateUserPoolClient", both, "InvalidParameterException")
        .await;
    assert_eq!(msg, ROTATION_WITH_REFRESH_AUTH);

    // Nor may an update turn rotation on while keeping the flow; the client stays as it was.
    let (client, _) = client(&s, &pool, json!({})).await;
    let msg = s
        .err(
            "UpdateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": client,
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 5 } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, ROTATION_WITH_REFRESH_AUTH);
    let c = describe(&s, &pool, &client).await;
    assert!(
        c.get("RefreshTokenRotation")
            .is_none_or(|r| r["Feature"] != "ENABLED"),
        "{c}"
    );
    assert_eq!(
        c["ExplicitAuthFlows"],
        json!([
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH"
        ])
    );

    // With rotation DISABLED the same flows are fine.
    let out = s
        .ok(
            "CreateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientName": "app",
                    "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    "RefreshTokenRotation": { "Feature": "DISABLED" } }),
        )
        .await;
    assert_eq!(
        out["UserPoolClient"]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
}

#[tokio::test]
async fn a_rotating_client_gets_no_refresh_token_auth_and_refreshes_with_get_tokens() {
    let s = TestServer::start().await;
    let (pool, client, _, first) = signed_in(&s, rotating(0)).await;
    // Not added, as it is to clients that do not rotate.
    let c = describe(&s, &pool, &client).await;
    assert_eq!(
        c["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"])
    );
    // Nor among the defaults of a rotating client created without flows.
    let out = s
        .ok(
            "CreateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientName": "defaults",
                    "RefreshTokenRotation": { "Feature": "ENABLED" } }),
        )
        .await;
    assert_eq!(
        out["UserPoolClient"]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"])
    );

    // GetTokensFromRefreshToken does not need the flow.
    let rt = refresh_token(&first);
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt)).await;
    let rt2 = refresh_token(&out["AuthenticationResult"]);
    assert_ne!(rt, rt2);

    // REFRESH_TOKEN_AUTH is refused for the rotation, in both InitiateAuth calls.
    let msg = public_err(
        &s,
        "InitiateAuth",
        refresh_auth(&client, &rt2),
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(
        msg,
        "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken"
    );
    let admin = json!({ "UserPoolId": pool, "ClientId": client, "AuthFlow": "REFRESH_TOKEN_AUTH",
                        "AuthParameters": { "REFRESH_TOKEN": rt2 } });
    let msg = s
        .err("AdminInitiateAuth", admin, "NotAuthorizedException")
        .await;
    assert!(msg.contains("GetTokensFromRefreshToken"), "{msg}");
    // The refusal spent nothing: the token still refreshes.
    public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt2)).await;
}

#[tokio::test]
async fn turning_rotation_on_and_off_moves_refresh_token_auth() {
    let s = TestServer::start().await;
    let (pool, client, _, first) = signed_in(&s, json!({})).await;
    let rt = refresh_token(&first);
    let update = |extra: Value| {
        merged(
            json!({ "UserPoolId": pool, "ClientId": client,
                    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"] }),
            extra,
        )
    };

    // On: the flow goes, tokens issued before rotate through GetTokensFromRefreshToken.
    let on = s
        .ok(
            "UpdateUserPoolClient",
            update(json!({ "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 60 } })),
        )
        .await;
    assert_eq!(
        on["UserPoolClient"]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH"])
    );
    public_err(
        &s,
        "InitiateAuth",
        refresh_auth(&client, &rt),
        "NotAuthorizedException",
    )
    .await;
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt)).await;
    let rt2 = refresh_token(&out["AuthenticationResult"]);

    // Off: the flow is back, and REFRESH_TOKEN_AUTH works again.
    let off = s
        .ok(
            "UpdateUserPoolClient",
            update(json!({ "RefreshTokenRotation": { "Feature": "DISABLED" } })),
        )
        .await;
    assert_eq!(
        off["UserPoolClient"]["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
    let out = public_ok(&s, "InitiateAuth", refresh_auth(&client, &rt2)).await;
    assert!(
        out["AuthenticationResult"]["AccessToken"].is_string(),
        "{out}"
    );
    let out = public_ok(&s, "GetTokensFromRefreshToken", from_refresh(&client, &rt2)).await;
    assert!(
        out["AuthenticationResult"].get("RefreshToken").is_none(),
        "{out}"
    );
}
