//! Where a pool's OpenID Connect endpoints are: the issuer of its tokens, its JWKS, and the
//! OAuth 2.0 endpoints of its domain, as the discovery document
//! (`/{poolId}/.well-known/openid-configuration`) lists them.
//!
//! Cognito's issuer is `https://cognito-idp.{region}.amazonaws.com/{poolId}`; Cognate's is
//! `{public_url}/{poolId}`. Cognito's OAuth endpoints live on the pool's domain
//! (<https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints.html>):
//! a custom domain, else the prefix domain `{prefix}.auth.{region}.amazoncognito.com`. Cognate
//! serves a prefix domain as `{prefix}.auth.{host}` on its own scheme and port, where `{host}`
//! is the public URL's host, or `localhost` when that is an IP address (so
//! `http://127.0.0.1:9229` gives `http://{prefix}.auth.localhost:9229`, which resolves to the
//! loopback without DNS set-up). A pool without a domain has its OAuth endpoints under
//! `{public_url}/{poolId}/`, where Cognate also serves them.

use super::Service;
use crate::Result;

/// The URLs of a pool's discovery document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcEndpoints {
    pub issuer: String,
    pub jwks_uri: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub end_session_endpoint: String,
}

impl Service {
    /// The `iss` of the pool's tokens: `{public_url}/{poolId}`.
    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.config.public_url.trim_end_matches('/'))
    }

    /// The host a prefix domain is served under, with the public URL's port if it has one.
    pub fn prefix_domain_host(&self, prefix: &str) -> String {
        let url = parse_url(&self.config.public_url);
        let parent = if url.host == "localhost" || is_ip_literal(url.host) {
            "localhost"
        } else {
            url.host
        };
        format!("{prefix}.auth.{parent}{}", url.port)
    }

    /// The base URL of the pool's hosted UI and OAuth 2.0 endpoints: its custom domain, else
    /// its prefix domain, else `{public_url}/{poolId}`.
    pub async fn hosted_ui_base_url(&self, pool_id: &str) -> Result<String> {
        let domains = self.store.list_domains_for_pool(pool_id).await?;
        let url = parse_url(&self.config.public_url);
        let base = if let Some(custom) = domains.iter().find(|d| d.is_custom()) {
            format!("{}://{}{}", url.scheme, custom.domain, url.port)
        } else if let Some(prefix) = domains.first() {
            format!(
                "{}://{}",
                url.scheme,
                self.prefix_domain_host(&prefix.domain)
            )
        } else {
            self.issuer(pool_id)
        };
        Ok(base)
    }

    /// The pool's discovery URLs; `ResourceNotFound` for an unknown pool.
    pub async fn oidc_endpoints(&self, pool_id: &str) -> Result<OidcEndpoints> {
        self.pool(pool_id).await?;
        let issuer = self.issuer(pool_id);
        let base = self.hosted_ui_base_url(pool_id).await?;
        Ok(OidcEndpoints {
            jwks_uri: format!("{issuer}/.well-known/jwks.json"),
            authorization_endpoint: format!("{base}/oauth2/authorize"),
            token_endpoint: format!("{base}/oauth2/token"),
            userinfo_endpoint: format!("{base}/oauth2/userInfo"),
            end_session_endpoint: format!("{base}/logout"),
            issuer,
        })
    }
}

struct Url<'a> {
    scheme: &'a str,
    host: &'a str,
    /// `:port`, or empty.
    port: &'a str,
}

fn parse_url(url: &str) -> Url<'_> {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if host_port.starts_with('[') {
        match host_port.find(']') {
            Some(end) => host_port.split_at(end + 1),
            None => (host_port, ""),
        }
    } else {
        match host_port.find(':') {
            Some(colon) => host_port.split_at(colon),
            None => (host_port, ""),
        }
    };
    Url { scheme, host, port }
}

fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_scheme_host_and_port() {
        let u = parse_url("http://127.0.0.1:9229");
        assert_eq!((u.scheme, u.host, u.port), ("http", "127.0.0.1", ":9229"));
        let u = parse_url("https://id.example.com/base");
        assert_eq!((u.scheme, u.host, u.port), ("https", "id.example.com", ""));
        let u = parse_url("http://[::1]:8080");
        assert_eq!((u.scheme, u.host, u.port), ("http", "[::1]", ":8080"));
        assert!(is_ip_literal("[::1]"));
        assert!(is_ip_literal("10.0.0.1"));
        assert!(!is_ip_literal("example.com"));
    }
}
