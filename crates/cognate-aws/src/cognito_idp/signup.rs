//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::answer;
use crate::error::AwsError;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "SignUp" => answer(body, |input| svc.sign_up(input)).await,
        "ConfirmSignUp" => answer(body, |input| svc.confirm_sign_up(input)).await,
        "ResendConfirmationCode" => answer(body, |input| svc.resend_confirmation_code(input)).await,
        "AdminConfirmSignUp" => answer(body, |input| svc.admin_confirm_sign_up(input)).await,
        _ => return None,
    })
}
