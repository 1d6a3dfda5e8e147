//! Actions a signed-in user takes with their access token: GetUser, UpdateUserAttributes,
//! DeleteUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute, DeleteUser,
//! ChangePassword, GlobalSignOut; and the token actions RevokeToken and
//! AdminUserGlobalSignOut.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::clients::client_id;
use super::users::{attribute_list, user_patterns, AttributeType, PASSWORD};
use super::validate::Validator;
use crate::model::Attribute;
use crate::Result;

crate::pattern!(TOKEN, r"[A-Za-z0-9-_=.]+");
crate::pattern!(CLIENT_SECRET, r"[\w+]+");
crate::pattern!(CONFIRMATION_CODE, r"[\S]+");

/// `TokenModelType`, required.
pub(crate) fn access_token(v: &mut Validator, value: Option<&str>) {
    v.required("AccessToken", value)
        .pattern("AccessToken", value, &TOKEN);
}

fn attribute_name(v: &mut Validator, field: &str, value: Option<&str>) {
    v.required(field, value).len(field, value, 1, 32).pattern(
        field,
        value,
        &user_patterns::ATTRIBUTE_NAME,
    );
}

fn password(v: &mut Validator, field: &str, value: Option<&str>) {
    v.len(field, value, 0, 256).pattern(field, value, &PASSWORD);
}

/// GetUser, DeleteUser, GlobalSignOut: the access token and nothing else.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenInput {
    pub access_token: Option<String>,
}

impl AccessTokenInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref());
        v.finish()
    }

    pub fn token(&self) -> &str {
        self.access_token.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesInput {
    pub user_attributes: Option<Vec<AttributeType>>,
    pub access_token: Option<String>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl UpdateUserAttributesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        v.required("UserAttributes", self.user_attributes.as_ref());
        attribute_list(&mut v, "UserAttributes", self.user_attributes.as_deref());
        access_token(&mut v, self.access_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesInput {
    pub user_attribute_names: Option<Vec<String>>,
    pub access_token: Option<String>,
}

impl DeleteUserAttributesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        v.required("UserAttributeNames", self.user_attribute_names.as_ref())
            .members(
                "UserAttributeNames",
                self.user_attribute_names.as_deref(),
                1,
                32,
                Some(&user_patterns::ATTRIBUTE_NAME),
            );
        access_token(&mut v, self.access_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAttributeVerificationCodeInput {
    pub access_token: Option<String>,
    pub attribute_name: Option<String>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl GetUserAttributeVerificationCodeInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref());
        attribute_name(&mut v, "AttributeName", self.attribute_name.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeInput {
    pub access_token: Option<String>,
    pub attribute_name: Option<String>,
    pub code: Option<String>,
}

impl VerifyUserAttributeInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        access_token(&mut v, self.access_token.as_deref());
        attribute_name(&mut v, "AttributeName", self.attribute_name.as_deref());
        v.required("Code", self.code.as_ref())
            .len("Code", self.code.as_deref(), 1, 2048)
            .pattern("Code", self.code.as_deref(), &CONFIRMATION_CODE);
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordInput {
    pub previous_password: Option<String>,
    pub proposed_password: Option<String>,
    pub access_token: Option<String>,
}

impl ChangePasswordInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        password(
            &mut v,
            "PreviousPassword",
            self.previous_password.as_deref(),
        );
        v.required("ProposedPassword", self.proposed_password.as_ref());
        password(
            &mut v,
            "ProposedPassword",
            self.proposed_password.as_deref(),
        );
        access_token(&mut v, self.access_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenInput {
    pub token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl RevokeTokenInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        v.required("Token", self.token.as_ref())
            .pattern("Token", self.token.as_deref(), &TOKEN);
        client_id(&mut v, self.client_id.as_deref());
        v.len("ClientSecret", self.client_secret.as_deref(), 24, 64)
            .pattern(
                "ClientSecret",
                self.client_secret.as_deref(),
                &CLIENT_SECRET,
            );
        v.finish()
    }
}

/// `MFAOptionType` (legacy SMS MFA settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOption {
    pub delivery_medium: String,
    pub attribute_name: String,
}

/// GetUser's answer. The MFA members appear once the user has MFA settings (the MFA work).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserOutput {
    pub username: String,
    pub user_attributes: Vec<Attribute>,
    #[serde(rename = "MFAOptions", skip_serializing_if = "Option::is_none")]
    pub mfa_options: Option<Vec<MfaOption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(rename = "UserMFASettingList", skip_serializing_if = "Option::is_none")]
    pub user_mfa_setting_list: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_model_pattern() {
        let input = AccessTokenInput {
            access_token: Some("not a token!".into()),
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.contains("at 'accessToken'"), "{err}");
        let input = AccessTokenInput {
            access_token: Some("eyJ.abc-_=.x".into()),
        };
        assert!(input.validate().is_ok());
        assert!(AccessTokenInput::default().validate().is_err());
    }

    #[test]
    fn revoke_token_checks_the_secret_shape() {
        let input = RevokeTokenInput {
            token: Some("abc.def".into()),
            client_id: Some("client1".into()),
            client_secret: Some("short".into()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.contains("at 'clientSecret'"), "{err}");
    }
}
