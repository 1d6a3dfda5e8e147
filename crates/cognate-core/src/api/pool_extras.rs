//! Actions on a pool beyond its main settings: AddCustomAttributes, GetCSVHeader,
//! GetUserPoolMfaConfig, SetUserPoolMfaConfig, TagResource, UntagResource, ListTagsForResource.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::pools::pool_id;
use super::validate::{patterns, Validator};
use crate::model::pool::{
    EmailMfaConfig, SmsConfiguration, SmsMfaConfig, SoftwareTokenMfaConfig, WebAuthnConfiguration,
};
use crate::model::SchemaAttribute;
use crate::Result;

/// `UserPoolMfaType`, in the order AWS lists it in validation messages.
pub const MFA_TYPES: &[&str] = &["OPTIONAL", "OFF", "ON"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddCustomAttributesInput {
    pub user_pool_id: Option<String>,
    pub custom_attributes: Option<Vec<SchemaAttribute>>,
}

impl AddCustomAttributesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.required("CustomAttributes", self.custom_attributes.as_ref())
            .count("CustomAttributes", self.custom_attributes.as_deref(), 1, 25);
        for (i, attr) in self.custom_attributes.iter().flatten().enumerate() {
            let field = format!("CustomAttributes.{}.member.Name", i + 1);
            v.len(&field, attr.name.as_deref(), 1, 20)
                .pattern(
                    &field,
                    attr.name.as_deref(),
                    &patterns::CUSTOM_ATTRIBUTE_NAME,
                )
                .one_of(
                    &format!("CustomAttributes.{}.member.AttributeDataType", i + 1),
                    attr.attribute_data_type.as_deref(),
                    &["String", "Number", "DateTime", "Boolean"],
                );
        }
        v.finish()
    }
}

/// The answer of GetCSVHeader.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CsvHeader {
    pub user_pool_id: String,
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigInput {
    pub user_pool_id: Option<String>,
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    pub mfa_configuration: Option<String>,
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

impl SetUserPoolMfaConfigInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.one_of(
            "MfaConfiguration",
            self.mfa_configuration.as_deref(),
            MFA_TYPES,
        );
        if let Some(sms) = &self.sms_mfa_configuration {
            let message = sms.sms_authentication_message.as_deref();
            v.len(
                "SmsMfaConfiguration.SmsAuthenticationMessage",
                message,
                6,
                140,
            )
            .pattern(
                "SmsMfaConfiguration.SmsAuthenticationMessage",
                message,
                &patterns::SMS_VERIFICATION_MESSAGE,
            );
            if let Some(c) = &sms.sms_configuration {
                sms_configuration(&mut v, "SmsMfaConfiguration.SmsConfiguration", c);
            }
        }
        if let Some(email) = &self.email_mfa_configuration {
            v.len(
                "EmailMfaConfiguration.Message",
                email.message.as_deref(),
                6,
                20000,
            )
            .pattern(
                "EmailMfaConfiguration.Message",
                email.message.as_deref(),
                &patterns::EMAIL_VERIFICATION_MESSAGE,
            )
            .pattern(
                "EmailMfaConfiguration.Subject",
                email.subject.as_deref(),
                &patterns::EMAIL_VERIFICATION_SUBJECT,
            );
        }
        if let Some(w) = &self.web_authn_configuration {
            v.len(
                "WebAuthnConfiguration.RelyingPartyId",
                w.relying_party_id.as_deref(),
                1,
                127,
            )
            .one_of(
                "WebAuthnConfiguration.UserVerification",
                w.user_verification.as_deref(),
                &["required", "preferred"],
            )
            .one_of(
                "WebAuthnConfiguration.FactorConfiguration",
                w.factor_configuration.as_deref(),
                &["SINGLE_FACTOR", "MULTI_FACTOR_WITH_USER_VERIFICATION"],
            );
        }
        v.finish()
    }
}

fn sms_configuration(v: &mut Validator, field: &str, c: &SmsConfiguration) {
    // The model's `SnsCallerArn` is required; an absent one deserializes as empty.
    let arn = Some(c.sns_caller_arn.as_str()).filter(|a| !a.is_empty());
    let arn_field = format!("{field}.SnsCallerArn");
    v.required(&arn_field, arn)
        .len(&arn_field, arn, 20, 2048)
        .pattern(&arn_field, arn, &patterns::ARN)
        .len(
            &format!("{field}.ExternalId"),
            c.external_id.as_deref(),
            0,
            131_072,
        )
        .len(
            &format!("{field}.SnsRegion"),
            c.sns_region.as_deref(),
            5,
            32,
        );
}

/// The answer of GetUserPoolMfaConfig and SetUserPoolMfaConfig: only configured factors appear.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MfaConfigView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
    pub mfa_configuration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<WebAuthnConfiguration>,
}

/// Input of every action that names only a resource by ARN (ListTagsForResource).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceArnInput {
    pub resource_arn: Option<String>,
}

impl ResourceArnInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        resource_arn(&mut v, self.resource_arn.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourceInput {
    pub resource_arn: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
}

impl TagResourceInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        resource_arn(&mut v, self.resource_arn.as_deref());
        v.required("Tags", self.tags.as_ref());
        if let Some(tags) = &self.tags {
            tag_map(&mut v, "Tags", tags);
        }
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourceInput {
    pub resource_arn: Option<String>,
    pub tag_keys: Option<Vec<String>>,
}

impl UntagResourceInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        resource_arn(&mut v, self.resource_arn.as_deref());
        v.required("TagKeys", self.tag_keys.as_ref()).members(
            "TagKeys",
            self.tag_keys.as_deref(),
            1,
            128,
            None,
        );
        v.finish()
    }
}

fn resource_arn(v: &mut Validator, arn: Option<&str>) {
    v.required("ResourceArn", arn)
        .len("ResourceArn", arn, 20, 2048)
        .pattern("ResourceArn", arn, &patterns::ARN);
}

/// Tag keys are 1–128 characters and values 0–256, reported for the map as AWS does.
pub(crate) fn tag_map(v: &mut Validator, field: &str, tags: &BTreeMap<String, String>) {
    let shown = || {
        let entries: Vec<String> = tags.iter().map(|(k, val)| format!("{k}={val}")).collect();
        format!("{{{}}}", entries.join(", "))
    };
    let mut keys: Vec<&str> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    let note = |list: &mut Vec<&str>, constraint: &'static str| {
        if !list.contains(&constraint) {
            list.push(constraint);
        }
    };
    for (key, value) in tags {
        let n = key.chars().count();
        if n < 1 {
            note(
                &mut keys,
                "Member must have length greater than or equal to 1",
            );
        }
        if n > 128 {
            note(
                &mut keys,
                "Member must have length less than or equal to 128",
            );
        }
        if value.chars().count() > 256 {
            note(
                &mut values,
                "Member must have length less than or equal to 256",
            );
        }
    }
    if !keys.is_empty() {
        v.violation(
            field,
            Some(&shown()),
            &format!("Map keys must satisfy constraint: [{}]", keys.join(", ")),
        );
    }
    if !values.is_empty() {
        v.violation(
            field,
            Some(&shown()),
            &format!("Map value must satisfy constraint: [{}]", values.join(", ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_attribute_members_are_named_like_aws() {
        let input = AddCustomAttributesInput {
            user_pool_id: Some("us-east-1_abc".into()),
            custom_attributes: Some(vec![SchemaAttribute {
                name: Some("x".repeat(21)),
                ..Default::default()
            }]),
        };
        let text = input.validate().unwrap_err().to_string();
        assert!(
            text.contains("at 'customAttributes.1.member.name'"),
            "{text}"
        );
    }

    #[test]
    fn long_tag_keys_are_refused() {
        let input = TagResourceInput {
            resource_arn: Some(
                "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc".into(),
            ),
            tags: Some(BTreeMap::from([("k".repeat(129), "v".into())])),
        };
        let text = input.validate().unwrap_err().to_string();
        assert!(
            text.contains("Map keys must satisfy constraint: [Member must have length less than or equal to 128]"),
            "{text}"
        );
    }
}
