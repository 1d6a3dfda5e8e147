//! App client actions over HTTP: CreateUserPoolClient, DescribeUserPoolClient,
//! UpdateUserPoolClient, DeleteUserPoolClient, ListUserPoolClients.

mod common;

use cognate_core::model::{ClientSettings, UserPoolClient};
use common::{merged, unique, TestServer};
use serde_json::{json, Value};

async fn client(s: &TestServer, pool: &str, extra: Value) -> Value {
    let body = merged(
        json!({ "UserPoolId": pool, "ClientName": unique("app") }),
        extra,
    );
    s.ok("CreateUserPoolClient", body).await["UserPoolClient"].clone()
}

async fn create_err(s: &TestServer, pool: &str, extra: Value, error_type: &str) -> String {
    let body = merged(json!({ "UserPoolId": pool, "ClientName": "app" }), extra);
    s.err("CreateUserPoolClient", body, error_type).await
}

#[tokio::test]
async fn create_returns_cognito_defaults() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let out = s
        .ok(
            "CreateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientName": "web app" }),
        )
        .await;
    let c = &out["UserPoolClient"];
    let id = c["ClientId"].as_str().unwrap();
    assert_eq!(id.len(), 26);
    assert!(id
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit()));
    assert_eq!(c["UserPoolId"], pool);
    assert_eq!(c["ClientName"], "web app");
    assert!(c.get("ClientSecret").is_none());
    assert_eq!(
        c["ExplicitAuthFlows"],
        json!([
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    assert_eq!(c["AccessTokenValidity"], 60);
    assert_eq!(c["IdTokenValidity"], 60);
    assert_eq!(c["RefreshTokenValidity"], 30);
    assert_eq!(
        c["TokenValidityUnits"],
        json!({ "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days" })
    );
    assert_eq!(c["PreventUserExistenceErrors"], "LEGACY");
    assert_eq!(c["EnableTokenRevocation"], true);
    assert_eq!(c["EnablePropagateAdditionalUserContextData"], false);
    assert_eq!(c["AuthSessionValidity"], 3);
    assert_eq!(c["AllowedOAuthFlowsUserPoolClient"], false);
    for absent in [
        "ReadAttributes",
        "WriteAttributes",
        "CallbackURLs",
        "LogoutURLs",
        "AllowedOAuthFlows",
        "AllowedOAuthScopes",
        "SupportedIdentityProviders",
    ] {
        assert!(c.get(absent).is_none(), "{absent} in {c}");
    }
    assert!(c["CreationDate"].as_f64().unwrap() > 1.7e9);
    assert_eq!(c["CreationDate"], c["LastModifiedDate"]);

    let described = s
        .ok(
            "DescribeUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id }),
        )
        .await;
    assert_eq!(&described["UserPoolClient"], c);
    s.stop().await;
}

#[tokio::test]
async fn secrets_are_generated_or_taken_and_described() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(&s, &pool, json!({ "GenerateSecret": true })).await;
    let secret = c["ClientSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 51);
    let described = s
        .ok(
            "DescribeUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": c["ClientId"] }),
        )
        .await;
    assert_eq!(described["UserPoolClient"]["ClientSecret"], secret);

    let given = "my_own_secret_0123456789abcdef";
    let c = client(
        &s,
        &pool,
        json!({ "GenerateSecret": true, "ClientSecret": given }),
    )
    .await;
    assert_eq!(c["ClientSecret"], given);

    let msg = create_err(
        &s,
        &pool,
        json!({ "GenerateSecret": false, "ClientSecret": given }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "ClientSecret can be set only when GenerateSecret is true."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "ClientSecret": "tooshort" }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value '***' at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24"
    );
    s.stop().await;
}

#[tokio::test]
async fn explicit_auth_flows_follow_cognito_rules() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"] }),
    )
    .await;
    assert_eq!(
        c["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
    let c = client(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ADMIN_NO_SRP_AUTH"] }),
    )
    .await;
    assert_eq!(c["ExplicitAuthFlows"], json!(["ADMIN_NO_SRP_AUTH"]));

    let msg = create_err(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "ExplicitAuthFlows": ["ALLOW_MAGIC"] }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.starts_with("1 validation error detected: Value '[ALLOW_MAGIC]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: ["),
        "{msg}"
    );

    let lite = s.pool(json!({ "UserPoolTier": "LITE" })).await;
    create_err(
        &s,
        &lite,
        json!({ "ExplicitAuthFlows": ["ALLOW_USER_AUTH"] }),
        "FeatureUnavailableInTierException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn token_validities_use_their_units_and_ranges() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "AccessTokenValidity": 5, "IdTokenValidity": 1440, "RefreshTokenValidity": 60,
                "TokenValidityUnits": { "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes" } }),
    )
    .await;
    assert_eq!(c["AccessTokenValidity"], 5);
    assert_eq!(c["IdTokenValidity"], 1440);
    assert_eq!(c["RefreshTokenValidity"], 60);
    assert_eq!(
        c["TokenValidityUnits"],
        json!({ "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes" })
    );
    // A value without a unit is in the documented default unit: hours (days for refresh).
    let c = client(
        &s,
        &pool,
        json!({ "AccessTokenValidity": 2, "RefreshTokenValidity": 3650 }),
    )
    .await;
    assert_eq!(c["AccessTokenValidity"], 2);
    assert_eq!(c["TokenValidityUnits"]["AccessToken"], "hours");
    assert_eq!(c["TokenValidityUnits"]["IdToken"], "minutes");
    assert_eq!(c["RefreshTokenValidity"], 3650);
    assert_eq!(c["TokenValidityUnits"]["RefreshToken"], "days");

    for bad in [
        json!({ "AccessTokenValidity": 4, "TokenValidityUnits": { "AccessToken": "minutes" } }),
        json!({ "IdTokenValidity": 2, "TokenValidityUnits": { "IdToken": "days" } }),
        json!({ "RefreshTokenValidity": 59, "TokenValidityUnits": { "RefreshToken": "minutes" } }),
        json!({ "RefreshTokenValidity": 3651 }),
        // A unit without a value applies to the default value: 60 hours.
        json!({ "TokenValidityUnits": { "AccessToken": "hours" } }),
    ] {
        let msg = create_err(&s, &pool, bad.clone(), "InvalidParameterException").await;
        assert_eq!(msg, "Invalid range for token validity.", "{bad}");
    }
    let msg = create_err(
        &s,
        &pool,
        json!({ "AccessTokenValidity": 86401, "TokenValidityUnits": { "AccessToken": "weeks" } }),
        "InvalidParameterException",
    )
    .await;
    assert!(msg.starts_with("2 validation errors detected"), "{msg}");
    assert!(
        msg.contains("Value 'weeks' at 'tokenValidityUnits.accessToken' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"),
        "{msg}"
    );
    s.stop().await;
}

#[tokio::test]
async fn attribute_permissions_must_name_schema_attributes() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [{ "Name": "tier", "AttributeDataType": "String" }] }))
        .await;
    let c = client(
        &s,
        &pool,
        json!({ "ReadAttributes": ["email", "email_verified", "custom:tier"],
                "WriteAttributes": ["email", "custom:tier"] }),
    )
    .await;
    assert_eq!(
        c["ReadAttributes"],
        json!(["email", "email_verified", "custom:tier"])
    );
    assert_eq!(c["WriteAttributes"], json!(["email", "custom:tier"]));

    let msg = create_err(
        &s,
        &pool,
        json!({ "ReadAttributes": ["custom:nope"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Invalid read attributes specified while creating a client"
    );
    for unwritable in [
        "email_verified",
        "phone_number_verified",
        "sub",
        "shoe_size",
    ] {
        let msg = create_err(
            &s,
            &pool,
            json!({ "WriteAttributes": ["email", unwritable] }),
            "InvalidParameterException",
        )
        .await;
        assert_eq!(
            msg,
            "Invalid write attributes specified while creating a client"
        );
    }
    let msg = s
        .err(
            "UpdateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": c["ClientId"], "WriteAttributes": ["sub"] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Invalid write attributes specified while updating a client"
    );
    s.stop().await;
}

#[tokio::test]
async fn redirect_urls_must_be_https_except_for_localhost() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "CallbackURLs": ["https://app.example.com/cb", "http://localhost:3000/cb", "myapp://cb"],
                "LogoutURLs": ["https://app.example.com/bye"],
                "DefaultRedirectURI": "https://app.example.com/cb" }),
    )
    .await;
    assert_eq!(
        c["CallbackURLs"],
        json!([
            "https://app.example.com/cb",
            "http://localhost:3000/cb",
            "myapp://cb"
        ])
    );
    assert_eq!(c["LogoutURLs"], json!(["https://app.example.com/bye"]));
    assert_eq!(c["DefaultRedirectURI"], "https://app.example.com/cb");

    let msg = create_err(
        &s,
        &pool,
        json!({ "CallbackURLs": ["http://app.example.com/cb"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "http://app.example.com/cb cannot use the HTTP protocol."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "LogoutURLs": ["https://app.example.com/#bye"] }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.starts_with("https://app.example.com/#bye is not a valid redirect URI"),
        "{msg}"
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "CallbackURLs": ["https://a.example.com"], "DefaultRedirectURI": "https://b.example.com" }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "The default redirect URI https://b.example.com is not in the callback URIs list."
    );
    let many: Vec<String> = (0..101)
        .map(|i| format!("https://example.com/{i}"))
        .collect();
    let msg = create_err(
        &s,
        &pool,
        json!({ "CallbackURLs": many }),
        "InvalidParameterException",
    )
    .await;
    assert!(
        msg.ends_with("at 'callbackURLs' failed to satisfy constraint: Member must have length less than or equal to 100"),
        "{msg}"
    );
    s.stop().await;
}

#[tokio::test]
async fn oauth_settings_follow_cognito_rules() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "email"], "CallbackURLs": ["https://example.com/cb"],
                "SupportedIdentityProviders": ["COGNITO"] }),
    )
    .await;
    assert_eq!(c["AllowedOAuthFlowsUserPoolClient"], true);
    assert_eq!(c["AllowedOAuthFlows"], json!(["code"]));
    assert_eq!(c["AllowedOAuthScopes"], json!(["openid", "email"]));
    assert_eq!(c["SupportedIdentityProviders"], json!(["COGNITO"]));
    let c = client(
        &s,
        &pool,
        json!({ "GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true,
                "AllowedOAuthFlows": ["client_credentials"], "AllowedOAuthScopes": ["aws.cognito.signin.user.admin"] }),
    )
    .await;
    assert_eq!(c["AllowedOAuthFlows"], json!(["client_credentials"]));

    let msg = create_err(
        &s,
        &pool,
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "GenerateSecret": true, "AllowedOAuthFlowsUserPoolClient": true,
                "AllowedOAuthFlows": ["client_credentials", "code"], "AllowedOAuthScopes": ["openid"],
                "CallbackURLs": ["https://example.com/cb"] }),
        "InvalidOAuthFlowException",
    )
    .await;
    assert_eq!(
        msg,
        "client_credentials flow can not be selected along with code flow or implicit flow."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"],
                "AllowedOAuthScopes": ["openid"] }),
        "InvalidOAuthFlowException",
    )
    .await;
    assert_eq!(
        msg,
        "client_credentials flow can not be selected if client does not have a client secret."
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["implicit"],
                "AllowedOAuthScopes": ["openid"] }),
        "InvalidOAuthFlowException",
    )
    .await;
    assert_eq!(
        msg,
        "CallbackUrls can not be empty when code flow or implicit flow is selected"
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "orders/read"], "CallbackURLs": ["https://example.com/cb"] }),
        "ScopeDoesNotExistException",
    )
    .await;
    assert_eq!(msg, "Invalid scope requested: orders/read");
    let msg = create_err(
        &s,
        &pool,
        json!({ "AllowedOAuthFlows": ["code", "token"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]"
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "SupportedIdentityProviders": ["Google"] }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        format!("The provider Google does not exist for User Pool {pool}")
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "AnalyticsConfiguration": { "ApplicationId": "abc123" } }),
        "InvalidParameterException",
    )
    .await;
    assert_eq!(
        msg,
        "Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid"
    );
    s.stop().await;
}

#[tokio::test]
async fn other_settings_are_validated() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "PreventUserExistenceErrors": "ENABLED", "EnableTokenRevocation": false,
                "AuthSessionValidity": 15, "RefreshTokenRotation": { "Feature": "ENABLED", "RetryGracePeriodSeconds": 10 } }),
    )
    .await;
    assert_eq!(c["PreventUserExistenceErrors"], "ENABLED");
    assert_eq!(c["EnableTokenRevocation"], false);
    assert_eq!(c["AuthSessionValidity"], 15);
    assert_eq!(
        c["RefreshTokenRotation"],
        json!({ "Feature": "ENABLED", "RetryGracePeriodSeconds": 10 })
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "AuthSessionValidity": 2, "PreventUserExistenceErrors": "MAYBE",
                "RefreshTokenRotation": { "RetryGracePeriodSeconds": 61 } }),
        "InvalidParameterException",
    )
    .await;
    assert!(msg.starts_with("4 validation errors detected"), "{msg}");
    assert!(msg.contains("Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3"), "{msg}");
    assert!(msg.contains("Value null at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must not be null"), "{msg}");
    assert!(
        msg.contains("at 'refreshTokenRotation.retryGracePeriodSeconds'"),
        "{msg}"
    );

    let msg = s
        .err(
            "CreateUserPoolClient",
            json!({}),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; Value null at 'clientName' failed to satisfy constraint: Member must not be null"
    );
    let msg = create_err(
        &s,
        &pool,
        json!({ "ClientName": "bad/name" }),
        "InvalidParameterException",
    )
    .await;
    assert!(msg.contains("at 'clientName' failed to satisfy constraint: Member must satisfy regular expression pattern"), "{msg}");
    let msg = s
        .err(
            "CreateUserPoolClient",
            json!({ "UserPoolId": "us-east-1_nothere00", "ClientName": "app" }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, "User pool us-east-1_nothere00 does not exist.");
    s.stop().await;
}

#[tokio::test]
async fn update_resets_omitted_settings_to_defaults() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(
        &s,
        &pool,
        json!({ "GenerateSecret": true, "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"],
                "AccessTokenValidity": 10, "TokenValidityUnits": { "AccessToken": "minutes" },
                "ReadAttributes": ["email"], "PreventUserExistenceErrors": "ENABLED",
                "CallbackURLs": ["https://example.com/cb"] }),
    )
    .await;
    let id = c["ClientId"].as_str().unwrap();
    let out = s
        .ok(
            "UpdateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id, "AuthSessionValidity": 7 }),
        )
        .await;
    let u = &out["UserPoolClient"];
    assert_eq!(u["ClientId"], id);
    assert_eq!(u["ClientName"], c["ClientName"]);
    assert_eq!(u["ClientSecret"], c["ClientSecret"]);
    assert_eq!(u["CreationDate"], c["CreationDate"]);
    assert!(u["LastModifiedDate"].as_f64() >= c["LastModifiedDate"].as_f64());
    assert_eq!(u["AuthSessionValidity"], 7);
    assert_eq!(
        u["ExplicitAuthFlows"],
        json!([
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    assert_eq!(u["AccessTokenValidity"], 60);
    assert_eq!(u["TokenValidityUnits"]["AccessToken"], "minutes");
    assert_eq!(u["PreventUserExistenceErrors"], "LEGACY");
    assert!(u.get("ReadAttributes").is_none());
    assert!(u.get("CallbackURLs").is_none());
    let described = s
        .ok(
            "DescribeUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id }),
        )
        .await;
    assert_eq!(&described["UserPoolClient"], u);

    let renamed = s
        .ok(
            "UpdateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id, "ClientName": "renamed" }),
        )
        .await;
    assert_eq!(renamed["UserPoolClient"]["ClientName"], "renamed");
    s.err(
        "UpdateUserPoolClient",
        json!({ "UserPoolId": pool, "ClientId": "nosuchclient" }),
        "ResourceNotFoundException",
    )
    .await;
    let msg = s
        .err(
            "UpdateUserPoolClient",
            json!({ "UserPoolId": pool }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null"
    );
    s.stop().await;
}

#[tokio::test]
async fn delete_removes_the_client() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let c = client(&s, &pool, json!({})).await;
    let id = c["ClientId"].as_str().unwrap();
    let out = s
        .ok(
            "DeleteUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id }),
        )
        .await;
    assert_eq!(out, json!({}));
    let msg = s
        .err(
            "DescribeUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": id }),
            "ResourceNotFoundException",
        )
        .await;
    assert_eq!(msg, format!("User pool client {id} does not exist."));
    s.err(
        "DeleteUserPoolClient",
        json!({ "UserPoolId": pool, "ClientId": id }),
        "ResourceNotFoundException",
    )
    .await;
    // A client is found only in its own pool.
    let other = s.pool(json!({})).await;
    let c = client(&s, &pool, json!({})).await;
    s.err(
        "DescribeUserPoolClient",
        json!({ "UserPoolId": other, "ClientId": c["ClientId"] }),
        "ResourceNotFoundException",
    )
    .await;
    let msg = s
        .err(
            "DescribeUserPoolClient",
            json!({ "UserPoolId": pool, "ClientId": "has spaces" }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.contains("at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+"), "{msg}");
    s.stop().await;
}

#[tokio::test]
async fn list_pages_through_descriptions() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let mut mine = Vec::new();
    for i in 0..5 {
        let c = client(
            &s,
            &pool,
            json!({ "ClientName": format!("app{i}"), "GenerateSecret": true }),
        )
        .await;
        mine.push(c["ClientId"].as_str().unwrap().to_string());
    }
    mine.sort();
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({ "UserPoolId": pool, "MaxResults": 2 });
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let page = s.ok("ListUserPoolClients", req).await;
        let clients = page["UserPoolClients"].as_array().unwrap();
        assert!(clients.len() <= 2);
        for c in clients {
            let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys.len(), 3, "{c}");
            assert_eq!(c["UserPoolId"], pool);
            assert!(c["ClientName"].as_str().unwrap().starts_with("app"));
            seen.push(c["ClientId"].as_str().unwrap().to_string());
        }
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, mine);
    let all = s
        .ok("ListUserPoolClients", json!({ "UserPoolId": pool }))
        .await;
    assert_eq!(all["UserPoolClients"].as_array().unwrap().len(), 5);
    assert!(all.get("NextToken").is_none());

    let empty = s.pool(json!({})).await;
    let none = s
        .ok("ListUserPoolClients", json!({ "UserPoolId": empty }))
        .await;
    assert_eq!(none, json!({ "UserPoolClients": [] }));
    let msg = s
        .err(
            "ListUserPoolClients",
            json!({ "UserPoolId": pool, "MaxResults": 61 }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"
    );
    s.err(
        "ListUserPoolClients",
        json!({ "UserPoolId": pool, "NextToken": "!!!" }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "ListUserPoolClients",
        json!({ "UserPoolId": "us-east-1_nothere00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn a_pool_holds_at_most_1000_clients() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let store = s.server.as_ref().unwrap().service.store().clone();
    // Fill the pool through the store: 999 HTTP round trips would only test the loop.
    let suffix = pool.split('_').nth(1).unwrap_or_default().to_lowercase();
    for i in 0..999 {
        let c = UserPoolClient {
            pool_id: pool.clone(),
            client_id: format!("filler{i:04}{}", suffix),
            name: format!("filler{i}"),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            settings: ClientSettings::default(),
        };
        store.insert_client(&c).await.unwrap();
    }
    client(&s, &pool, json!({})).await;
    let msg = create_err(&s, &pool, json!({}), "LimitExceededException").await;
    assert_eq!(
        msg,
        format!("The user pool {pool} has reached its limit of 1000 app clients.")
    );
    s.stop().await;
}

#[tokio::test]
async fn client_actions_need_a_signature() {
    let s = TestServer::start().await;
    s.assert_needs_signature(
        "CreateUserPoolClient",
        json!({ "UserPoolId": "us-east-1_abc", "ClientName": "app" }),
    )
    .await;
    s.stop().await;
}
