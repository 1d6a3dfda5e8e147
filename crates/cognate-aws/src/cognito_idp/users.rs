//! AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AdminEnableUser, AdminDisableUser, AdminSetUserPassword,
//! AdminResetUserPassword, ListUsers.

use cognate_core::api::users::{
    AdminCreateUserInput, AdminDeleteUserAttributesInput, AdminSetUserPasswordInput,
    AdminUpdateUserAttributesInput, ListUsersInput, UserInput,
};
use cognate_core::{RequestContext, Service};
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
        "AdminCreateUser" => create(svc, body).await,
        "AdminGetUser" => get(svc, body).await,
        "AdminDeleteUser" => delete(svc, body).await,
        "AdminUpdateUserAttributes" => update_attributes(svc, body).await,
        "AdminDeleteUserAttributes" => delete_attributes(svc, body).await,
        "AdminEnableUser" => enable(svc, body).await,
        "AdminDisableUser" => disable(svc, body).await,
        "AdminSetUserPassword" => set_password(svc, body).await,
        "AdminResetUserPassword" => reset_password(svc, body).await,
        "ListUsers" => list(svc, body).await,
        _ => return None,
    })
}

async fn create(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminCreateUserInput = decode(body)?;
    let user = svc.admin_create_user(input).await?;
    Ok(json!({ "User": to_json(&user)? }))
}

async fn get(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    to_json(&svc.admin_get_user(input).await?)
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    svc.admin_delete_user(input).await?;
    Ok(json!({}))
}

async fn update_attributes(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminUpdateUserAttributesInput = decode(body)?;
    svc.admin_update_user_attributes(input).await?;
    Ok(json!({}))
}

async fn delete_attributes(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminDeleteUserAttributesInput = decode(body)?;
    svc.admin_delete_user_attributes(input).await?;
    Ok(json!({}))
}

async fn enable(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    svc.admin_enable_user(input).await?;
    Ok(json!({}))
}

async fn disable(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    svc.admin_disable_user(input).await?;
    Ok(json!({}))
}

async fn set_password(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminSetUserPasswordInput = decode(body)?;
    svc.admin_set_user_password(input).await?;
    Ok(json!({}))
}

async fn reset_password(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    svc.admin_reset_user_password(input).await?;
    Ok(json!({}))
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListUsersInput = decode(body)?;
    let (users, next) = svc.list_users(input).await?;
    let mut out = json!({ "Users": to_json(&users)? });
    if let Some(token) = next {
        out["PaginationToken"] = json!(token);
    }
    Ok(out)
}
