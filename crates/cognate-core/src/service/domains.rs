//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain.
//!
//! A pool has at most one prefix domain and one custom domain; a domain name belongs to one
//! pool across the whole server. Cognito's rules and messages
//! (<https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain.html>):
//! prefixes are lower-case letters, digits and inner hyphens and must not contain the reserved
//! words `aws`, `amazon` or `cognito` (the last two anywhere; `aws` as a hyphen-separated word,
//! since prefixes such as `awsome` are accepted); a custom domain is a fully qualified name with
//! an ACM certificate from us-east-1; managed login version 1 is the classic hosted UI and 2
//! managed login, which the LITE tier does not have.
//!
//! Where Cognito answers with a CloudFront distribution, Cognate answers with the host of its
//! own public URL: that is where the DNS alias of a custom domain has to point, since Cognate
//! serves the hosted UI itself (recognising the domain by the `Host` header).

use super::Service;
use crate::api::domains::{
    CreateUserPoolDomainInput, CustomDomainConfig, DeleteUserPoolDomainInput,
    DescribeUserPoolDomainInput, DomainChange, DomainDescription, UpdateUserPoolDomainInput,
};
use crate::model::{PoolDomain, UserPool};
use crate::store::StoreError;
use crate::{Error, Result};

const INVALID_CHARACTER: &str = "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$";
const NO_SUCH_DOMAIN: &str = "No such domain or user pool exists.";
const BAD_CERTIFICATE: &str = "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.";

impl Service {
    pub async fn create_user_pool_domain(
        &self,
        input: CreateUserPoolDomainInput,
    ) -> Result<DomainChange> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let name = input.domain.unwrap_or_default();
        let certificate = match &input.custom_domain_config {
            Some(c) => Some(check_certificate(c)?),
            None => None,
        };
        check_domain_name(&name, certificate.is_some())?;
        let version = input.managed_login_version.unwrap_or(1);
        check_version(&pool, version)?;
        let existing = self.store.list_domains_for_pool(&pool.id).await?;
        if existing
            .iter()
            .any(|d| d.is_custom() == certificate.is_some())
        {
            return Err(Error::invalid("User Pool already has domain configured."));
        }
        let domain = PoolDomain {
            domain: name,
            pool_id: pool.id.clone(),
            certificate_arn: certificate,
            managed_login_version: Some(version),
            created_ms: self.now(),
        };
        match self.store.insert_domain(&domain).await {
            Ok(()) => Ok(self.change(&domain)),
            Err(StoreError::Conflict(_)) => Err(Error::invalid(
                "Domain already associated with another user pool.",
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// `None` for a domain no pool has: Cognito then answers with an empty description.
    pub async fn describe_user_pool_domain(
        &self,
        input: DescribeUserPoolDomainInput,
    ) -> Result<Option<DomainDescription>> {
        input.validate()?;
        let Some(d) = self
            .store
            .get_domain(input.domain.as_deref().unwrap_or_default())
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(DomainDescription {
            user_pool_id: d.pool_id.clone(),
            aws_account_id: self.config.account_id.clone(),
            domain: d.domain.clone(),
            cloud_front_distribution: self.serving_host(),
            version: version_stamp(d.created_ms),
            status: "ACTIVE".into(),
            custom_domain_config: d.certificate_arn.clone().map(|arn| CustomDomainConfig {
                certificate_arn: Some(arn),
            }),
            managed_login_version: d.managed_login_version.unwrap_or(1),
        }))
    }

    /// Changes the managed login version and, for a custom domain, the certificate; the name
    /// stays (a new name is a new domain). An omitted version keeps the current one.
    pub async fn update_user_pool_domain(
        &self,
        input: UpdateUserPoolDomainInput,
    ) -> Result<DomainChange> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let mut domain = self
            .owned_domain(&pool.id, input.domain.as_deref().unwrap_or_default())
            .await?;
        if let Some(c) = &input.custom_domain_config {
            if !domain.is_custom() {
                return Err(Error::invalid(
                    "CustomDomainConfig can only be set for a custom domain.",
                ));
            }
            domain.certificate_arn = Some(check_certificate(c)?);
        }
        let version = input
            .managed_login_version
            .or(domain.managed_login_version)
            .unwrap_or(1);
        check_version(&pool, version)?;
        domain.managed_login_version = Some(version);
        self.store
            .update_domain(&domain)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => Error::invalid(NO_SUCH_DOMAIN),
                other => other.into(),
            })?;
        Ok(self.change(&domain))
    }

    pub async fn delete_user_pool_domain(&self, input: DeleteUserPoolDomainInput) -> Result<()> {
        input.validate()?;
        let domain = self
            .owned_domain(
                input.user_pool_id.as_deref().unwrap_or_default(),
                input.domain.as_deref().unwrap_or_default(),
            )
            .await?;
        if !self.store.delete_domain(&domain.domain).await? {
            return Err(Error::invalid(NO_SUCH_DOMAIN));
        }
        Ok(())
    }

    /// The domain, if it belongs to the pool.
    async fn owned_domain(&self, pool_id: &str, name: &str) -> Result<PoolDomain> {
        match self.store.get_domain(name).await? {
            Some(d) if d.pool_id == pool_id => Ok(d),
            _ => Err(Error::invalid(NO_SUCH_DOMAIN)),
        }
    }

    fn change(&self, d: &PoolDomain) -> DomainChange {
        DomainChange {
            managed_login_version: d.managed_login_version.unwrap_or(1),
            cloud_front_domain: d.is_custom().then(|| self.serving_host()),
        }
    }

    /// The host name of this server's public URL, without scheme or port.
    fn serving_host(&self) -> String {
        serving_host(&self.config.public_url)
    }
}

fn serving_host(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(public_url);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    if host_port.starts_with('[') {
        host_port
            .split_inclusive(']')
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        host_port.split(':').next().unwrap_or_default().to_string()
    }
}

/// One DNS label as Cognito accepts it: `^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`.
fn valid_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

fn check_domain_name(name: &str, custom: bool) -> Result<()> {
    if custom {
        if !name.contains('.') {
            return Err(Error::invalid("Custom domain is not a valid subdomain"));
        }
        if !name.split('.').all(valid_label) {
            return Err(Error::invalid(INVALID_CHARACTER));
        }
        return Ok(());
    }
    if !valid_label(name) {
        return Err(Error::invalid(INVALID_CHARACTER));
    }
    let reserved = ["amazon", "cognito"]
        .into_iter()
        .find(|w| name.contains(w))
        .or_else(|| name.split('-').any(|t| t == "aws").then_some("aws"));
    if let Some(word) = reserved {
        return Err(Error::invalid(format!(
            "Domain cannot contain reserved word: {word}"
        )));
    }
    Ok(())
}

/// A custom domain's certificate must be an ACM certificate in us-east-1 (CloudFront's region),
/// whatever the pool's region.
fn check_certificate(c: &CustomDomainConfig) -> Result<String> {
    let arn = c.certificate_arn.clone().unwrap_or_default();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "acm", "us-east-1", _, resource] if resource.starts_with("certificate/") => {
            Ok(arn)
        }
        _ => Err(Error::invalid(BAD_CERTIFICATE)),
    }
}

fn check_version(pool: &UserPool, version: i64) -> Result<()> {
    if version != 1 && version != 2 {
        return Err(Error::invalid(format!(
            "Invalid ManagedLoginVersion {version}: the version must be 1 (hosted UI classic) or 2 (managed login)."
        )));
    }
    if version == 2 && pool.settings.user_pool_tier.as_deref() == Some("LITE") {
        return Err(Error::FeatureUnavailableInTier(
            "The following feature is not available for the LITE pricing tier configured: Managed Login Version 2"
                .into(),
        ));
    }
    Ok(())
}

/// `Version` of a domain: when it was set up, as `YYYYMMDDhhmmss`.
fn version_stamp(created_ms: i64) -> String {
    let format = time::macros::format_description!("[year][month][day][hour][minute][second]");
    time::OffsetDateTime::from_unix_timestamp(created_ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| created_ms.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_words() {
        assert_eq!(
            check_domain_name("my-aws-app", false).unwrap_err(),
            Error::invalid("Domain cannot contain reserved word: aws")
        );
        assert_eq!(
            check_domain_name("newcognito", false).unwrap_err(),
            Error::invalid("Domain cannot contain reserved word: cognito")
        );
        assert!(check_domain_name("amazonfan", false).is_err());
        assert!(check_domain_name("awsome", false).is_ok());
    }

    #[test]
    fn domain_names() {
        assert!(check_domain_name("my-app-1", false).is_ok());
        assert!(check_domain_name("-bad", false).is_err());
        assert!(check_domain_name("Upper", false).is_err());
        assert!(check_domain_name("auth.example.com", false).is_err());
        assert!(check_domain_name("auth.example.com", true).is_ok());
        assert!(check_domain_name("auth..example.com", true).is_err());
        assert_eq!(
            check_domain_name("auth", true).unwrap_err(),
            Error::invalid("Custom domain is not a valid subdomain")
        );
    }

    #[test]
    fn certificates_come_from_acm_in_us_east_1() {
        let ok = CustomDomainConfig {
            certificate_arn: Some("arn:aws:acm:us-east-1:123456789012:certificate/abc".into()),
        };
        assert!(check_certificate(&ok).is_ok());
        let elsewhere = CustomDomainConfig {
            certificate_arn: Some("arn:aws:acm:eu-west-1:123456789012:certificate/abc".into()),
        };
        assert!(check_certificate(&elsewhere).is_err());
    }

    #[test]
    fn serving_host_drops_scheme_and_port() {
        assert_eq!(serving_host("http://127.0.0.1:9229"), "127.0.0.1");
        assert_eq!(
            serving_host("https://auth.example.com/base"),
            "auth.example.com"
        );
        assert_eq!(serving_host("http://[::1]:9229"), "[::1]");
    }

    #[test]
    fn versions_are_timestamps() {
        assert_eq!(version_stamp(1_700_000_000_000), "20231114221320");
    }
}
