//! AddCustomAttributes, GetCSVHeader, GetUserPoolMfaConfig, SetUserPoolMfaConfig, TagResource,
//! UntagResource, ListTagsForResource: changes to a pool outside UpdateUserPool. Each one reads
//! the pool and writes it back whole in one store call.
//!
//! MFA follows what Cognito does rather than what its prose implies
//! (<https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html>):
//! an absent `MfaConfiguration` means `OFF`; `OFF` together with an SMS, TOTP or email factor
//! block is refused; turning MFA off drops the factor settings; with MFA `ON` or `OPTIONAL`,
//! factor blocks the request leaves out keep their current settings, and at least one of SMS,
//! TOTP and email must end up enabled (WebAuthn is not an MFA factor). Email MFA needs a pool
//! that sends email through SES (`EmailSendingAccount` `DEVELOPER`) and a tier above LITE.

use std::collections::BTreeMap;

use super::pools::{custom_attribute, MAX_CUSTOM_ATTRIBUTES};
use super::Service;
use crate::api::pool_extras::{
    AddCustomAttributesInput, CsvHeader, MfaConfigView, ResourceArnInput,
    SetUserPoolMfaConfigInput, TagResourceInput, UntagResourceInput,
};
use crate::api::pools::PoolIdInput;
use crate::model::pool::{MfaSettings, SmsMfaConfig};
use crate::model::UserPool;
use crate::store::StoreError;
use crate::{Error, Result};

/// Tags a resource may carry.
pub const MAX_TAGS: usize = 50;

impl Service {
    pub async fn add_custom_attributes(&self, input: AddCustomAttributesInput) -> Result<()> {
        input.validate()?;
        let mut pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let mut schema = pool.settings.schema_attributes.clone().unwrap_or_default();
        for requested in input.custom_attributes.unwrap_or_default() {
            let added = custom_attribute(&requested)?;
            let bare = bare_name(added.name()).to_string();
            if let Some(existing) = schema
                .iter()
                .find(|a| a.is_custom() && bare_name(a.name()) == bare)
            {
                return Err(Error::invalid(format!(
                    "custom:{bare}: Existing attribute already has name {}.",
                    existing.name()
                )));
            }
            schema.push(added);
        }
        if schema.iter().filter(|a| a.is_custom()).count() > MAX_CUSTOM_ATTRIBUTES {
            return Err(Error::invalid(format!(
                "A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."
            )));
        }
        pool.settings.schema_attributes = Some(schema);
        self.save_pool(pool).await
    }

    /// The header of a user import file: every attribute of the schema but `sub`, in schema
    /// order, then `cognito:mfa_enabled` and `cognito:username`, as the developer guide shows.
    pub async fn get_csv_header(&self, input: PoolIdInput) -> Result<CsvHeader> {
        input.validate()?;
        let pool = self.pool(input.id()).await?;
        let mut header: Vec<String> = pool
            .schema()
            .iter()
            .map(|a| a.name().to_string())
            .filter(|n| n != "sub")
            .collect();
        header.push("cognito:mfa_enabled".into());
        header.push("cognito:username".into());
        Ok(CsvHeader {
            user_pool_id: pool.id,
            csv_header: header,
        })
    }

    pub async fn get_user_pool_mfa_config(&self, input: PoolIdInput) -> Result<MfaConfigView> {
        input.validate()?;
        let pool = self.pool(input.id()).await?;
        Ok(mfa_view(&pool))
    }

    pub async fn set_user_pool_mfa_config(
        &self,
        input: SetUserPoolMfaConfigInput,
    ) -> Result<MfaConfigView> {
        input.validate()?;
        let mut pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let lite = pool.settings.user_pool_tier.as_deref() == Some("LITE");
        let mode = input.mfa_configuration.unwrap_or_else(|| "OFF".into());
        let current = mfa_view(&pool);
        let mut mfa = MfaSettings {
            web_authn_configuration: input
                .web_authn_configuration
                .clone()
                .or(current.web_authn_configuration),
            ..Default::default()
        };
        if input.web_authn_configuration.is_some() && lite {
            return Err(unavailable_in_lite("WebAuthn"));
        }
        let factor_given = input.sms_mfa_configuration.is_some()
            || input.software_token_mfa_configuration.is_some()
            || input.email_mfa_configuration.is_some();
        if mode == "OFF" {
            if factor_given {
                return Err(Error::invalid(
                    "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
                ));
            }
        } else {
            if input.email_mfa_configuration.is_some() {
                if lite {
                    return Err(unavailable_in_lite("Email MFA"));
                }
                let sending = pool
                    .settings
                    .email_configuration
                    .as_ref()
                    .and_then(|e| e.email_sending_account.as_deref())
                    .unwrap_or("COGNITO_DEFAULT");
                if sending != "DEVELOPER" {
                    return Err(Error::invalid(
                        "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of COGNITO_DEFAULT.",
                    ));
                }
            }
            if let Some(sms) = &input.sms_mfa_configuration {
                // SMS settings are the pool's, shared with verification messages.
                if let Some(c) = &sms.sms_configuration {
                    pool.settings.sms_configuration = Some(c.clone());
                }
                if pool.settings.sms_configuration.is_none() {
                    return Err(Error::invalid(
                        "Invalid MFA configuration given, SMS MFA requires an SmsConfiguration.",
                    ));
                }
                if let Some(m) = &sms.sms_authentication_message {
                    pool.settings.sms_authentication_message = Some(m.clone());
                }
            }
            mfa.sms_mfa_configuration = input
                .sms_mfa_configuration
                .or(current.sms_mfa_configuration)
                .map(|sms| SmsMfaConfig {
                    sms_authentication_message: sms
                        .sms_authentication_message
                        .or_else(|| pool.settings.sms_authentication_message.clone()),
                    sms_configuration: sms
                        .sms_configuration
                        .or_else(|| pool.settings.sms_configuration.clone()),
                });
            mfa.software_token_mfa_configuration = input
                .software_token_mfa_configuration
                .or(current.software_token_mfa_configuration);
            mfa.email_mfa_configuration = input
                .email_mfa_configuration
                .or(current.email_mfa_configuration);
            let enabled = mfa.sms_mfa_configuration.is_some()
                || mfa.email_mfa_configuration.is_some()
                || mfa
                    .software_token_mfa_configuration
                    .as_ref()
                    .is_some_and(|t| t.enabled == Some(true));
            if !enabled {
                return Err(Error::invalid(
                    "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.",
                ));
            }
        }
        pool.settings.mfa_configuration = Some(mode);
        pool.mfa = mfa;
        let view = mfa_view(&pool);
        self.save_pool(pool).await?;
        Ok(view)
    }

    pub async fn tag_resource(&self, input: TagResourceInput) -> Result<()> {
        input.validate()?;
        let mut pool = self
            .pool_by_arn(input.resource_arn.as_deref().unwrap_or_default())
            .await?;
        let tags = input.tags.unwrap_or_default();
        if tags.keys().any(|k| k.starts_with("aws:")) {
            return Err(Error::invalid(
                "Tag keys starting with 'aws:' are reserved for use by AWS.",
            ));
        }
        let mut merged: BTreeMap<String, String> = pool.settings.user_pool_tags.clone();
        merged.extend(tags);
        if merged.len() > MAX_TAGS {
            return Err(Error::invalid(format!(
                "A user pool can have at most {MAX_TAGS} tags."
            )));
        }
        pool.settings.user_pool_tags = merged;
        self.save_pool(pool).await
    }

    pub async fn untag_resource(&self, input: UntagResourceInput) -> Result<()> {
        input.validate()?;
        let mut pool = self
            .pool_by_arn(input.resource_arn.as_deref().unwrap_or_default())
            .await?;
        for key in input.tag_keys.unwrap_or_default() {
            pool.settings.user_pool_tags.remove(&key);
        }
        self.save_pool(pool).await
    }

    pub async fn list_tags_for_resource(
        &self,
        input: ResourceArnInput,
    ) -> Result<BTreeMap<String, String>> {
        input.validate()?;
        let pool = self
            .pool_by_arn(input.resource_arn.as_deref().unwrap_or_default())
            .await?;
        Ok(pool.settings.user_pool_tags)
    }

    /// The pool an ARN names: `arn:aws:cognito-idp:{region}:{account}:userpool/{id}`, exactly as
    /// the pool reports it.
    async fn pool_by_arn(&self, arn: &str) -> Result<UserPool> {
        let Some((_, id)) = arn.split_once(":userpool/") else {
            return Err(Error::ResourceNotFound(format!(
                "Resource {arn} does not exist."
            )));
        };
        match self.store.get_pool(id).await? {
            Some(pool) if pool.arn == arn => Ok(pool),
            _ => Err(Error::pool_not_found(id)),
        }
    }

    /// Writes back a pool read earlier in the request.
    async fn save_pool(&self, mut pool: UserPool) -> Result<()> {
        pool.modified_ms = self.now();
        let saved = self.store.update_pool(&pool).await.map_err(|e| match e {
            StoreError::NotFound => Error::pool_not_found(&pool.id),
            other => other.into(),
        });
        self.config_cache.forget_pool(&pool.id);
        saved
    }
}

/// An attribute name without its `custom:` / `dev:` prefixes.
fn bare_name(name: &str) -> &str {
    let name = name.strip_prefix("dev:").unwrap_or(name);
    name.strip_prefix("custom:").unwrap_or(name)
}

fn unavailable_in_lite(feature: &str) -> Error {
    Error::FeatureUnavailableInTier(format!(
        "The following feature is not available for the LITE pricing tier configured: {feature}"
    ))
}

/// The MFA configuration as Get/SetUserPoolMfaConfig show it. A pool that turned MFA on through
/// CreateUserPool/UpdateUserPool with an `SmsConfiguration` has SMS MFA without ever having been
/// given an SMS factor block; it is shown as such.
fn mfa_view(pool: &UserPool) -> MfaConfigView {
    let mode = pool
        .settings
        .mfa_configuration
        .clone()
        .unwrap_or_else(|| "OFF".into());
    let on = mode != "OFF";
    let sms = pool.mfa.sms_mfa_configuration.clone().or_else(|| {
        pool.settings
            .sms_configuration
            .clone()
            .filter(|_| on)
            .map(|c| SmsMfaConfig {
                sms_authentication_message: pool.settings.sms_authentication_message.clone(),
                sms_configuration: Some(c),
            })
    });
    MfaConfigView {
        sms_mfa_configuration: sms.filter(|_| on),
        software_token_mfa_configuration: pool
            .mfa
            .software_token_mfa_configuration
            .clone()
            .filter(|_| on),
        email_mfa_configuration: pool.mfa.email_mfa_configuration.clone().filter(|_| on),
        mfa_configuration: mode,
        web_authn_configuration: pool.mfa.web_authn_configuration.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_names_drop_both_prefixes() {
        assert_eq!(bare_name("custom:tier"), "tier");
        assert_eq!(bare_name("dev:custom:tier"), "tier");
        assert_eq!(bare_name("dev:tier"), "tier");
        assert_eq!(bare_name("email"), "email");
    }
}
