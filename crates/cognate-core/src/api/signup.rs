//! Self-registration actions: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp;
//! and `CodeDeliveryDetailsType`, the answer of every action that sends a code.
//!
//! The inputs carry passwords, codes and secret hashes, so they do not derive `Debug`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::clients::client_id;
use super::pools::pool_id;
use super::users::{attribute_list, username, AttributeType, PASSWORD};
use super::validate::Validator;
use crate::Result;

crate::pattern!(SECRET_HASH, r"[\w+=/]+");
crate::pattern!(CONFIRMATION_CODE, r"[\S]+");

/// `CodeDeliveryDetailsType`: where a code went, with the destination masked as Cognito masks
/// it (`a***@e***`, `+*******1234`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    pub destination: String,
    /// `EMAIL` or `SMS`.
    pub delivery_medium: &'static str,
    /// `email` or `phone_number`.
    pub attribute_name: String,
}

pub(crate) fn secret_hash(v: &mut Validator, value: Option<&str>) {
    v.len("SecretHash", value, 1, 128)
        .pattern("SecretHash", value, &SECRET_HASH);
}

pub(crate) fn confirmation_code(v: &mut Validator, value: Option<&str>) {
    v.required("ConfirmationCode", value)
        .len("ConfirmationCode", value, 1, 2048)
        .pattern("ConfirmationCode", value, &CONFIRMATION_CODE);
}

pub(crate) fn password(v: &mut Validator, value: Option<&str>) {
    v.len("Password", value, 0, 256)
        .pattern("Password", value, &PASSWORD);
}

/// `ClientMetadata`: at most what a trigger would receive; accepted and kept for triggers.
pub type ClientMetadata = BTreeMap<String, String>;

#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpInput {
    pub client_id: Option<String>,
    pub secret_hash: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub user_attributes: Option<Vec<AttributeType>>,
    pub validation_data: Option<Vec<AttributeType>>,
    pub analytics_metadata: Option<serde_json::Value>,
    pub user_context_data: Option<serde_json::Value>,
    pub client_metadata: Option<ClientMetadata>,
}

impl SignUpInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        client_id(&mut v, self.client_id.as_deref());
        secret_hash(&mut v, self.secret_hash.as_deref());
        username(&mut v, self.username.as_deref());
        password(&mut v, self.password.as_deref());
        attribute_list(&mut v, "UserAttributes", self.user_attributes.as_deref());
        attribute_list(&mut v, "ValidationData", self.validation_data.as_deref());
        v.finish()
    }
}

/// SignUp's answer. `Session` (sign-in right after confirmation, choice-based auth) is not
/// issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpOutput {
    pub user_confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    pub user_sub: String,
}

#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpInput {
    pub client_id: Option<String>,
    pub secret_hash: Option<String>,
    pub username: Option<String>,
    pub confirmation_code: Option<String>,
    pub force_alias_creation: Option<bool>,
    pub analytics_metadata: Option<serde_json::Value>,
    pub user_context_data: Option<serde_json::Value>,
    pub client_metadata: Option<ClientMetadata>,
    pub session: Option<String>,
}

impl ConfirmSignUpInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        client_id(&mut v, self.client_id.as_deref());
        secret_hash(&mut v, self.secret_hash.as_deref());
        username(&mut v, self.username.as_deref());
        confirmation_code(&mut v, self.confirmation_code.as_deref());
        v.len("Session", self.session.as_deref(), 20, 2048);
        v.finish()
    }
}

/// ResendConfirmationCode, and ForgotPassword, which takes the same members.
#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeInput {
    pub client_id: Option<String>,
    pub secret_hash: Option<String>,
    pub username: Option<String>,
    pub analytics_metadata: Option<serde_json::Value>,
    pub user_context_data: Option<serde_json::Value>,
    pub client_metadata: Option<ClientMetadata>,
}

impl ResendConfirmationCodeInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        client_id(&mut v, self.client_id.as_deref());
        secret_hash(&mut v, self.secret_hash.as_deref());
        username(&mut v, self.username.as_deref());
        v.finish()
    }
}

/// The answer of ResendConfirmationCode and ForgotPassword.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryOutput {
    pub code_delivery_details: CodeDeliveryDetails,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminConfirmSignUpInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub client_metadata: Option<ClientMetadata>,
}

impl AdminConfirmSignUpInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_up_reports_model_constraints() {
        let input = SignUpInput {
            client_id: Some("bad id".into()),
            username: None,
            secret_hash: Some(String::new()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.starts_with("4 validation errors detected"), "{err}");
        assert!(err.contains("at 'clientId'"), "{err}");
        assert!(err.contains("Value null at 'username'"), "{err}");
        assert!(err.contains("at 'secretHash'"), "{err}");
    }

    #[test]
    fn codes_must_be_non_blank() {
        let input = ConfirmSignUpInput {
            client_id: Some("abc".into()),
            username: Some("alice".into()),
            confirmation_code: Some("12 34".into()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.contains("at 'confirmationCode'"), "{err}");
    }

    #[test]
    fn delivery_details_use_cognito_member_names() {
        let d = CodeDeliveryDetails {
            destination: "a***@e***".into(),
            delivery_medium: "EMAIL",
            attribute_name: "email".into(),
        };
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"})
        );
    }
}
