//! User actions: AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AdminEnableUser, AdminDisableUser, AdminSetUserPassword,
//! AdminResetUserPassword, ListUsers; and `UserType`, the shape of a user in answers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::pools::pool_id;
use super::validate::{patterns, Validator};
use crate::model::{Attribute, User};
use crate::Result;

pub mod user_patterns {
    //! Patterns of the user actions that the shared list does not have.
    // `AttributeNameType` allows tabs, newlines and spaces, unlike the schema's attribute names.
    crate::pattern!(ATTRIBUTE_NAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+");
}

/// `PasswordType`: the model's pattern is `[\S]+`; AWS reads it as "starts and ends with a
/// non-blank character" (a space inside a password is allowed), so that is what it matches.
pub static PASSWORD: super::validate::Pattern =
    super::validate::Pattern::new(r"[\S]+", || regex::Regex::new(r"^\S(?:[\s\S]*\S)?$").ok());

/// `AttributeType` as requests carry it: `Value` may be absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: Option<String>,
    pub value: Option<String>,
}

impl AttributeType {
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}

/// Checks a list of `AttributeType`s: names 1–32 characters of the model's pattern, values at
/// most 2048 characters.
pub(crate) fn attribute_list(v: &mut Validator, field: &str, list: Option<&[AttributeType]>) {
    for (i, a) in list.unwrap_or(&[]).iter().enumerate() {
        let name = format!("{field}.{}.member.name", i + 1);
        v.required(&name, a.name.as_ref())
            .len(&name, a.name.as_deref(), 1, 32)
            .pattern(&name, a.name.as_deref(), &user_patterns::ATTRIBUTE_NAME)
            .len(
                &format!("{field}.{}.member.value", i + 1),
                a.value.as_deref(),
                0,
                2048,
            );
    }
}

pub(crate) fn username(v: &mut Validator, value: Option<&str>) {
    v.required("Username", value)
        .len("Username", value, 1, 128)
        .pattern("Username", value, &patterns::USERNAME);
}

fn password(v: &mut Validator, field: &str, value: Option<&str>) {
    v.len(field, value, 0, 256).pattern(field, value, &PASSWORD);
}

/// Input of the actions that name a pool and a user and nothing else.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    /// AdminResetUserPassword carries it; the engine has no triggers to pass it to yet.
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl UserInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.finish()
    }

    pub fn pool_id(&self) -> &str {
        self.user_pool_id.as_deref().unwrap_or_default()
    }

    pub fn username(&self) -> &str {
        self.username.as_deref().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub user_attributes: Option<Vec<AttributeType>>,
    pub validation_data: Option<Vec<AttributeType>>,
    pub temporary_password: Option<String>,
    pub force_alias_creation: Option<bool>,
    pub message_action: Option<String>,
    pub desired_delivery_mediums: Option<Vec<String>>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl AdminCreateUserInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        attribute_list(&mut v, "UserAttributes", self.user_attributes.as_deref());
        attribute_list(&mut v, "ValidationData", self.validation_data.as_deref());
        password(
            &mut v,
            "TemporaryPassword",
            self.temporary_password.as_deref(),
        );
        v.one_of(
            "MessageAction",
            self.message_action.as_deref(),
            &["RESEND", "SUPPRESS"],
        )
        .members_one_of(
            "DesiredDeliveryMediums",
            self.desired_delivery_mediums.as_deref(),
            &["SMS", "EMAIL"],
        );
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub user_attributes: Option<Vec<AttributeType>>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl AdminUpdateUserAttributesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.required("UserAttributes", self.user_attributes.as_ref());
        attribute_list(&mut v, "UserAttributes", self.user_attributes.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteUserAttributesInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub user_attribute_names: Option<Vec<String>>,
}

impl AdminDeleteUserAttributesInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.required("UserAttributeNames", self.user_attribute_names.as_ref())
            .members(
                "UserAttributeNames",
                self.user_attribute_names.as_deref(),
                1,
                32,
                Some(&user_patterns::ATTRIBUTE_NAME),
            );
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub permanent: Option<bool>,
}

impl AdminSetUserPasswordInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        v.required("Password", self.password.as_ref());
        password(&mut v, "Password", self.password.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInput {
    pub user_pool_id: Option<String>,
    pub attributes_to_get: Option<Vec<String>>,
    pub limit: Option<i64>,
    pub pagination_token: Option<String>,
    pub filter: Option<String>,
}

impl ListUsersInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.members(
            "AttributesToGet",
            self.attributes_to_get.as_deref(),
            1,
            32,
            Some(&user_patterns::ATTRIBUTE_NAME),
        )
        .range("Limit", self.limit, 0, 60)
        .len(
            "PaginationToken",
            self.pagination_token.as_deref(),
            1,
            usize::MAX,
        )
        .pattern(
            "PaginationToken",
            self.pagination_token.as_deref(),
            &patterns::SEARCH_PAGINATION_TOKEN,
        )
        .len("Filter", self.filter.as_deref(), 0, 256);
        v.finish()
    }
}

/// `UserType`: a user as AdminCreateUser, ListUsers and ListUsersInGroup return it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserView {
    pub username: String,
    pub attributes: Vec<Attribute>,
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: &'static str,
}

impl UserView {
    pub fn new(user: &User) -> Self {
        UserView {
            username: user.username.clone(),
            attributes: user.attributes_with_sub(),
            user_create_date: super::date(user.created_ms),
            user_last_modified_date: super::date(user.modified_ms),
            enabled: user.enabled,
            user_status: user.status.as_str(),
        }
    }

    /// Keeps only the named attributes (ListUsers' `AttributesToGet`), in the user's order.
    pub fn only(mut self, names: Option<&[String]>) -> Self {
        if let Some(names) = names {
            self.attributes.retain(|a| names.contains(&a.name));
        }
        self
    }
}

/// AdminGetUser's answer. MFA members are absent until the user has MFA settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserOutput {
    pub username: String,
    pub user_attributes: Vec<Attribute>,
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: &'static str,
}

impl AdminGetUserOutput {
    pub fn new(user: &User) -> Self {
        let view = UserView::new(user);
        AdminGetUserOutput {
            username: view.username,
            user_attributes: view.attributes,
            user_create_date: view.user_create_date,
            user_last_modified_date: view.user_last_modified_date,
            enabled: view.enabled,
            user_status: view.user_status,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_may_hold_inner_spaces_but_not_outer_ones() {
        assert!(PASSWORD.matches("Correct Horse 1!"));
        assert!(PASSWORD.matches("x"));
        assert!(!PASSWORD.matches(" leading"));
        assert!(!PASSWORD.matches("trailing "));
        assert!(!PASSWORD.matches(""));
    }

    #[test]
    fn attribute_lists_report_member_paths() {
        let input = AdminCreateUserInput {
            user_pool_id: Some("us-east-1_abc".into()),
            username: Some("alice".into()),
            user_attributes: Some(vec![AttributeType {
                name: Some("x".repeat(33)),
                value: Some("v".into()),
            }]),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(
            err.contains("at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 32"),
            "{err}"
        );
    }
}
