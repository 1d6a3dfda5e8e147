//! Remembered devices (Cognito's device tracking): the devices a user signed in from.
//!
//! A device is born unconfirmed when a sign-in on a pool with a `DeviceConfiguration` ends
//! without device authentication: the answer carries its key as `NewDeviceMetadata`. It is
//! confirmed when the client sends its SRP verifier with ConfirmDevice; from then on it is
//! listed, and a sign-in that names it must prove it (DEVICE_SRP_AUTH). Unconfirmed devices are
//! invisible to the device actions.

use serde::{Deserialize, Serialize};

/// `DeviceRememberedStatusType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceStatus {
    Remembered,
    NotRemembered,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Remembered => "remembered",
            DeviceStatus::NotRemembered => "not_remembered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "remembered" => Some(DeviceStatus::Remembered),
            "not_remembered" => Some(DeviceStatus::NotRemembered),
            _ => None,
        }
    }
}

/// A device as stored. `device_key` (`{region}_{uuid}`) is unique in its pool; the device
/// belongs to the user `username_key` and goes with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub pool_id: String,
    pub device_key: String,
    pub username_key: String,
    /// The user's `DeviceGroupKey`, the SRP realm of the device's verifier.
    pub device_group_key: String,
    /// `"salt_hex:verifier_hex"` sealed with the master key (bound to the pool and the device
    /// key); `None` until ConfirmDevice.
    pub verifier: Option<String>,
    pub name: Option<String>,
    /// `None` until ConfirmDevice.
    pub status: Option<DeviceStatus>,
    pub last_ip: Option<String>,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub last_authenticated_ms: Option<i64>,
}

impl Device {
    /// Whether ConfirmDevice has given the device its verifier.
    pub fn confirmed(&self) -> bool {
        self.verifier.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_the_api_names() {
        for s in [DeviceStatus::Remembered, DeviceStatus::NotRemembered] {
            assert_eq!(DeviceStatus::parse(s.as_str()), Some(s));
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.as_str().into())
            );
        }
        assert_eq!(DeviceStatus::parse("valid"), None);
    }
}
