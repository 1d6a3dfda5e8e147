//! Pool actions beyond UpdateUserPool, over HTTP: AddCustomAttributes, GetCSVHeader,
//! GetUserPoolMfaConfig, SetUserPoolMfaConfig, TagResource, UntagResource, ListTagsForResource.

mod common;

use common::TestServer;
use serde_json::{json, Value};

const SNS_ROLE: &str = "arn:aws:iam::123456789012:role/cognito-sms";

fn arn(pool: &str) -> String {
    format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool}")
}

async fn schema(s: &TestServer, pool: &str) -> Vec<Value> {
    let out = s
        .ok("DescribeUserPool", json!({ "UserPoolId": pool }))
        .await;
    // An absent schema makes the callers' look-ups fail, which fails the test.
    out["UserPool"]["SchemaAttributes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn custom_attributes_are_added_to_the_schema() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let out = s
        .ok(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [
                { "Name": "tier", "AttributeDataType": "String", "Mutable": false,
                  "StringAttributeConstraints": { "MinLength": "1", "MaxLength": "16" } },
                { "Name": "age", "AttributeDataType": "Number",
                  "NumberAttributeConstraints": { "MinValue": "0", "MaxValue": "150" } }
            ]}),
        )
        .await;
    assert_eq!(out, json!({}));
    let attrs = schema(&s, &pool).await;
    let tier = attrs.iter().find(|a| a["Name"] == "custom:tier").unwrap();
    assert_eq!(tier["AttributeDataType"], "String");
    assert_eq!(tier["Mutable"], false);
    assert_eq!(tier["Required"], false);
    assert_eq!(
        tier["StringAttributeConstraints"],
        json!({ "MinLength": "1", "MaxLength": "16" })
    );
    let age = attrs.iter().find(|a| a["Name"] == "custom:age").unwrap();
    assert_eq!(
        age["NumberAttributeConstraints"],
        json!({ "MinValue": "0", "MaxValue": "150" })
    );

    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [{ "Name": "tier", "AttributeDataType": "String" }] }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "custom:tier: Existing attribute already has name custom:tier."
    );
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [
                { "Name": "nick", "AttributeDataType": "String" },
                { "Name": "nick", "AttributeDataType": "String" }
            ]}),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "custom:nick: Existing attribute already has name custom:nick."
    );
    // Nothing of a refused request is kept.
    assert!(!schema(&s, &pool)
        .await
        .iter()
        .any(|a| a["Name"] == "custom:nick"));
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [{ "Name": "x", "Required": true }] }),
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
async fn custom_attribute_requests_are_validated_and_limited() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [] }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.ends_with("at 'customAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"),
        "{msg}"
    );
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": [
                { "Name": "a".repeat(21), "AttributeDataType": "Text" }
            ]}),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.starts_with("2 validation errors detected"), "{msg}");
    assert!(msg.contains("at 'customAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20"), "{msg}");
    assert!(
        msg.contains("at 'customAttributes.1.member.attributeDataType'"),
        "{msg}"
    );
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'customAttributes' failed to satisfy constraint: Member must not be null"
    );

    let batch = |from: usize, n: usize| -> Value {
        (from..from + n)
            .map(|i| json!({ "Name": format!("c{i}"), "AttributeDataType": "String" }))
            .collect()
    };
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": batch(0, 26) }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.contains("Member must have length less than or equal to 25"),
        "{msg}"
    );
    s.ok(
        "AddCustomAttributes",
        json!({ "UserPoolId": pool, "CustomAttributes": batch(0, 25) }),
    )
    .await;
    s.ok(
        "AddCustomAttributes",
        json!({ "UserPoolId": pool, "CustomAttributes": batch(25, 25) }),
    )
    .await;
    let msg = s
        .err(
            "AddCustomAttributes",
            json!({ "UserPoolId": pool, "CustomAttributes": batch(50, 1) }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "A user pool can have at most 50 custom attributes.");
    s.err(
        "AddCustomAttributes",
        json!({ "UserPoolId": "us-east-1_nothere00", "CustomAttributes": batch(0, 1) }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn csv_header_lists_attributes_then_cognito_columns() {
    let s = TestServer::start().await;
    let pool = s
        .pool(json!({ "Schema": [{ "Name": "joinedOn", "AttributeDataType": "DateTime" }] }))
        .await;
    let out = s.ok("GetCSVHeader", json!({ "UserPoolId": pool })).await;
    assert_eq!(
        out,
        json!({
            "UserPoolId": pool,
            "CSVHeader": [
                "name", "given_name", "family_name", "middle_name", "nickname",
                "preferred_username", "profile", "picture", "website", "email",
                "email_verified", "gender", "birthdate", "zoneinfo", "locale",
                "phone_number", "phone_number_verified", "address", "updated_at",
                "custom:joinedOn", "cognito:mfa_enabled", "cognito:username"
            ]
        })
    );
    s.err(
        "GetCSVHeader",
        json!({ "UserPoolId": "us-east-1_nothere00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.err("GetCSVHeader", json!({}), "InvalidParameterException")
        .await;
    s.stop().await;
}

#[tokio::test]
async fn mfa_config_round_trips() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let get = json!({ "UserPoolId": pool });
    assert_eq!(
        s.ok("GetUserPoolMfaConfig", get.clone()).await,
        json!({ "MfaConfiguration": "OFF" })
    );

    let set = s
        .ok(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
                    "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await;
    let expected = json!({ "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true } });
    assert_eq!(set, expected);
    assert_eq!(s.ok("GetUserPoolMfaConfig", get.clone()).await, expected);
    let described = s.ok("DescribeUserPool", get.clone()).await;
    assert_eq!(described["UserPool"]["MfaConfiguration"], "OPTIONAL");

    // Omitted factor blocks keep their settings while MFA stays on.
    let set = s
        .ok(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "ON",
                    "SmsMfaConfiguration": { "SmsAuthenticationMessage": "Code: {####}",
                        "SmsConfiguration": { "SnsCallerArn": SNS_ROLE, "ExternalId": "ext" } } }),
        )
        .await;
    assert_eq!(
        set,
        json!({
            "MfaConfiguration": "ON",
            "SoftwareTokenMfaConfiguration": { "Enabled": true },
            "SmsMfaConfiguration": {
                "SmsAuthenticationMessage": "Code: {####}",
                "SmsConfiguration": { "SnsCallerArn": SNS_ROLE, "ExternalId": "ext" }
            }
        })
    );
    let described = s.ok("DescribeUserPool", get.clone()).await;
    assert_eq!(
        described["UserPool"]["SmsConfiguration"]["SnsCallerArn"],
        SNS_ROLE
    );
    assert_eq!(
        described["UserPool"]["SmsAuthenticationMessage"],
        "Code: {####}"
    );

    // Without MfaConfiguration, MFA is turned off and the factors go with it.
    let set = s
        .ok("SetUserPoolMfaConfig", json!({ "UserPoolId": pool }))
        .await;
    assert_eq!(set, json!({ "MfaConfiguration": "OFF" }));
    assert_eq!(
        s.ok("GetUserPoolMfaConfig", get.clone()).await,
        json!({ "MfaConfiguration": "OFF" })
    );

    // WebAuthn is not an MFA factor and is kept with MFA off.
    let set = s
        .ok(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "OFF",
                    "WebAuthnConfiguration": { "RelyingPartyId": "auth.example.com", "UserVerification": "required" } }),
        )
        .await;
    assert_eq!(
        set,
        json!({ "MfaConfiguration": "OFF",
                "WebAuthnConfiguration": { "RelyingPartyId": "auth.example.com", "UserVerification": "required" } })
    );
    s.stop().await;
}

#[tokio::test]
async fn mfa_config_rules() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    for body in [
        json!({ "UserPoolId": pool, "SoftwareTokenMfaConfiguration": { "Enabled": false } }),
        json!({ "UserPoolId": pool, "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    ] {
        let msg = s
            .err("SetUserPoolMfaConfig", body, "InvalidParameterException")
            .await;
        assert_eq!(
            msg,
            "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
        );
    }
    for body in [
        json!({ "UserPoolId": pool, "MfaConfiguration": "ON" }),
        json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": false } }),
    ] {
        let msg = s
            .err("SetUserPoolMfaConfig", body, "InvalidParameterException")
            .await;
        assert_eq!(
            msg,
            "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."
        );
    }
    let msg = s
        .err(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "ON", "EmailMfaConfiguration": {} }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of COGNITO_DEFAULT."
    );
    let msg = s
        .err(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "ON", "SmsMfaConfiguration": {} }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Invalid MFA configuration given, SMS MFA requires an SmsConfiguration."
    );
    let msg = s
        .err(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "SOMETIMES",
                    "SmsMfaConfiguration": { "SmsAuthenticationMessage": "no code here",
                        "SmsConfiguration": { "ExternalId": "x" } } }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.starts_with("3 validation errors detected"), "{msg}");
    assert!(msg.contains("Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]"), "{msg}");
    assert!(msg.contains("at 'smsMfaConfiguration.smsAuthenticationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*"), "{msg}");
    assert!(
        msg.contains("Value null at 'smsMfaConfiguration.smsConfiguration.snsCallerArn'"),
        "{msg}"
    );
    s.err(
        "SetUserPoolMfaConfig",
        json!({ "UserPoolId": "us-east-1_nothere00", "MfaConfiguration": "OFF" }),
        "ResourceNotFoundException",
    )
    .await;
    s.err(
        "GetUserPoolMfaConfig",
        json!({ "UserPoolId": "us-east-1_nothere00" }),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn email_mfa_needs_ses_and_a_paid_tier() {
    let s = TestServer::start().await;
    let ses = json!({ "EmailSendingAccount": "DEVELOPER",
                      "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
                      "From": "no-reply@example.com" });
    let pool = s.pool(json!({ "EmailConfiguration": ses })).await;
    let set = s
        .ok(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
                    "EmailMfaConfiguration": { "Message": "Your code is {####}", "Subject": "Sign-in code" } }),
        )
        .await;
    assert_eq!(
        set,
        json!({ "MfaConfiguration": "OPTIONAL",
                "EmailMfaConfiguration": { "Message": "Your code is {####}", "Subject": "Sign-in code" } })
    );
    let lite = s
        .pool(json!({ "EmailConfiguration": ses, "UserPoolTier": "LITE" }))
        .await;
    let msg = s
        .err(
            "SetUserPoolMfaConfig",
            json!({ "UserPoolId": lite, "MfaConfiguration": "OPTIONAL", "EmailMfaConfiguration": {} }),
            "FeatureUnavailableInTierException",
        )
        .await;
    assert_eq!(
        msg,
        "The following feature is not available for the LITE pricing tier configured: Email MFA"
    );
    s.stop().await;
}

#[tokio::test]
async fn tags_are_added_listed_and_removed() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "UserPoolTags": { "team": "blue" } })).await;
    let resource = arn(&pool);
    let out = s
        .ok(
            "TagResource",
            json!({ "ResourceArn": resource, "Tags": { "env": "dev", "team": "red", "empty": "" } }),
        )
        .await;
    assert_eq!(out, json!({}));
    let listed = s
        .ok("ListTagsForResource", json!({ "ResourceArn": resource }))
        .await;
    assert_eq!(
        listed,
        json!({ "Tags": { "env": "dev", "team": "red", "empty": "" } })
    );
    let described = s
        .ok("DescribeUserPool", json!({ "UserPoolId": pool }))
        .await;
    assert_eq!(described["UserPool"]["UserPoolTags"]["env"], "dev");

    let out = s
        .ok(
            "UntagResource",
            json!({ "ResourceArn": resource, "TagKeys": ["env", "empty", "never-set"] }),
        )
        .await;
    assert_eq!(out, json!({}));
    let listed = s
        .ok("ListTagsForResource", json!({ "ResourceArn": resource }))
        .await;
    assert_eq!(listed, json!({ "Tags": { "team": "red" } }));
    s.ok(
        "UntagResource",
        json!({ "ResourceArn": resource, "TagKeys": ["team"] }),
    )
    .await;
    let listed = s
        .ok("ListTagsForResource", json!({ "ResourceArn": resource }))
        .await;
    assert_eq!(listed, json!({ "Tags": {} }));
    s.stop().await;
}

#[tokio::test]
async fn tag_requests_are_checked() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let resource = arn(&pool);
    for unknown in [
        arn("us-east-1_nothere00"),
        format!("arn:aws:cognito-idp:eu-west-1:000000000000:userpool/{pool}"),
        format!("arn:aws:cognito-idp:us-east-1:111111111111:userpool/{pool}"),
        "arn:aws:cognito-idp:us-east-1:000000000000:identitypool/x".to_string(),
    ] {
        s.err(
            "ListTagsForResource",
            json!({ "ResourceArn": unknown }),
            "ResourceNotFoundException",
        )
        .await;
    }
    let msg = s
        .err(
            "TagResource",
            json!({ "ResourceArn": "not-an-arn-at-all-really", "Tags": {} }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.contains("at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern"), "{msg}");
    let msg = s
        .err(
            "TagResource",
            json!({ "ResourceArn": resource }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"
    );
    let msg = s
        .err(
            "TagResource",
            json!({ "ResourceArn": resource, "Tags": { "k".repeat(129): "v" } }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.contains("at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128]"), "{msg}");
    let msg = s
        .err(
            "TagResource",
            json!({ "ResourceArn": resource, "Tags": { "aws:owner": "me" } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "Tag keys starting with 'aws:' are reserved for use by AWS."
    );
    let fifty: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("k{i}"), json!("v"))).collect();
    s.ok(
        "TagResource",
        json!({ "ResourceArn": resource, "Tags": fifty }),
    )
    .await;
    let msg = s
        .err(
            "TagResource",
            json!({ "ResourceArn": resource, "Tags": { "one-more": "v" } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "A user pool can have at most 50 tags.");
    // Replacing an existing key is not a new tag.
    s.ok(
        "TagResource",
        json!({ "ResourceArn": resource, "Tags": { "k0": "changed" } }),
    )
    .await;
    let msg = s
        .err(
            "UntagResource",
            json!({ "ResourceArn": resource }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"
    );
    s.stop().await;
}

#[tokio::test]
async fn pool_extras_need_a_signature() {
    let s = TestServer::start().await;
    s.assert_needs_signature("GetCSVHeader", json!({ "UserPoolId": "us-east-1_abc" }))
        .await;
    s.stop().await;
}
