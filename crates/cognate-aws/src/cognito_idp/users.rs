//! AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AdminEnableUser, AdminDisableUser, AdminSetUserPassword,
//! AdminResetUserPassword, ListUsers.

use cognate_core::api::users::ListUsersInput;
use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::{answer, answer_as, page};
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "AdminCreateUser" => answer_as("User", body, |input| svc.admin_create_user(input)).await,
        "AdminGetUser" => answer(body, |input| svc.admin_get_user(input)).await,
        "AdminDeleteUser" => answer(body, |input| svc.admin_delete_user(input)).await,
        "AdminUpdateUserAttributes" => {
            answer(body, |input| svc.admin_update_user_attributes(input)).await
        }
        "AdminDeleteUserAttributes" => {
            answer(body, |input| svc.admin_delete_user_attributes(input)).await
        }
        "AdminEnableUser" => answer(body, |input| svc.admin_enable_user(input)).await,
        "AdminDisableUser" => answer(body, |input| svc.admin_disable_user(input)).await,
        "AdminSetUserPassword" => answer(body, |input| svc.admin_set_user_password(input)).await,
        "AdminResetUserPassword" => {
            answer(body, |input| svc.admin_reset_user_password(input)).await
        }
        "ListUsers" => list(svc, body).await,
        _ => return None,
    })
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListUsersInput = decode(body)?;
    let (users, next) = svc.list_users(input).await?;
    // ListUsers, unlike the other list actions, names its token PaginationToken.
    page("Users", "PaginationToken", &users, next)
}
