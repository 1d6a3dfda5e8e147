//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge,
//! GetTokensFromRefreshToken.

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
        "InitiateAuth" => answer(body, |input| svc.initiate_auth(input)).await,
        "AdminInitiateAuth" => answer(body, |input| svc.admin_initiate_auth(input)).await,
        "RespondToAuthChallenge" => {
            answer(body, |input| svc.respond_to_auth_challenge(input)).await
        }
        "AdminRespondToAuthChallenge" => {
            answer(body, |input| svc.admin_respond_to_auth_challenge(input)).await
        }
        "GetTokensFromRefreshToken" => {
            answer(body, |input| svc.get_tokens_from_refresh_token(input)).await
        }
        _ => return None,
    })
}
