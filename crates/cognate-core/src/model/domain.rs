//! Hosted-UI domains: a prefix under the server's auth domain, or a custom domain.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolDomain {
    pub domain: String,
    pub pool_id: String,
    /// ARN of the certificate for a custom domain; `None` for a prefix domain.
    pub certificate_arn: Option<String>,
    pub managed_login_version: Option<i64>,
    pub created_ms: i64,
}

impl PoolDomain {
    pub fn is_custom(&self) -> bool {
        self.certificate_arn.is_some()
    }
}
