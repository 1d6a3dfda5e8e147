//! Group actions: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
//! AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup;
//! and `GroupType`, the shape of a group in answers.

use serde::{Deserialize, Serialize};

use super::pools::pool_id;
use super::users::username;
use super::validate::{patterns, Validator};
use crate::model::Group;
use crate::Result;

fn group_name(v: &mut Validator, value: Option<&str>) {
    v.required("GroupName", value)
        .len("GroupName", value, 1, 128)
        .pattern("GroupName", value, &patterns::GROUP_NAME);
}

fn limit_and_token(v: &mut Validator, limit: Option<i64>, token: Option<&str>) {
    v.range("Limit", limit, 0, 60)
        .len("NextToken", token, 1, 131_072)
        .pattern("NextToken", token, &patterns::PAGINATION_KEY);
}

/// The settable members of CreateGroup and UpdateGroup.
fn group_settings(
    v: &mut Validator,
    description: Option<&str>,
    role_arn: Option<&str>,
    precedence: Option<i64>,
) {
    v.len("Description", description, 0, 2048)
        .len("RoleArn", role_arn, 20, 2048)
        .pattern("RoleArn", role_arn, &patterns::ARN)
        .range("Precedence", precedence, 0, i64::MAX);
}

/// Input of CreateGroup and UpdateGroup (UpdateGroup changes only the members it carries).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupInput {
    pub user_pool_id: Option<String>,
    pub group_name: Option<String>,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
}

impl GroupInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        group_name(&mut v, self.group_name.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        group_settings(
            &mut v,
            self.description.as_deref(),
            self.role_arn.as_deref(),
            self.precedence,
        );
        v.finish()
    }
}

/// Input of GetGroup and DeleteGroup.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupNameInput {
    pub user_pool_id: Option<String>,
    pub group_name: Option<String>,
}

impl GroupNameInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        group_name(&mut v, self.group_name.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListGroupsInput {
    pub user_pool_id: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

impl ListGroupsInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        limit_and_token(&mut v, self.limit, self.next_token.as_deref());
        v.finish()
    }
}

/// Input of AdminAddUserToGroup and AdminRemoveUserFromGroup.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MembershipInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub group_name: Option<String>,
}

impl MembershipInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        username(&mut v, self.username.as_deref());
        group_name(&mut v, self.group_name.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminListGroupsForUserInput {
    pub user_pool_id: Option<String>,
    pub username: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

impl AdminListGroupsForUserInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        username(&mut v, self.username.as_deref());
        pool_id(&mut v, self.user_pool_id.as_deref());
        limit_and_token(&mut v, self.limit, self.next_token.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInGroupInput {
    pub user_pool_id: Option<String>,
    pub group_name: Option<String>,
    pub limit: Option<i64>,
    pub next_token: Option<String>,
}

impl ListUsersInGroupInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        group_name(&mut v, self.group_name.as_deref());
        limit_and_token(&mut v, self.limit, self.next_token.as_deref());
        v.finish()
    }
}

/// `GroupType`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GroupView {
    pub group_name: String,
    pub user_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precedence: Option<i64>,
    pub last_modified_date: f64,
    pub creation_date: f64,
}

impl From<&Group> for GroupView {
    fn from(g: &Group) -> Self {
        GroupView {
            group_name: g.name.clone(),
            user_pool_id: g.pool_id.clone(),
            description: g.description.clone(),
            role_arn: g.role_arn.clone(),
            precedence: g.precedence,
            last_modified_date: super::date(g.modified_ms),
            creation_date: super::date(g.created_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_constraints_follow_the_model() {
        let input = GroupInput {
            user_pool_id: Some("us-east-1_abc".into()),
            group_name: Some("admins".into()),
            role_arn: Some("not-an-arn-but-long-enough".into()),
            precedence: Some(-1),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.starts_with("2 validation errors detected"), "{err}");
        assert!(err.contains("'roleArn'"), "{err}");
        assert!(err.contains("Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0"), "{err}");
    }
}
