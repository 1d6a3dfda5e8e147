//! User pool actions: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool,
//! ListUserPools.

use serde::{Deserialize, Serialize};

use super::validate::{patterns, Validator};
use crate::model::pool::{LambdaConfig, PoolSettings};
use crate::model::{SchemaAttribute, UserPool};
use crate::Result;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolInput {
    pub pool_name: Option<String>,
    pub schema: Option<Vec<SchemaAttribute>>,
    #[serde(flatten)]
    pub settings: PoolSettings,
}

impl CreateUserPoolInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        v.required("PoolName", self.pool_name.as_ref())
            .len("PoolName", self.pool_name.as_deref(), 1, 128)
            .pattern(
                "PoolName",
                self.pool_name.as_deref(),
                &patterns::USER_POOL_NAME,
            )
            .count("Schema", self.schema.as_deref(), 1, 50);
        for (i, attr) in self.schema.iter().flatten().enumerate() {
            let field = format!("Schema.{}.member.Name", i + 1);
            v.len(&field, attr.name.as_deref(), 1, 20)
                .pattern(
                    &field,
                    attr.name.as_deref(),
                    &patterns::CUSTOM_ATTRIBUTE_NAME,
                )
                .one_of(
                    &format!("Schema.{}.member.AttributeDataType", i + 1),
                    attr.attribute_data_type.as_deref(),
                    &["String", "Number", "DateTime", "Boolean"],
                );
        }
        validate_settings(&mut v, &self.settings);
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolInput {
    pub user_pool_id: Option<String>,
    pub pool_name: Option<String>,
    #[serde(flatten)]
    pub settings: PoolSettings,
}

impl UpdateUserPoolInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.len("PoolName", self.pool_name.as_deref(), 1, 128)
            .pattern(
                "PoolName",
                self.pool_name.as_deref(),
                &patterns::USER_POOL_NAME,
            );
        validate_settings(&mut v, &self.settings);
        v.finish()
    }
}

/// Input of every action that names only a pool.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolIdInput {
    pub user_pool_id: Option<String>,
}

impl PoolIdInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.finish()
    }

    pub fn id(&self) -> &str {
        self.user_pool_id.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsInput {
    pub next_token: Option<String>,
    pub max_results: Option<i64>,
}

impl ListUserPoolsInput {
    pub fn validate(&self) -> Result<()> {
        Validator::new()
            .required("MaxResults", self.max_results.as_ref())
            .range("MaxResults", self.max_results, 1, 60)
            .len("NextToken", self.next_token.as_deref(), 1, usize::MAX)
            .pattern(
                "NextToken",
                self.next_token.as_deref(),
                &patterns::PAGINATION_KEY,
            )
            .finish()
    }
}

/// `UserPoolType`: the pool as DescribeUserPool and CreateUserPool return it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolView {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub creation_date: f64,
    pub last_modified_date: f64,
    pub estimated_number_of_users: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain: Option<String>,
    #[serde(flatten)]
    pub settings: PoolSettings,
}

impl UserPoolView {
    pub fn new(
        pool: &UserPool,
        users: i64,
        domain: Option<String>,
        custom: Option<String>,
    ) -> Self {
        UserPoolView {
            id: pool.id.clone(),
            name: pool.name.clone(),
            arn: pool.arn.clone(),
            creation_date: super::date(pool.created_ms),
            last_modified_date: super::date(pool.modified_ms),
            estimated_number_of_users: users,
            domain,
            custom_domain: custom,
            settings: pool.settings.clone(),
        }
    }
}

/// `UserPoolDescriptionType`, the short form ListUserPools returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescription {
    pub id: String,
    pub name: String,
    pub lambda_config: LambdaConfig,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

impl From<&UserPool> for UserPoolDescription {
    fn from(pool: &UserPool) -> Self {
        UserPoolDescription {
            id: pool.id.clone(),
            name: pool.name.clone(),
            lambda_config: pool.settings.lambda_config.clone().unwrap_or_default(),
            creation_date: super::date(pool.created_ms),
            last_modified_date: super::date(pool.modified_ms),
        }
    }
}

pub fn pool_id(v: &mut Validator, id: Option<&str>) {
    v.required("UserPoolId", id)
        .len("UserPoolId", id, 1, 55)
        .pattern("UserPoolId", id, &patterns::USER_POOL_ID);
}

fn arn(v: &mut Validator, field: &str, value: Option<&str>) {
    v.len(field, value, 20, 2048)
        .pattern(field, value, &patterns::ARN);
}

/// The constraints on the settings CreateUserPool and UpdateUserPool share.
fn validate_settings(v: &mut Validator, s: &PoolSettings) {
    if let Some(pp) = s.policies.as_ref().and_then(|p| p.password_policy.as_ref()) {
        v.range(
            "Policies.PasswordPolicy.MinimumLength",
            pp.minimum_length,
            6,
            99,
        )
        .range(
            "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
            pp.temporary_password_validity_days,
            0,
            365,
        )
        .range(
            "Policies.PasswordPolicy.PasswordHistorySize",
            pp.password_history_size,
            0,
            24,
        );
    }
    if let Some(factors) = s
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|p| p.allowed_first_auth_factors.as_deref())
    {
        v.count(
            "Policies.SignInPolicy.AllowedFirstAuthFactors",
            Some(factors),
            1,
            4,
        )
        .each(
            "Policies.SignInPolicy.AllowedFirstAuthFactors",
            Some(factors),
            |v, f, x| {
                v.one_of(
                    f,
                    Some(x),
                    &["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"],
                );
            },
        );
    }
    v.one_of(
        "DeletionProtection",
        s.deletion_protection.as_deref(),
        &["ACTIVE", "INACTIVE"],
    )
    .one_of(
        "MfaConfiguration",
        s.mfa_configuration.as_deref(),
        &["OFF", "ON", "OPTIONAL"],
    )
    .one_of(
        "UserPoolTier",
        s.user_pool_tier.as_deref(),
        &["LITE", "ESSENTIALS", "PLUS"],
    )
    .count(
        "AutoVerifiedAttributes",
        s.auto_verified_attributes.as_deref(),
        0,
        2,
    )
    .each(
        "AutoVerifiedAttributes",
        s.auto_verified_attributes.as_deref(),
        |v, f, x| {
            v.one_of(f, Some(x), &["phone_number", "email"]);
        },
    )
    .count("AliasAttributes", s.alias_attributes.as_deref(), 0, 3)
    .each(
        "AliasAttributes",
        s.alias_attributes.as_deref(),
        |v, f, x| {
            v.one_of(f, Some(x), &["phone_number", "email", "preferred_username"]);
        },
    )
    .count("UsernameAttributes", s.username_attributes.as_deref(), 0, 2)
    .each(
        "UsernameAttributes",
        s.username_attributes.as_deref(),
        |v, f, x| {
            v.one_of(f, Some(x), &["phone_number", "email"]);
        },
    )
    .len(
        "SmsVerificationMessage",
        s.sms_verification_message.as_deref(),
        6,
        140,
    )
    .pattern(
        "SmsVerificationMessage",
        s.sms_verification_message.as_deref(),
        &patterns::SMS_VERIFICATION_MESSAGE,
    )
    .len(
        "EmailVerificationMessage",
        s.email_verification_message.as_deref(),
        6,
        20000,
    )
    .pattern(
        "EmailVerificationMessage",
        s.email_verification_message.as_deref(),
        &patterns::EMAIL_VERIFICATION_MESSAGE,
    )
    .len(
        "EmailVerificationSubject",
        s.email_verification_subject.as_deref(),
        1,
        140,
    )
    .pattern(
        "EmailVerificationSubject",
        s.email_verification_subject.as_deref(),
        &patterns::EMAIL_VERIFICATION_SUBJECT,
    )
    .len(
        "SmsAuthenticationMessage",
        s.sms_authentication_message.as_deref(),
        6,
        140,
    )
    .pattern(
        "SmsAuthenticationMessage",
        s.sms_authentication_message.as_deref(),
        &patterns::SMS_VERIFICATION_MESSAGE,
    );
    if let Some(t) = &s.verification_message_template {
        v.len(
            "VerificationMessageTemplate.SmsMessage",
            t.sms_message.as_deref(),
            6,
            140,
        )
        .pattern(
            "VerificationMessageTemplate.SmsMessage",
            t.sms_message.as_deref(),
            &patterns::SMS_VERIFICATION_MESSAGE,
        )
        .len(
            "VerificationMessageTemplate.EmailMessage",
            t.email_message.as_deref(),
            6,
            20000,
        )
        .pattern(
            "VerificationMessageTemplate.EmailMessage",
            t.email_message.as_deref(),
            &patterns::EMAIL_VERIFICATION_MESSAGE,
        )
        .len(
            "VerificationMessageTemplate.EmailSubject",
            t.email_subject.as_deref(),
            1,
            140,
        )
        .pattern(
            "VerificationMessageTemplate.EmailSubject",
            t.email_subject.as_deref(),
            &patterns::EMAIL_VERIFICATION_SUBJECT,
        )
        .len(
            "VerificationMessageTemplate.EmailMessageByLink",
            t.email_message_by_link.as_deref(),
            6,
            20000,
        )
        .pattern(
            "VerificationMessageTemplate.EmailMessageByLink",
            t.email_message_by_link.as_deref(),
            &patterns::EMAIL_VERIFICATION_MESSAGE_BY_LINK,
        )
        .len(
            "VerificationMessageTemplate.EmailSubjectByLink",
            t.email_subject_by_link.as_deref(),
            1,
            140,
        )
        .pattern(
            "VerificationMessageTemplate.EmailSubjectByLink",
            t.email_subject_by_link.as_deref(),
            &patterns::EMAIL_VERIFICATION_SUBJECT,
        )
        .one_of(
            "VerificationMessageTemplate.DefaultEmailOption",
            t.default_email_option.as_deref(),
            &["CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE"],
        );
    }
    if let Some(c) = &s.admin_create_user_config {
        v.range(
            "AdminCreateUserConfig.UnusedAccountValidityDays",
            c.unused_account_validity_days,
            0,
            365,
        );
        if let Some(t) = &c.invite_message_template {
            v.len(
                "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
                t.sms_message.as_deref(),
                6,
                140,
            )
            .pattern(
                "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
                t.sms_message.as_deref(),
                &patterns::SMS_INVITE_MESSAGE,
            )
            .len(
                "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
                t.email_message.as_deref(),
                6,
                20000,
            )
            .pattern(
                "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
                t.email_message.as_deref(),
                &patterns::EMAIL_INVITE_MESSAGE,
            )
            .len(
                "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
                t.email_subject.as_deref(),
                1,
                140,
            )
            .pattern(
                "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
                t.email_subject.as_deref(),
                &patterns::EMAIL_VERIFICATION_SUBJECT,
            );
        }
    }
    if let Some(a) = &s.user_pool_add_ons {
        v.one_of(
            "UserPoolAddOns.AdvancedSecurityMode",
            Some(a.advanced_security_mode.as_str()),
            &["OFF", "AUDIT", "ENFORCED"],
        );
    }
    if let Some(l) = &s.lambda_config {
        for (name, value) in [
            ("PreSignUp", &l.pre_sign_up),
            ("CustomMessage", &l.custom_message),
            ("PostConfirmation", &l.post_confirmation),
            ("PreAuthentication", &l.pre_authentication),
            ("PostAuthentication", &l.post_authentication),
            ("DefineAuthChallenge", &l.define_auth_challenge),
            ("CreateAuthChallenge", &l.create_auth_challenge),
            (
                "VerifyAuthChallengeResponse",
                &l.verify_auth_challenge_response,
            ),
            ("PreTokenGeneration", &l.pre_token_generation),
            ("UserMigration", &l.user_migration),
            ("KMSKeyID", &l.kms_key_id),
        ] {
            arn(v, &format!("LambdaConfig.{name}"), value.as_deref());
        }
    }
    if let Some(e) = &s.email_configuration {
        arn(v, "EmailConfiguration.SourceArn", e.source_arn.as_deref());
        v.one_of(
            "EmailConfiguration.EmailSendingAccount",
            e.email_sending_account.as_deref(),
            &["COGNITO_DEFAULT", "DEVELOPER"],
        )
        .pattern(
            "EmailConfiguration.ReplyToEmailAddress",
            e.reply_to_email_address.as_deref(),
            &patterns::EMAIL_ADDRESS,
        );
    }
    if let Some(sms) = &s.sms_configuration {
        arn(
            v,
            "SmsConfiguration.SnsCallerArn",
            Some(&sms.sns_caller_arn),
        );
    }
    if let Some(r) = s
        .account_recovery_setting
        .as_ref()
        .and_then(|r| r.recovery_mechanisms.as_ref())
    {
        v.count("AccountRecoverySetting.RecoveryMechanisms", Some(r), 1, 2);
        for (i, m) in r.iter().enumerate() {
            v.range(
                &format!(
                    "AccountRecoverySetting.RecoveryMechanisms.{}.member.Priority",
                    i + 1
                ),
                Some(m.priority),
                1,
                2,
            )
            .one_of(
                &format!(
                    "AccountRecoverySetting.RecoveryMechanisms.{}.member.Name",
                    i + 1
                ),
                Some(&m.name),
                &["verified_email", "verified_phone_number", "admin_only"],
            );
        }
    }
    if s.user_pool_tags.len() > 50 {
        v.count(
            "UserPoolTags",
            Some(&s.user_pool_tags.keys().collect::<Vec<_>>()),
            0,
            50,
        );
    }
    for (k, val) in &s.user_pool_tags {
        v.len("UserPoolTags.key", Some(k), 1, 128)
            .pattern("UserPoolTags.key", Some(k), &patterns::TAG_KEY)
            .len("UserPoolTags.value", Some(val), 0, 256)
            .pattern("UserPoolTags.value", Some(val), &patterns::TAG_VALUE);
    }
}
