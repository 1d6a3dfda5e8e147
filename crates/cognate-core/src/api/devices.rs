//! Device actions: ConfirmDevice, GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus (a
//! signed-in user's, authorised by their access token), AdminGetDevice, AdminListDevices,
//! AdminForgetDevice, AdminUpdateDeviceStatus (IAM); and `DeviceType`, the shape of a device in
//! answers.

use serde::{Deserialize, Serialize};

use super::pools::pool_id;
use super::self_service::TOKEN;
use super::users::username;
use super::validate::{patterns, Validator};
use crate::model::Attribute;
use crate::Result;

crate::pattern!(DEVICE_KEY, r"[\w-]+_[0-9a-f-]+");

/// `DeviceRememberedStatusType`.
pub const DEVICE_REMEMBERED_STATUSES: &[&str] = &["remembered", "not_remembered"];

/// `DeviceKeyType`, required.
fn device_key(v: &mut Validator, value: Option<&str>) {
    v.required("DeviceKey", value)
        .len("DeviceKey", value, 1, 55)
        .pattern("DeviceKey", value, &DEVICE_KEY);
}

/// `TokenModelType`. Required by ConfirmDevice, ListDevices and UpdateDeviceStatus in the
/// model; GetDevice and ForgetDevice leave it optional there, and the engine asks for it.
fn access_token(v: &mut Validator, value: Option<&str>, required: bool) {
    if required {
        v.required("AccessToken", value);
    }
    v.pattern("AccessToken", value, &TOKEN);
}

/// `QueryLimitType` and `SearchPaginationTokenType`.
fn paging(v: &mut Validator, limit: Option<i64>, token: Option<&str>) {
    v.range("Limit", limit, 0, 60)
        .len("PaginationToken", token, 1, usize::MAX)
        .pattern("PaginationToken", token, &patterns::SEARCH_PAGINATION_TOKEN);
}

/// `DeviceSecretVerifierConfigType`: base64 of the bytes of the client's padded hex.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    pub password_verifier: Option<String>,
    pub salt: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceInput {
    pub access_token: Option<String>,
    pub device_key: Option<String>,
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    pub device_name: Option<String>,
}

impl ConfirmDeviceInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref(), true);
        device_key(&mut v, self.device_key.as_deref());
        if let Some(c) = &self.device_secret_verifier_config {
            v.len(
                "DeviceSecretVerifierConfig.PasswordVerifier",
                c.password_verifier.as_deref(),
                0,
                131_072,
            )
            .len(
                "DeviceSecretVerifierConfig.Salt",
                c.salt.as_deref(),
                0,
                131_072,
            );
        }
        v.len("DeviceName", self.device_name.as_deref(), 1, 1024);
        v.finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceOutput {
    pub user_confirmation_necessary: bool,
}

/// GetDevice and ForgetDevice: a device of the caller.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceInput {
    pub access_token: Option<String>,
    pub device_key: Option<String>,
}

impl DeviceInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref(), false);
        device_key(&mut v, self.device_key.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesInput {
    pub access_token: Option<String>,
    pub limit: Option<i64>,
    pub pagination_token: Option<String>,
}

impl ListDevicesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref(), true);
        paging(&mut v, self.limit, self.pagination_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateDeviceStatusInput {
    pub access_token: Option<String>,
    pub device_key: Option<String>,
    pub device_remembered_status: Option<String>,
}

impl UpdateDeviceStatusInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref(), true);
        device_key(&mut v, self.device_key.as_deref());
        v.one_of(
            "DeviceRememberedStatus",
            self.device_remembered_status.as_deref(),
            DEVICE_REMEMBERED_STATUSES,
        );
        v.finish()
    }
}

/// AdminGetDevice and AdminForgetDevice: a device of a named user.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeviceInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub device_key: Option<String>,
}

impl AdminDeviceInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        device_key(&mut v, self.device_key.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListDevicesInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub limit: Option<i64>,
    pub pagination_token: Option<String>,
}

impl AdminListDevicesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        paging(&mut v, self.limit, self.pagination_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateDeviceStatusInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub device_key: Option<String>,
    pub device_remembered_status: Option<String>,
}

impl AdminUpdateDeviceStatusInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        device_key(&mut v, self.device_key.as_deref());
        v.one_of(
            "DeviceRememberedStatus",
            self.device_remembered_status.as_deref(),
            DEVICE_REMEMBERED_STATUSES,
        );
        v.finish()
    }
}

/// `DeviceType`. Dates are epoch seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceView {
    pub device_key: String,
    pub device_attributes: Vec<Attribute>,
    pub device_create_date: f64,
    pub device_last_modified_date: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

/// GetDevice and AdminGetDevice.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceOutput {
    pub device: DeviceView,
}

/// ListDevices and AdminListDevices.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesOutput {
    pub devices: Vec<DeviceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<()>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn device_keys_follow_the_model_pattern() {
        assert!(DEVICE_KEY.matches("us-east-1_5f1c0c1e-8b7a-4f0e-9d6b-1a2b3c4d5e6f"));
        assert!(!DEVICE_KEY.matches("us-east-1_NotHex"));
        assert!(!DEVICE_KEY.matches("nounderscore"));
        let input = DeviceInput {
            access_token: Some("a.b.c".into()),
            device_key: Some("bad key".into()),
        };
        let err = message(input.validate());
        assert!(
            err.contains("at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+"),
            "{err}"
        );
        let input = DeviceInput {
            access_token: Some("a.b.c".into()),
            device_key: Some(format!("us-east-1_{}", "a".repeat(50))),
        };
        assert!(message(input.validate()).contains("length less than or equal to 55"));
    }

    #[test]
    fn list_limits_stop_at_sixty() {
        let input = ListDevicesInput {
            access_token: Some("a.b.c".into()),
            limit: Some(61),
            pagination_token: None,
        };
        assert_eq!(
            message(input.validate()),
            "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"
        );
        let input = AdminListDevicesInput {
            user_pool_id: Some("us-east-1_abc".into()),
            username: Some("ada".into()),
            limit: Some(-1),
            pagination_token: Some(String::new()),
        };
        let err = message(input.validate());
        assert!(err.starts_with("3 validation errors detected"), "{err}");
    }

    #[test]
    fn statuses_and_names_are_checked() {
        let input = UpdateDeviceStatusInput {
            access_token: Some("a.b.c".into()),
            device_key: Some("us-east-1_abc".into()),
            device_remembered_status: Some("forgotten".into()),
        };
        assert!(message(input.validate())
            .contains("Member must satisfy enum value set: [remembered, not_remembered]"));
        let input = ConfirmDeviceInput {
            access_token: None,
            device_key: Some("us-east-1_abc".into()),
            device_secret_verifier_config: None,
            device_name: Some(String::new()),
        };
        let err = message(input.validate());
        assert!(err.contains("Value null at 'accessToken'"), "{err}");
        assert!(err.contains("at 'deviceName'"), "{err}");
    }
}
