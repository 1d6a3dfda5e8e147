//! User pool actions over HTTP: CreateUserPool, DescribeUserPool, UpdateUserPool,
//! DeleteUserPool, ListUserPools.

mod common;

use common::{unique, TestServer};
use serde_json::json;

#[tokio::test]
async fn create_then_describe_returns_cognito_defaults() {
    let s = TestServer::start().await;
    let name = unique("defaults");
    let created = s.ok("CreateUserPool", json!({ "PoolName": name })).await;
    let id = created["UserPool"]["Id"].as_str().unwrap();
    assert!(
        id.starts_with("us-east-1_") && id.len() == "us-east-1_".len() + 9,
        "{id}"
    );
    let described = s.ok("DescribeUserPool", json!({ "UserPoolId": id })).await;
    let pool = &described["UserPool"];
    assert_eq!(pool["Name"], name);
    assert_eq!(
        pool["Arn"],
        format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}")
    );
    assert_eq!(pool["MfaConfiguration"], "OFF");
    assert_eq!(pool["DeletionProtection"], "INACTIVE");
    assert_eq!(pool["EstimatedNumberOfUsers"], 0);
    let policy = &pool["Policies"]["PasswordPolicy"];
    assert_eq!(policy["MinimumLength"], 8);
    assert_eq!(policy["RequireSymbols"], true);
    assert_eq!(policy["TemporaryPasswordValidityDays"], 7);
    let schema = pool["SchemaAttributes"].as_array().unwrap();
    assert_eq!(schema[0]["Name"], "sub");
    assert_eq!(schema[0]["Mutable"], false);
    assert!(schema
        .iter()
        .any(|a| a["Name"] == "email_verified" && a["AttributeDataType"] == "Boolean"));
    assert!(pool["CreationDate"].as_f64().unwrap() > 1.7e9);
    s.stop().await;
}

#[tokio::test]
async fn custom_schema_attributes_are_prefixed_and_checked() {
    let s = TestServer::start().await;
    let id = s
        .pool(json!({ "Schema": [
            { "Name": "tier", "AttributeDataType": "String", "StringAttributeConstraints": { "MaxLength": "16" } },
            { "Name": "email", "Required": true },
            { "Name": "internal", "AttributeDataType": "Number", "DeveloperOnlyAttribute": true }
        ]}))
        .await;
    let pool = s.ok("DescribeUserPool", json!({ "UserPoolId": id })).await;
    let schema = pool["UserPool"]["SchemaAttributes"].as_array().unwrap();
    let tier = schema.iter().find(|a| a["Name"] == "custom:tier").unwrap();
    assert_eq!(tier["StringAttributeConstraints"]["MaxLength"], "16");
    assert!(schema
        .iter()
        .any(|a| a["Name"] == "email" && a["Required"] == true));
    assert!(
        schema
            .iter()
            .any(|a| a["Name"] == "dev:custom:internal" && a["DeveloperOnlyAttribute"] == true),
        "developer-only attributes are named dev:custom:"
    );
    let msg = s
        .err(
            "CreateUserPool",
            json!({ "PoolName": "p", "Schema": [{ "Name": "x", "AttributeDataType": "String", "Required": true }] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Required custom attributes are not supported currently."
    );
    s.stop().await;
}

#[tokio::test]
async fn alias_and_username_attributes_exclude_each_other() {
    let s = TestServer::start().await;
    let msg = s
        .err(
            "CreateUserPool",
            json!({ "PoolName": "p", "AliasAttributes": ["email"], "UsernameAttributes": ["email"] }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.contains("aliasAttributes or usernameAttributes"),
        "{msg}"
    );
    s.stop().await;
}

#[tokio::test]
async fn constraint_violations_are_reported_like_aws() {
    let s = TestServer::start().await;
    let msg = s
        .err("CreateUserPool", json!({}), "InvalidParameterException")
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null"
    );
    let msg = s
        .err(
            "CreateUserPool",
            json!({ "PoolName": "x".repeat(129) }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.contains("Member must have length less than or equal to 128"),
        "{msg}"
    );
    let msg = s
        .err(
            "CreateUserPool",
            json!({ "PoolName": "ok", "MfaConfiguration": "SOMETIMES",
                    "Policies": { "PasswordPolicy": { "MinimumLength": 5 } } }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.starts_with("2 validation errors detected"), "{msg}");
    s.err(
        "DescribeUserPool",
        json!({ "UserPoolId": "no-underscore" }),
        "InvalidParameterException",
    )
    .await;
    s.err(
        "DescribeUserPool",
        json!({ "UserPoolId": "us-east-1_missing00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_protocol_errors() {
    let s = TestServer::start().await;
    let creds = common::creds();
    let (status, body) = s
        .raw(
            "AWSCognitoIdentityProviderService.CreateUserPool",
            b"{not json".to_vec(),
            Some(&creds),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("SerializationException"), "{body}");
    let (status, body) = s
        .raw(
            "AWSCognitoIdentityProviderService.ListUserPools",
            br#"{"MaxResults": "ten"}"#.to_vec(),
            Some(&creds),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("SerializationException"), "{body}");
    let (status, body) = s
        .raw(
            "AWSCognitoIdentityProviderService.NoSuchAction",
            b"{}".to_vec(),
            Some(&creds),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("UnknownOperationException"), "{body}");
    s.stop().await;
}

#[tokio::test]
async fn update_resets_unspecified_settings_and_keeps_immutable_ones() {
    let s = TestServer::start().await;
    let id = s
        .pool(
            json!({ "MfaConfiguration": "OFF", "AliasAttributes": ["email"],
                      "Policies": { "PasswordPolicy": { "MinimumLength": 12 } },
                      "UserPoolTags": { "team": "blue" } }),
        )
        .await;
    s.ok(
        "UpdateUserPool",
        json!({ "UserPoolId": id, "DeletionProtection": "ACTIVE", "PoolName": "renamed" }),
    )
    .await;
    let pool = s.ok("DescribeUserPool", json!({ "UserPoolId": id })).await;
    let pool = &pool["UserPool"];
    assert_eq!(pool["Name"], "renamed");
    assert_eq!(pool["DeletionProtection"], "ACTIVE");
    assert_eq!(pool["Policies"]["PasswordPolicy"]["MinimumLength"], 8);
    assert_eq!(pool["AliasAttributes"], json!(["email"]));
    assert_eq!(pool["UserPoolTags"]["team"], "blue");
    assert!(pool["LastModifiedDate"].as_f64() >= pool["CreationDate"].as_f64());
    s.stop().await;
}

#[tokio::test]
async fn deletion_protection_blocks_delete() {
    let s = TestServer::start().await;
    let id = s.pool(json!({ "DeletionProtection": "ACTIVE" })).await;
    let msg = s
        .err(
            "DeleteUserPool",
            json!({ "UserPoolId": id }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.contains("deletion protection"), "{msg}");
    s.ok(
        "UpdateUserPool",
        json!({ "UserPoolId": id, "DeletionProtection": "INACTIVE" }),
    )
    .await;
    s.ok("DeleteUserPool", json!({ "UserPoolId": id })).await;
    s.err(
        "DescribeUserPool",
        json!({ "UserPoolId": id }),
        "ResourceNotFoundException",
    )
    .await;
    s.err(
        "DeleteUserPool",
        json!({ "UserPoolId": id }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn list_user_pools_pages_through_every_pool() {
    let s = TestServer::start().await;
    let mut mine = Vec::new();
    for _ in 0..5 {
        mine.push(s.pool(json!({})).await);
    }
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut req = json!({ "MaxResults": 2 });
        if let Some(t) = &token {
            req["NextToken"] = json!(t);
        }
        let page = s.ok("ListUserPools", req).await;
        let pools = page["UserPools"].as_array().unwrap();
        assert!(pools.len() <= 2);
        seen.extend(pools.iter().map(|p| p["Id"].as_str().unwrap().to_string()));
        match page["NextToken"].as_str() {
            Some(t) => token = Some(t.to_string()),
            None => break,
        }
    }
    for id in &mine {
        assert!(seen.contains(id), "{id} missing from listing");
    }
    s.err("ListUserPools", json!({}), "InvalidParameterException")
        .await;
    s.err(
        "ListUserPools",
        json!({ "MaxResults": 61 }),
        "InvalidParameterException",
    )
    .await;
    s.stop().await;
}
