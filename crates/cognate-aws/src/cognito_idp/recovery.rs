//! ForgotPassword, ConfirmForgotPassword.

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
        "ForgotPassword" => answer(body, |input| svc.forgot_password(input)).await,
        "ConfirmForgotPassword" => answer(body, |input| svc.confirm_forgot_password(input)).await,
        _ => return None,
    })
}
