//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

use cognate_core::api::groups::{
    AdminListGroupsForUserInput, GroupInput, GroupNameInput, ListGroupsInput,
    ListUsersInGroupInput, MembershipInput,
};
use cognate_core::{RequestContext, Service};
use serde::Serialize;
use serde_json::{json, Value};

use super::to_json;
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateGroup" => create(svc, body).await,
        "GetGroup" => get(svc, body).await,
        "UpdateGroup" => update(svc, body).await,
        "DeleteGroup" => delete(svc, body).await,
        "ListGroups" => list(svc, body).await,
        "AdminAddUserToGroup" => add_member(svc, body).await,
        "AdminRemoveUserFromGroup" => remove_member(svc, body).await,
        "AdminListGroupsForUser" => groups_for_user(svc, body).await,
        "ListUsersInGroup" => users_in_group(svc, body).await,
        _ => return None,
    })
}

/// `{ "<member>": [...], "NextToken": "..." }`, the token only when there is a next page.
fn page<T: Serialize>(member: &str, items: &[T], next: Option<String>) -> Result<Value, AwsError> {
    let mut out = json!({ member: to_json(&items)? });
    if let Some(token) = next {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}

async fn create(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GroupInput = decode(body)?;
    let group = svc.create_group(input).await?;
    Ok(json!({ "Group": to_json(&group)? }))
}

async fn get(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GroupNameInput = decode(body)?;
    let group = svc.get_group(input).await?;
    Ok(json!({ "Group": to_json(&group)? }))
}

async fn update(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GroupInput = decode(body)?;
    let group = svc.update_group(input).await?;
    Ok(json!({ "Group": to_json(&group)? }))
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GroupNameInput = decode(body)?;
    svc.delete_group(input).await?;
    Ok(json!({}))
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListGroupsInput = decode(body)?;
    let (groups, next) = svc.list_groups(input).await?;
    page("Groups", &groups, next)
}

async fn add_member(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: MembershipInput = decode(body)?;
    svc.admin_add_user_to_group(input).await?;
    Ok(json!({}))
}

async fn remove_member(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: MembershipInput = decode(body)?;
    svc.admin_remove_user_from_group(input).await?;
    Ok(json!({}))
}

async fn groups_for_user(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminListGroupsForUserInput = decode(body)?;
    let (groups, next) = svc.admin_list_groups_for_user(input).await?;
    page("Groups", &groups, next)
}

async fn users_in_group(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListUsersInGroupInput = decode(body)?;
    let (users, next) = svc.list_users_in_group(input).await?;
    page("Users", &users, next)
}
