//! ForgotPassword, ConfirmForgotPassword.

use cognate_core::api::recovery::{ConfirmForgotPasswordInput, ForgotPasswordInput};
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
        "ForgotPassword" => forgot(svc, body).await,
        "ConfirmForgotPassword" => confirm(svc, body).await,
        _ => return None,
    })
}

async fn forgot(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ForgotPasswordInput = decode(body)?;
    to_json(&svc.forgot_password(input).await?)
}

async fn confirm(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ConfirmForgotPasswordInput = decode(body)?;
    svc.confirm_forgot_password(input).await?;
    Ok(json!({}))
}
