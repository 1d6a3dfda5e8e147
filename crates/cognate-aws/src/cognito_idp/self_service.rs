//! GetUser, UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUser, ChangePassword, GlobalSignOut, AdminUserGlobalSignOut,
//! RevokeToken.

use cognate_core::api::self_service::{
    AccessTokenInput, ChangePasswordInput, DeleteUserAttributesInput,
    GetUserAttributeVerificationCodeInput, RevokeTokenInput, UpdateUserAttributesInput,
    VerifyUserAttributeInput,
};
use cognate_core::api::users::UserInput;
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
        "GetUser" => get_user(svc, body).await,
        "UpdateUserAttributes" => update_attributes(svc, body).await,
        "DeleteUserAttributes" => delete_attributes(svc, body).await,
        "GetUserAttributeVerificationCode" => verification_code(svc, body).await,
        "VerifyUserAttribute" => verify_attribute(svc, body).await,
        "DeleteUser" => delete_user(svc, body).await,
        "ChangePassword" => change_password(svc, body).await,
        "GlobalSignOut" => global_sign_out(svc, body).await,
        "AdminUserGlobalSignOut" => admin_global_sign_out(svc, body).await,
        "RevokeToken" => revoke_token(svc, body).await,
        _ => return None,
    })
}

async fn get_user(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AccessTokenInput = decode(body)?;
    to_json(&svc.get_user(input).await?)
}

async fn update_attributes(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UpdateUserAttributesInput = decode(body)?;
    let sent = svc.update_user_attributes(input).await?;
    Ok(json!({ "CodeDeliveryDetailsList": to_json(&sent)? }))
}

async fn delete_attributes(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: DeleteUserAttributesInput = decode(body)?;
    svc.delete_user_attributes(input).await?;
    Ok(json!({}))
}

async fn verification_code(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GetUserAttributeVerificationCodeInput = decode(body)?;
    let details = svc.get_user_attribute_verification_code(input).await?;
    Ok(json!({ "CodeDeliveryDetails": to_json(&details)? }))
}

async fn verify_attribute(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: VerifyUserAttributeInput = decode(body)?;
    svc.verify_user_attribute(input).await?;
    Ok(json!({}))
}

async fn delete_user(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AccessTokenInput = decode(body)?;
    svc.delete_user(input).await?;
    Ok(json!({}))
}

async fn change_password(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ChangePasswordInput = decode(body)?;
    svc.change_password(input).await?;
    Ok(json!({}))
}

async fn global_sign_out(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AccessTokenInput = decode(body)?;
    svc.global_sign_out(input).await?;
    Ok(json!({}))
}

async fn admin_global_sign_out(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UserInput = decode(body)?;
    svc.admin_user_global_sign_out(input).await?;
    Ok(json!({}))
}

async fn revoke_token(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: RevokeTokenInput = decode(body)?;
    svc.revoke_token(input).await?;
    Ok(json!({}))
}
