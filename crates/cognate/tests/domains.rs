//! Domain actions over HTTP: CreateUserPoolDomain, DescribeUserPoolDomain,
//! UpdateUserPoolDomain, DeleteUserPoolDomain.

mod common;

use common::{unique, TestServer};
use serde_json::{json, Value};

const CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

/// A prefix nobody else uses, even on a shared database.
fn prefix() -> String {
    unique("app").to_lowercase()
}

fn custom() -> String {
    format!("{}.example.com", prefix())
}

/// CreateUserPoolDomain of `domain` for `pool`, with no other settings; it must succeed.
async fn create_domain(s: &TestServer, pool: &str, domain: &str) -> Value {
    s.ok(
        "CreateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": domain }),
    )
    .await
}

/// CreateUserPoolDomain of `domain` for `pool`, with no other settings; it must fail with
/// `error_type`. Returns the message.
async fn create_domain_err(s: &TestServer, pool: &str, domain: &str, error_type: &str) -> String {
    s.err(
        "CreateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": domain }),
        error_type,
    )
    .await
}

async fn describe_domain(s: &TestServer, domain: &str) -> Value {
    s.ok("DescribeUserPoolDomain", json!({ "Domain": domain }))
        .await
}

async fn describe_pool(s: &TestServer, pool: &str) -> Value {
    s.ok("DescribeUserPool", json!({ "UserPoolId": pool }))
        .await
}

#[tokio::test]
async fn prefix_domain_is_created_and_described() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let domain = prefix();
    let out = create_domain(&s, &pool, &domain).await;
    assert_eq!(out, json!({ "ManagedLoginVersion": 1 }));

    let out = describe_domain(&s, &domain).await;
    let d = &out["DomainDescription"];
    assert_eq!(d["UserPoolId"], pool);
    assert_eq!(d["AWSAccountId"], "000000000000");
    assert_eq!(d["Domain"], domain);
    assert_eq!(d["Status"], "ACTIVE");
    assert_eq!(d["ManagedLoginVersion"], 1);
    assert_eq!(d["CloudFrontDistribution"], "127.0.0.1");
    let version = d["Version"].as_str().unwrap();
    assert_eq!(version.len(), 14);
    assert!(version.starts_with("20"), "{version}");
    assert!(d.get("CustomDomainConfig").is_none());

    let described = describe_pool(&s, &pool).await;
    assert_eq!(described["UserPool"]["Domain"], domain);
    assert!(described["UserPool"].get("CustomDomain").is_none());
    s.stop().await;
}

#[tokio::test]
async fn custom_domain_needs_a_us_east_1_certificate() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let domain = custom();
    let out = s
        .ok(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain, "ManagedLoginVersion": 2,
                    "CustomDomainConfig": { "CertificateArn": CERT } }),
        )
        .await;
    // The alias target is this server's own host.
    assert_eq!(
        out,
        json!({ "ManagedLoginVersion": 2, "CloudFrontDomain": "127.0.0.1" })
    );
    let out = describe_domain(&s, &domain).await;
    let d = &out["DomainDescription"];
    assert_eq!(d["CustomDomainConfig"], json!({ "CertificateArn": CERT }));
    assert_eq!(d["ManagedLoginVersion"], 2);
    let described = describe_pool(&s, &pool).await;
    assert_eq!(described["UserPool"]["CustomDomain"], domain);

    // A pool may have a prefix domain beside its custom domain.
    create_domain(&s, &pool, &prefix()).await;

    let other = s.pool(json!({})).await;
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": other, "Domain": custom(),
                    "CustomDomainConfig": { "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain."
    );
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": other, "Domain": "auth",
                    "CustomDomainConfig": { "CertificateArn": CERT } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "Custom domain is not a valid subdomain");
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": other, "Domain": custom(), "CustomDomainConfig": {} }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must not be null"
    );
    s.stop().await;
}

#[tokio::test]
async fn domain_names_are_checked() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let invalid = "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$";
    for bad in ["My-App", "-app", "app-", "app_1", "auth.example.com"] {
        let msg = create_domain_err(&s, &pool, bad, "InvalidParameterException").await;
        assert_eq!(msg, invalid, "{bad}");
    }
    for (bad, word) in [
        ("my-aws-login", "aws"),
        ("amazonfans", "amazon"),
        ("newcognito", "cognito"),
    ] {
        let msg = create_domain_err(&s, &pool, bad, "InvalidParameterException").await;
        assert_eq!(msg, format!("Domain cannot contain reserved word: {word}"));
    }
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": "a".repeat(64) }),
            "InvalidParameterException",
        )
        .await;
    assert!(
        msg.ends_with("at 'domain' failed to satisfy constraint: Member must have length less than or equal to 63"),
        "{msg}"
    );
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({}),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "2 validation errors detected: Value null at 'domain' failed to satisfy constraint: Member must not be null; Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"
    );
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": prefix(), "ManagedLoginVersion": 3 }),
            "InvalidParameterException",
        )
        .await;
    assert!(msg.starts_with("Invalid ManagedLoginVersion 3"), "{msg}");
    create_domain_err(
        &s,
        "us-east-1_nothere00",
        &prefix(),
        "ResourceNotFoundException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn a_domain_belongs_to_one_pool_and_a_pool_has_one_prefix() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let other = s.pool(json!({})).await;
    let domain = prefix();
    create_domain(&s, &pool, &domain).await;
    let msg = create_domain_err(&s, &other, &domain, "InvalidParameterException").await;
    assert_eq!(msg, "Domain already associated with another user pool.");
    let msg = create_domain_err(&s, &pool, &prefix(), "InvalidParameterException").await;
    assert_eq!(msg, "User Pool already has domain configured.");
    s.stop().await;
}

#[tokio::test]
async fn unknown_domains_have_an_empty_description() {
    let s = TestServer::start().await;
    let out = describe_domain(&s, &prefix()).await;
    assert_eq!(out, json!({ "DomainDescription": {} }));
    let msg = s
        .err(
            "DescribeUserPoolDomain",
            json!({}),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "1 validation error detected: Value null at 'domain' failed to satisfy constraint: Member must not be null"
    );
    s.stop().await;
}

#[tokio::test]
async fn update_changes_version_and_certificate() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let domain = prefix();
    create_domain(&s, &pool, &domain).await;
    let out = s
        .ok(
            "UpdateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain, "ManagedLoginVersion": 2 }),
        )
        .await;
    assert_eq!(out, json!({ "ManagedLoginVersion": 2 }));
    // An omitted version keeps the current one.
    let out = s
        .ok(
            "UpdateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain }),
        )
        .await;
    assert_eq!(out, json!({ "ManagedLoginVersion": 2 }));
    let d = describe_domain(&s, &domain).await;
    assert_eq!(d["DomainDescription"]["ManagedLoginVersion"], 2);
    let msg = s
        .err(
            "UpdateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain, "CustomDomainConfig": { "CertificateArn": CERT } }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(
        msg,
        "CustomDomainConfig can only be set for a custom domain."
    );

    let name = custom();
    s.ok(
        "CreateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": name, "CustomDomainConfig": { "CertificateArn": CERT } }),
    )
    .await;
    let renewed = "arn:aws:acm:us-east-1:123456789012:certificate/renewed";
    let out = s
        .ok(
            "UpdateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": name, "CustomDomainConfig": { "CertificateArn": renewed } }),
        )
        .await;
    assert_eq!(
        out,
        json!({ "ManagedLoginVersion": 1, "CloudFrontDomain": "127.0.0.1" })
    );
    let d = describe_domain(&s, &name).await;
    assert_eq!(
        d["DomainDescription"]["CustomDomainConfig"]["CertificateArn"],
        renewed
    );

    let other = s.pool(json!({})).await;
    let msg = s
        .err(
            "UpdateUserPoolDomain",
            json!({ "UserPoolId": other, "Domain": domain, "ManagedLoginVersion": 1 }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "No such domain or user pool exists.");
    s.stop().await;
}

#[tokio::test]
async fn managed_login_is_not_in_the_lite_tier() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({ "UserPoolTier": "LITE" })).await;
    let domain = prefix();
    let msg = s
        .err(
            "CreateUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain, "ManagedLoginVersion": 2 }),
            "FeatureUnavailableInTierException",
        )
        .await;
    assert_eq!(
        msg,
        "The following feature is not available for the LITE pricing tier configured: Managed Login Version 2"
    );
    create_domain(&s, &pool, &domain).await;
    s.err(
        "UpdateUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": domain, "ManagedLoginVersion": 2 }),
        "FeatureUnavailableInTierException",
    )
    .await;
    s.stop().await;
}

#[tokio::test]
async fn delete_needs_the_owning_pool() {
    let s = TestServer::start().await;
    let pool = s.pool(json!({})).await;
    let other = s.pool(json!({})).await;
    let domain = prefix();
    create_domain(&s, &pool, &domain).await;
    let msg = s
        .err(
            "DeleteUserPoolDomain",
            json!({ "UserPoolId": other, "Domain": domain }),
            "InvalidParameterException",
        )
        .await;
    assert_eq!(msg, "No such domain or user pool exists.");
    let out = s
        .ok(
            "DeleteUserPoolDomain",
            json!({ "UserPoolId": pool, "Domain": domain }),
        )
        .await;
    assert_eq!(out, json!({}));
    let d = describe_domain(&s, &domain).await;
    assert_eq!(d, json!({ "DomainDescription": {} }));
    let described = describe_pool(&s, &pool).await;
    assert!(described["UserPool"].get("Domain").is_none());
    s.err(
        "DeleteUserPoolDomain",
        json!({ "UserPoolId": pool, "Domain": domain }),
        "InvalidParameterException",
    )
    .await;
    // The name is free again, for any pool.
    create_domain(&s, &other, &domain).await;
    s.stop().await;
}

#[tokio::test]
async fn domain_actions_need_a_signature() {
    let s = TestServer::start().await;
    s.assert_needs_signature("DescribeUserPoolDomain", json!({ "Domain": "anything" }))
        .await;
    s.stop().await;
}
