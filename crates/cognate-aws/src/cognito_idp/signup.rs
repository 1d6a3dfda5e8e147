//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use cognate_core::api::signup::{
    AdminConfirmSignUpInput, ConfirmSignUpInput, ResendConfirmationCodeInput, SignUpInput,
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
        "SignUp" => sign_up(svc, body).await,
        "ConfirmSignUp" => confirm(svc, body).await,
        "ResendConfirmationCode" => resend(svc, body).await,
        "AdminConfirmSignUp" => admin_confirm(svc, body).await,
        _ => return None,
    })
}

async fn sign_up(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: SignUpInput = decode(body)?;
    to_json(&svc.sign_up(input).await?)
}

async fn confirm(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ConfirmSignUpInput = decode(body)?;
    svc.confirm_sign_up(input).await?;
    Ok(json!({}))
}

async fn resend(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ResendConfirmationCodeInput = decode(body)?;
    to_json(&svc.resend_confirmation_code(input).await?)
}

async fn admin_confirm(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminConfirmSignUpInput = decode(body)?;
    svc.admin_confirm_sign_up(input).await?;
    Ok(json!({}))
}
