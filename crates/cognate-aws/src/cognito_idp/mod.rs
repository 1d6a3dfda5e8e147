//! The Cognito user pools API (`AWSCognitoIdentityProviderService.*`): which actions need IAM,
//! and the dispatch of each action to its area's handler. Handlers decode the input, call the
//! engine, and shape the output; they decide nothing.

mod auth;
mod clients;
mod devices;
mod domains;
mod groups;
mod pool_extras;
mod pools;
mod recovery;
mod self_service;
mod signup;
mod users;

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use crate::error::AwsError;

pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
pub const SIGNING_SERVICE: &str = "cognito-idp";

/// Actions that AWS serves without IAM authorisation: they carry a client id, a session or an
/// access token instead.
const PUBLIC_ACTIONS: &[&str] = &[
    "AssociateSoftwareToken",
    "ChangePassword",
    "CompleteWebAuthnRegistration",
    "ConfirmDevice",
    "ConfirmForgotPassword",
    "ConfirmSignUp",
    "DeleteUser",
    "DeleteUserAttributes",
    "DeleteWebAuthnCredential",
    "ForgetDevice",
    "ForgotPassword",
    "GetDevice",
    "GetTokensFromRefreshToken",
    "GetUser",
    "GetUserAttributeVerificationCode",
    "GetUserAuthFactors",
    "GlobalSignOut",
    "InitiateAuth",
    "ListDevices",
    "ListWebAuthnCredentials",
    "ResendConfirmationCode",
    "RespondToAuthChallenge",
    "RevokeToken",
    "SetUserMFAPreference",
    "SetUserSettings",
    "SignUp",
    "StartWebAuthnRegistration",
    "UpdateAuthEventFeedback",
    "UpdateDeviceStatus",
    "UpdateUserAttributes",
    "VerifySoftwareToken",
    "VerifyUserAttribute",
];

pub fn needs_iam(action: &str) -> bool {
    !PUBLIC_ACTIONS.contains(&action)
}

/// Runs one action. `None` when no area knows the action.
pub async fn dispatch(
    svc: &Service,
    ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    if let Some(r) = pools::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = pool_extras::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = clients::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = domains::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = users::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = groups::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = signup::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = auth::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = recovery::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    if let Some(r) = devices::dispatch(svc, ctx, action, body).await {
        return Some(r);
    }
    self_service::dispatch(svc, ctx, action, body).await
}

/// Turns an output into the JSON answer.
pub(crate) fn to_json<T: serde::Serialize>(output: &T) -> Result<Value, AwsError> {
    serde_json::to_value(output).map_err(|e| {
        tracing::error!(error = %e, "could not encode an output");
        AwsError::internal()
    })
}
