//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools.
//!
//! Defaults are Cognito's for a pool created through the API: a password policy of 8
//! characters with all four character classes and 7-day temporary passwords, MFA off,
//! deletion protection off, case-sensitive usernames unless `UsernameConfiguration` says
//! otherwise, and the standard attribute schema.

use super::{page, RequestContext, Service};
use crate::api::pools::{
    CreateUserPoolInput, ListUserPoolsInput, UpdateUserPoolInput, UserPoolDescription, UserPoolView,
};
use crate::model::pool::{
    AdminCreateUserConfig, EmailConfiguration, PasswordPolicy, Policies, PoolSettings,
    SignInPolicy, VerificationMessageTemplate,
};
use crate::model::schema::{
    default_standard_attribute, is_standard_attribute, STANDARD_ATTRIBUTES,
};
use crate::model::{SchemaAttribute, UserPool};
use crate::store::StoreError;
use crate::{ids, Error, Result};

/// The most custom attributes a pool may have.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

impl Service {
    pub async fn create_user_pool(
        &self,
        ctx: &RequestContext,
        input: CreateUserPoolInput,
    ) -> Result<UserPoolView> {
        input.validate()?;
        let mut settings = input.settings;
        check_sign_in_attributes(&settings)?;
        settings.schema_attributes = Some(build_schema(input.schema.as_deref().unwrap_or(&[]))?);
        apply_defaults(&mut settings);
        let now = self.now();
        let id = self.with_rng(|rng| ids::new_pool_id(rng, &ctx.region));
        let pool = UserPool {
            arn: self.pool_arn(&ctx.region, &id),
            id,
            name: input.pool_name.unwrap_or_default(),
            created_ms: now,
            modified_ms: now,
            settings,
            mfa: Default::default(),
        };
        match self.store.insert_pool(&pool).await {
            Ok(()) => {}
            // A 9-character random suffix colliding is the caller's retry, not a bug.
            Err(StoreError::Conflict(_)) => {
                return Err(Error::Internal("pool id collision".into()));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(UserPoolView::new(&pool, 0, None, None))
    }

    pub async fn describe_user_pool(&self, pool_id: &str) -> Result<UserPoolView> {
        let pool = self.pool(pool_id).await?;
        let users = self.store.count_users(pool_id).await?;
        let domains = self.store.list_domains_for_pool(pool_id).await?;
        let prefix = domains
            .iter()
            .find(|d| !d.is_custom())
            .map(|d| d.domain.clone());
        let custom = domains
            .iter()
            .find(|d| d.is_custom())
            .map(|d| d.domain.clone());
        Ok(UserPoolView::new(&pool, users, prefix, custom))
    }

    /// Settings the request leaves out return to their defaults, as Cognito documents; the
    /// schema, sign-in attributes and username configuration cannot change.
    pub async fn update_user_pool(&self, input: UpdateUserPoolInput) -> Result<()> {
        input.validate()?;
        let pool_id = input.user_pool_id.clone().unwrap_or_default();
        let mut pool = self.pool(&pool_id).await?;
        let old = &pool.settings;
        let mut settings = PoolSettings {
            schema_attributes: old.schema_attributes.clone(),
            alias_attributes: old.alias_attributes.clone(),
            username_attributes: old.username_attributes.clone(),
            username_configuration: old.username_configuration.clone(),
            user_pool_tags: if input.settings.user_pool_tags.is_empty() {
                old.user_pool_tags.clone()
            } else {
                input.settings.user_pool_tags.clone()
            },
            ..input.settings
        };
        apply_defaults(&mut settings);
        pool.settings = settings;
        if let Some(name) = input.pool_name {
            pool.name = name;
        }
        pool.modified_ms = self.now();
        let saved = self.store.update_pool(&pool).await.map_err(|e| match e {
            StoreError::NotFound => Error::pool_not_found(&pool_id),
            other => other.into(),
        });
        self.config_cache.forget_pool(&pool_id);
        saved
    }

    pub async fn delete_user_pool(&self, pool_id: &str) -> Result<()> {
        let pool = self.pool(pool_id).await?;
        if pool.settings.deletion_protection.as_deref() == Some("ACTIVE") {
            return Err(Error::invalid(
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
            ));
        }
        let deleted = self.store.delete_pool(pool_id).await;
        self.config_cache.forget_pool(pool_id);
        if !deleted? {
            return Err(Error::pool_not_found(pool_id));
        }
        Ok(())
    }

    pub async fn list_user_pools(
        &self,
        input: ListUserPoolsInput,
    ) -> Result<(Vec<UserPoolDescription>, Option<String>)> {
        input.validate()?;
        let limit = input.max_results.unwrap_or(60) as usize;
        let after = page::decode(input.next_token.as_deref())?;
        let rows = self
            .store
            .list_pools(after.as_deref(), limit as u32 + 1)
            .await?;
        let (rows, next) = page::split(rows, limit, |p| p.id.clone());
        Ok((rows.iter().map(UserPoolDescription::from).collect(), next))
    }
}

fn check_sign_in_attributes(s: &PoolSettings) -> Result<()> {
    let has = |v: &Option<Vec<String>>| v.as_ref().is_some_and(|l| !l.is_empty());
    if has(&s.alias_attributes) && has(&s.username_attributes) {
        return Err(Error::invalid(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
        ));
    }
    Ok(())
}

/// Fills what Cognito fills when a setting is absent.
fn apply_defaults(s: &mut PoolSettings) {
    let policies = s.policies.get_or_insert_with(Policies::default);
    let given = policies.password_policy.take().unwrap_or_default();
    policies.password_policy = Some(PasswordPolicy {
        minimum_length: Some(given.minimum_length.unwrap_or(8)),
        require_uppercase: Some(given.require_uppercase.unwrap_or(true)),
        require_lowercase: Some(given.require_lowercase.unwrap_or(true)),
        require_numbers: Some(given.require_numbers.unwrap_or(true)),
        require_symbols: Some(given.require_symbols.unwrap_or(true)),
        password_history_size: given.password_history_size,
        // 0 is "not set" (API reference, PasswordPolicyType): SDKs that send every member with
        // a default, as the Rust SDK does, send 0 with any password policy.
        temporary_password_validity_days: Some(
            given
                .temporary_password_validity_days
                .filter(|&days| days != 0)
                .unwrap_or(7),
        ),
    });
    let sign_in = policies
        .sign_in_policy
        .get_or_insert_with(SignInPolicy::default);
    sign_in
        .allowed_first_auth_factors
        .get_or_insert_with(|| vec!["PASSWORD".into()]);
    s.deletion_protection
        .get_or_insert_with(|| "INACTIVE".into());
    s.mfa_configuration.get_or_insert_with(|| "OFF".into());
    s.user_pool_tier.get_or_insert_with(|| "ESSENTIALS".into());
    s.lambda_config.get_or_insert_with(Default::default);
    let template = s
        .verification_message_template
        .get_or_insert_with(VerificationMessageTemplate::default);
    template
        .default_email_option
        .get_or_insert_with(|| "CONFIRM_WITH_CODE".into());
    // The legacy top-level messages and the template describe the same messages.
    if template.sms_message.is_none() {
        template.sms_message = s.sms_verification_message.clone();
    }
    if template.email_message.is_none() {
        template.email_message = s.email_verification_message.clone();
    }
    if template.email_subject.is_none() {
        template.email_subject = s.email_verification_subject.clone();
    }
    if s.sms_verification_message.is_none() {
        s.sms_verification_message = template.sms_message.clone();
    }
    if s.email_verification_message.is_none() {
        s.email_verification_message = template.email_message.clone();
    }
    if s.email_verification_subject.is_none() {
        s.email_verification_subject = template.email_subject.clone();
    }
    let admin = s
        .admin_create_user_config
        .get_or_insert_with(AdminCreateUserConfig::default);
    admin.allow_admin_create_user_only.get_or_insert(false);
    admin.unused_account_validity_days.get_or_insert(7);
    s.email_configuration
        .get_or_insert_with(EmailConfiguration::default)
        .email_sending_account
        .get_or_insert_with(|| "COGNITO_DEFAULT".into());
}

/// The standard attributes (with the request's changes to them) followed by its custom ones.
pub(crate) fn build_schema(requested: &[SchemaAttribute]) -> Result<Vec<SchemaAttribute>> {
    let mut schema: Vec<SchemaAttribute> = STANDARD_ATTRIBUTES
        .iter()
        .map(|(name, ty)| default_standard_attribute(name, ty))
        .collect();
    let mut custom = Vec::new();
    for attr in requested {
        let name = attr.name();
        if is_standard_attribute(name) {
            let Some(slot) = schema.iter_mut().find(|a| a.name() == name) else {
                continue;
            };
            if let Some(ty) = &attr.attribute_data_type {
                if Some(ty) != slot.attribute_data_type.as_ref() {
                    return Err(Error::invalid(format!(
                        "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}"
                    )));
                }
            }
            if name == "sub" {
                continue;
            }
            if attr.required.is_some() {
                slot.required = attr.required;
            }
            if attr.mutable.is_some() {
                slot.mutable = attr.mutable;
            }
            if attr.string_attribute_constraints.is_some() {
                slot.string_attribute_constraints = attr.string_attribute_constraints.clone();
            }
            if attr.number_attribute_constraints.is_some() {
                slot.number_attribute_constraints = attr.number_attribute_constraints.clone();
            }
        } else {
            custom.push(custom_attribute(attr)?);
        }
    }
    let mut names: Vec<&str> = custom.iter().map(|a| a.name()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::invalid("Duplicate attribute names are not allowed."));
    }
    if custom.len() > MAX_CUSTOM_ATTRIBUTES {
        return Err(Error::LimitExceeded(format!(
            "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
        )));
    }
    schema.extend(custom);
    Ok(schema)
}

/// A custom attribute as stored: `custom:` prefixed, and `dev:custom:` for developer-only ones
/// (which only administrators, never app clients, read and write).
pub(crate) fn custom_attribute(attr: &SchemaAttribute) -> Result<SchemaAttribute> {
    let bare = attr
        .name()
        .trim_start_matches("dev:")
        .trim_start_matches("custom:");
    if bare.is_empty() {
        return Err(Error::invalid("Attribute name must not be empty."));
    }
    if attr.is_required() {
        return Err(Error::invalid(
            "Required custom attributes are not supported currently.",
        ));
    }
    let developer_only = attr.developer_only_attribute.unwrap_or(false);
    let data_type = attr.data_type().to_string();
    let mut out = SchemaAttribute {
        name: Some(format!(
            "{}:{bare}",
            if developer_only {
                "dev:custom"
            } else {
                "custom"
            }
        )),
        attribute_data_type: Some(data_type.clone()),
        developer_only_attribute: Some(developer_only),
        mutable: Some(attr.is_mutable()),
        required: Some(false),
        number_attribute_constraints: None,
        string_attribute_constraints: None,
    };
    match data_type.as_str() {
        "String" => {
            let c = attr
                .string_attribute_constraints
                .clone()
                .unwrap_or_default();
            let min = parse_bound(c.min_length.as_deref(), 0)?;
            let max = parse_bound(c.max_length.as_deref(), 2048)?;
            if min < 0 || max > 2048 || min > max {
                return Err(Error::invalid(format!(
                    "Invalid string length constraints for attribute {bare}: minimum and maximum length must be between 0 and 2048."
                )));
            }
            out.string_attribute_constraints = Some(crate::model::schema::StringConstraints {
                min_length: c.min_length.or(Some("0".into())),
                max_length: c.max_length.or(Some("2048".into())),
            });
        }
        "Number" => {
            let c = attr
                .number_attribute_constraints
                .clone()
                .unwrap_or_default();
            let min = parse_bound(c.min_value.as_deref(), i64::MIN)?;
            let max = parse_bound(c.max_value.as_deref(), i64::MAX)?;
            if min > max {
                return Err(Error::invalid(format!(
                    "Invalid number constraints for attribute {bare}: MinValue is greater than MaxValue."
                )));
            }
            if c.min_value.is_some() || c.max_value.is_some() {
                out.number_attribute_constraints = Some(c);
            }
        }
        _ => {}
    }
    Ok(out)
}

fn parse_bound(value: Option<&str>, default: i64) -> Result<i64> {
    match value {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| Error::invalid(format!("Invalid constraint value: {v}"))),
    }
}
