//! Users of a pool.

use serde::{Deserialize, Serialize};

/// `UserStatusType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    #[serde(rename = "UNCONFIRMED")]
    Unconfirmed,
    #[serde(rename = "CONFIRMED")]
    Confirmed,
    #[serde(rename = "ARCHIVED")]
    Archived,
    #[serde(rename = "COMPROMISED")]
    Compromised,
    #[serde(rename = "UNKNOWN")]
    Unknown,
    #[serde(rename = "RESET_REQUIRED")]
    ResetRequired,
    #[serde(rename = "FORCE_CHANGE_PASSWORD")]
    ForceChangePassword,
    #[serde(rename = "EXTERNAL_PROVIDER")]
    ExternalProvider,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::Archived => "ARCHIVED",
            UserStatus::Compromised => "COMPROMISED",
            UserStatus::Unknown => "UNKNOWN",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "UNCONFIRMED" => UserStatus::Unconfirmed,
            "CONFIRMED" => UserStatus::Confirmed,
            "ARCHIVED" => UserStatus::Archived,
            "COMPROMISED" => UserStatus::Compromised,
            "UNKNOWN" => UserStatus::Unknown,
            "RESET_REQUIRED" => UserStatus::ResetRequired,
            "FORCE_CHANGE_PASSWORD" => UserStatus::ForceChangePassword,
            "EXTERNAL_PROVIDER" => UserStatus::ExternalProvider,
            _ => return None,
        })
    }
}

/// One name/value pair (`AttributeType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// A user as stored. `username_key` is the lookup form of `username` (lowercased in pools that
/// are not case sensitive); `version` increases with every write so concurrent updates are
/// detected rather than lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub pool_id: String,
    pub username: String,
    pub username_key: String,
    pub sub: String,
    pub status: UserStatus,
    pub enabled: bool,
    /// Attributes other than `sub`, in the order they were first set.
    pub attributes: Vec<Attribute>,
    /// argon2id PHC string; `None` for users without a password (federated, migrated).
    pub password_hash: Option<String>,
    /// When a temporary password stops working (FORCE_CHANGE_PASSWORD users).
    pub temporary_password_expires_ms: Option<i64>,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub version: i64,
    /// The SRP verifier of the password: "salt_hex:verifier_hex" sealed with the master key
    /// (see `Service::credentials`); `None` without a password or for one set before SRP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srp_verifier: Option<String>,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        if name == "sub" {
            return Some(&self.sub);
        }
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// Sets (or with `None`, removes) one attribute, keeping the order of the others.
    pub fn set_attribute(&mut self, name: &str, value: Option<String>) {
        match (self.attributes.iter().position(|a| a.name == name), value) {
            (Some(i), Some(v)) => self.attributes[i].value = v,
            (Some(i), None) => {
                self.attributes.remove(i);
            }
            (None, Some(v)) => self.attributes.push(Attribute {
                name: name.to_string(),
                value: v,
            }),
            (None, None) => {}
        }
    }

    /// Attributes as Cognito returns them: `sub` first, then the rest.
    pub fn attributes_with_sub(&self) -> Vec<Attribute> {
        let mut all = Vec::with_capacity(self.attributes.len() + 1);
        all.push(Attribute {
            name: "sub".into(),
            value: self.sub.clone(),
        });
        all.extend(self.attributes.iter().cloned());
        all
    }
}
