//! GetUser, UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUser, ChangePassword, GlobalSignOut, AdminUserGlobalSignOut,
//! RevokeToken.

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::{answer, answer_as};
use crate::error::AwsError;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "GetUser" => answer(body, |input| svc.get_user(input)).await,
        "UpdateUserAttributes" => {
            answer_as("CodeDeliveryDetailsList", body, |input| {
                svc.update_user_attributes(input)
            })
            .await
        }
        "DeleteUserAttributes" => answer(body, |input| svc.delete_user_attributes(input)).await,
        "GetUserAttributeVerificationCode" => {
            answer_as("CodeDeliveryDetails", body, |input| {
                svc.get_user_attribute_verification_code(input)
            })
            .await
        }
        "VerifyUserAttribute" => answer(body, |input| svc.verify_user_attribute(input)).await,
        "DeleteUser" => answer(body, |input| svc.delete_user(input)).await,
        "ChangePassword" => answer(body, |input| svc.change_password(input)).await,
        "GlobalSignOut" => answer(body, |input| svc.global_sign_out(input)).await,
        "AdminUserGlobalSignOut" => {
            answer(body, |input| svc.admin_user_global_sign_out(input)).await
        }
        "RevokeToken" => answer(body, |input| svc.revoke_token(input)).await,
        _ => return None,
    })
}
