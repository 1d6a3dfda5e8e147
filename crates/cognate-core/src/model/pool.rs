//! The user pool: its settings as Cognito describes them (`UserPoolType`).
//!
//! The structs carry Cognito's member names through serde so that the settings persist as one
//! JSON document and the AWS protocol layer does not restate the same shapes. The engine decides
//! defaults and the rules between settings in `service::pools`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::schema::SchemaAttribute;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_length: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_uppercase: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_lowercase: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_numbers: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_symbols: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_history_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temporary_password_validity_days: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignInPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_first_auth_factors: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_policy: Option<PasswordPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_policy: Option<SignInPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaVersionConfig {
    pub lambda_version: String,
    pub lambda_arn: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InboundFederationLambda {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_arn: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LambdaConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_sign_up: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_confirmation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_authentication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_authentication: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub define_auth_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_auth_challenge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_auth_challenge_response: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_token_generation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_migration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_token_generation_config: Option<LambdaVersionConfig>,
    #[serde(rename = "CustomSMSSender", skip_serializing_if = "Option::is_none")]
    pub custom_sms_sender: Option<LambdaVersionConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_email_sender: Option<LambdaVersionConfig>,
    #[serde(rename = "KMSKeyID", skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound_federation: Option<InboundFederationLambda>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject_by_link: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageTemplate {
    #[serde(rename = "SMSMessage", skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_admin_create_user_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserAttributeUpdateSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes_require_verification_before_update: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_required_on_new_device: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_only_remembered_on_user_prompt: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_email_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_sending_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_set: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsConfiguration {
    #[serde(default)]
    pub sns_caller_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedSecurityAdditionalFlows {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_auth_mode: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolAddOns {
    #[serde(default)]
    pub advanced_security_mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advanced_security_additional_flows: Option<AdvancedSecurityAdditionalFlows>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecoveryOption {
    pub priority: i64,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRecoverySetting {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_mechanisms: Option<Vec<RecoveryOption>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WebAuthnConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relying_party_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_verification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor_configuration: Option<String>,
}

/// The MFA settings that only Get/SetUserPoolMfaConfig show in full.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

/// Everything a pool is configured with. `UserPool` adds identity and bookkeeping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lambda_config: Option<LambdaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_attributes: Option<Vec<SchemaAttribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_verified_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_attributes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_attribute_update_settings: Option<UserAttributeUpdateSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<DeviceConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_configuration: Option<EmailConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_pool_tags: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_create_user_config: Option<AdminCreateUserConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_add_ons: Option<UserPoolAddOns>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_recovery_setting: Option<AccountRecoverySetting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_tier: Option<String>,
}

/// A user pool as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub created_ms: i64,
    pub modified_ms: i64,
    pub settings: PoolSettings,
    /// Not part of `UserPoolType`; shown by GetUserPoolMfaConfig.
    #[serde(default)]
    pub mfa: MfaSettings,
}

#[cfg(test)]
impl UserPool {
    /// A pool `us-east-1_test` with these settings, for unit tests.
    pub(crate) fn for_tests(settings: PoolSettings) -> UserPool {
        UserPool {
            id: "us-east-1_test".into(),
            name: "p".into(),
            arn: String::new(),
            created_ms: 0,
            modified_ms: 0,
            settings,
            mfa: Default::default(),
        }
    }
}

impl UserPool {
    pub fn region(&self) -> &str {
        crate::ids::region_of_pool(&self.id)
    }

    /// Whether usernames (and aliases) match without regard to case. Pools created through the
    /// API without a `UsernameConfiguration` are case sensitive, as in Cognito.
    pub fn case_insensitive(&self) -> bool {
        self.settings
            .username_configuration
            .as_ref()
            .is_some_and(|c| !c.case_sensitive)
    }

    /// The lookup key of a username in this pool.
    pub fn username_key(&self, username: &str) -> String {
        if self.case_insensitive() {
            username.to_lowercase()
        } else {
            username.to_string()
        }
    }

    pub fn schema(&self) -> &[SchemaAttribute] {
        self.settings.schema_attributes.as_deref().unwrap_or(&[])
    }

    pub fn password_policy(&self) -> PasswordPolicy {
        self.settings
            .policies
            .as_ref()
            .and_then(|p| p.password_policy.clone())
            .unwrap_or_default()
    }
}
