//! The Cognito user pools API (`AWSCognitoIdentityProviderService.*`): which actions need IAM,
//! and the dispatch of each action to its area's handler. Handlers decode the input, call the
//! engine, and shape the output; they decide nothing.
//!
//! Most actions are only that: decode, call, answer the output as it is ([`answer`]), under one
//! member ([`answer_as`]), or as a page ([`answer_page`]); an area's `dispatch` calls these
//! directly, and only an action that does more has a handler of its own.

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

use std::future::Future;

use cognate_core::{RequestContext, Service};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::AwsError;
use crate::json11::decode;

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
pub(crate) fn to_json<T: Serialize>(output: &T) -> Result<Value, AwsError> {
    serde_json::to_value(output).map_err(|e| {
        tracing::error!(error = %e, "could not encode an output");
        AwsError::internal()
    })
}

/// Decodes the input, runs the action, and answers its output as it is; `()`, the output of an
/// action that answers nothing, answers `{}`.
pub(super) async fn answer<I, O, F>(
    body: &[u8],
    action: impl FnOnce(I) -> F,
) -> Result<Value, AwsError>
where
    I: DeserializeOwned,
    O: Serialize,
    F: Future<Output = Result<O, cognate_core::Error>>,
{
    let output = action(decode(body)?).await?;
    // `()` encodes as null (every other output is a struct, which encodes as an object), and
    // an AWS JSON answer is always an object.
    match to_json(&output)? {
        Value::Null => Ok(json!({})),
        value => Ok(value),
    }
}

/// [`answer`], but the output stands under one member: `{ "Group": {...} }`.
pub(super) async fn answer_as<I, O, F>(
    member: &str,
    body: &[u8],
    action: impl FnOnce(I) -> F,
) -> Result<Value, AwsError>
where
    I: DeserializeOwned,
    O: Serialize,
    F: Future<Output = Result<O, cognate_core::Error>>,
{
    let output = action(decode(body)?).await?;
    Ok(json!({ member: to_json(&output)? }))
}

/// [`answer`] for a list action whose output is a page, `(items, next token)`.
pub(super) async fn answer_page<I, T, F>(
    member: &str,
    body: &[u8],
    action: impl FnOnce(I) -> F,
) -> Result<Value, AwsError>
where
    I: DeserializeOwned,
    T: Serialize,
    F: Future<Output = Result<(Vec<T>, Option<String>), cognate_core::Error>>,
{
    let (items, next) = action(decode(body)?).await?;
    page(member, "NextToken", &items, next)
}

/// `{ "<member>": [...], "<token member>": "..." }`, the token only when there is a next page.
pub(super) fn page<T: Serialize>(
    member: &str,
    token_member: &str,
    items: &[T],
    next: Option<String>,
) -> Result<Value, AwsError> {
    let mut out = json!({ member: to_json(&items)? });
    if let Some(token) = next {
        out[token_member] = json!(token);
    }
    Ok(out)
}
