//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
//! GetTokensFromRefreshToken.

use cognate_core::api::auth::{
    AdminInitiateAuthInput, AdminRespondToAuthChallengeInput, GetTokensFromRefreshTokenInput,
    InitiateAuthInput, RespondToAuthChallengeInput,
};
use cognate_core::{RequestContext, Service};
use serde_json::Value;

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
        "InitiateAuth" => initiate(svc, body).await,
        "AdminInitiateAuth" => admin_initiate(svc, body).await,
        "RespondToAuthChallenge" => respond(svc, body).await,
        "AdminRespondToAuthChallenge" => admin_respond(svc, body).await,
        "GetTokensFromRefreshToken" => tokens_from_refresh(svc, body).await,
        _ => return None,
    })
}

async fn initiate(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: InitiateAuthInput = decode(body)?;
    to_json(&svc.initiate_auth(input).await?)
}

async fn admin_initiate(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminInitiateAuthInput = decode(body)?;
    to_json(&svc.admin_initiate_auth(input).await?)
}

async fn respond(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: RespondToAuthChallengeInput = decode(body)?;
    to_json(&svc.respond_to_auth_challenge(input).await?)
}

async fn admin_respond(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AdminRespondToAuthChallengeInput = decode(body)?;
    to_json(&svc.admin_respond_to_auth_challenge(input).await?)
}

async fn tokens_from_refresh(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: GetTokensFromRefreshTokenInput = decode(body)?;
    to_json(&svc.get_tokens_from_refresh_token(input).await?)
}
