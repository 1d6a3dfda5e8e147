//! Domain actions: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
//! DeleteUserPoolDomain.
//!
//! `Domain` is a prefix (`myapp`) or, with `CustomDomainConfig`, a fully qualified name
//! (`auth.example.com`). The model's pattern describes only prefixes and Cognito does not apply
//! it to the wire value (custom domains have dots), so here only lengths are checked: 63 for a
//! prefix, 253 for a dotted name; `service::domains` checks the characters.

use serde::{Deserialize, Serialize};

use super::pools::pool_id;
use super::validate::{patterns, Validator};
use crate::Result;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CustomDomainConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolDomainInput {
    pub domain: Option<String>,
    pub user_pool_id: Option<String>,
    pub managed_login_version: Option<i64>,
    pub custom_domain_config: Option<CustomDomainConfig>,
}

impl CreateUserPoolDomainInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        domain(&mut v, self.domain.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        custom_domain_config(&mut v, self.custom_domain_config.as_ref());
        v.finish()
    }
}

/// UpdateUserPoolDomain takes the same members as CreateUserPoolDomain.
pub type UpdateUserPoolDomainInput = CreateUserPoolDomainInput;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserPoolDomainInput {
    pub domain: Option<String>,
    pub user_pool_id: Option<String>,
}

impl DeleteUserPoolDomainInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        domain(&mut v, self.domain.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainInput {
    pub domain: Option<String>,
}

impl DescribeUserPoolDomainInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        domain(&mut v, self.domain.as_deref());
        v.finish()
    }
}

/// The answer of CreateUserPoolDomain and UpdateUserPoolDomain. `CloudFrontDomain`, the name a
/// custom domain's DNS alias points at, is only given for custom domains.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainChange {
    pub managed_login_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_domain: Option<String>,
}

/// `DomainDescriptionType`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescription {
    pub user_pool_id: String,
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    pub domain: String,
    pub cloud_front_distribution: String,
    pub version: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<CustomDomainConfig>,
    pub managed_login_version: i64,
}

fn domain(v: &mut Validator, domain: Option<&str>) {
    let max = if domain.is_some_and(|d| d.contains('.')) {
        253
    } else {
        63
    };
    v.required("Domain", domain).len("Domain", domain, 1, max);
}

fn custom_domain_config(v: &mut Validator, config: Option<&CustomDomainConfig>) {
    if let Some(c) = config {
        let arn = c.certificate_arn.as_deref();
        v.required("CustomDomainConfig.CertificateArn", arn)
            .len("CustomDomainConfig.CertificateArn", arn, 20, 2048)
            .pattern("CustomDomainConfig.CertificateArn", arn, &patterns::ARN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_at_most_63_characters_but_custom_names_may_be_longer() {
        let long_prefix = DescribeUserPoolDomainInput {
            domain: Some("a".repeat(64)),
        };
        assert!(long_prefix.validate().is_err());
        let long_custom = DescribeUserPoolDomainInput {
            domain: Some(format!("{}.example.com", "a".repeat(60))),
        };
        assert!(long_custom.validate().is_ok());
    }

    #[test]
    fn a_custom_domain_config_needs_a_certificate() {
        let input = CreateUserPoolDomainInput {
            domain: Some("auth.example.com".into()),
            user_pool_id: Some("us-east-1_abc".into()),
            custom_domain_config: Some(CustomDomainConfig::default()),
            ..Default::default()
        };
        let text = input.validate().unwrap_err().to_string();
        assert!(
            text.contains("at 'customDomainConfig.certificateArn' failed to satisfy constraint: Member must not be null"),
            "{text}"
        );
    }
}
