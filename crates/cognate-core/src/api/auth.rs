//! Sign-in actions: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
//! AdminRespondToAuthChallenge; and the answer they share (`AuthenticationResultType` or the
//! next challenge).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

use super::clients::client_id;
use super::pools::pool_id;
use super::validate::Validator;
use crate::Result;

/// `AuthFlowType`.
pub const AUTH_FLOWS: &[&str] = &[
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
];

/// `ChallengeNameType`.
pub const CHALLENGE_NAMES: &[&str] = &[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];

/// `SessionType`: 20 to 2048 characters.
pub(crate) fn session(v: &mut Validator, value: Option<&str>) {
    v.len("Session", value, 20, 2048);
}

fn string_map(v: &mut Validator, field: &str, map: Option<&BTreeMap<String, String>>) {
    // The model bounds neither keys nor values of these maps beyond being strings; a key must
    // not be empty.
    if map.is_some_and(|m| m.keys().any(String::is_empty)) {
        v.violation(field, None, "Map keys must not be empty");
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthInput {
    pub auth_flow: Option<String>,
    pub auth_parameters: Option<BTreeMap<String, String>>,
    pub client_metadata: Option<BTreeMap<String, String>>,
    pub client_id: Option<String>,
    pub analytics_metadata: Option<Value>,
    pub user_context_data: Option<Value>,
    pub session: Option<String>,
}

impl InitiateAuthInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        v.required("AuthFlow", self.auth_flow.as_ref()).one_of(
            "AuthFlow",
            self.auth_flow.as_deref(),
            AUTH_FLOWS,
        );
        client_id(&mut v, self.client_id.as_deref());
        string_map(&mut v, "AuthParameters", self.auth_parameters.as_ref());
        string_map(&mut v, "ClientMetadata", self.client_metadata.as_ref());
        session(&mut v, self.session.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthInput {
    pub user_pool_id: Option<String>,
    pub client_id: Option<String>,
    pub auth_flow: Option<String>,
    pub auth_parameters: Option<BTreeMap<String, String>>,
    pub client_metadata: Option<BTreeMap<String, String>>,
    pub analytics_metadata: Option<Value>,
    pub context_data: Option<Value>,
    pub session: Option<String>,
}

impl AdminInitiateAuthInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        client_id(&mut v, self.client_id.as_deref());
        v.required("AuthFlow", self.auth_flow.as_ref()).one_of(
            "AuthFlow",
            self.auth_flow.as_deref(),
            AUTH_FLOWS,
        );
        string_map(&mut v, "AuthParameters", self.auth_parameters.as_ref());
        string_map(&mut v, "ClientMetadata", self.client_metadata.as_ref());
        session(&mut v, self.session.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeInput {
    pub client_id: Option<String>,
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_responses: Option<BTreeMap<String, String>>,
    pub analytics_metadata: Option<Value>,
    pub user_context_data: Option<Value>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl RespondToAuthChallengeInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        client_id(&mut v, self.client_id.as_deref());
        v.required("ChallengeName", self.challenge_name.as_ref())
            .one_of(
                "ChallengeName",
                self.challenge_name.as_deref(),
                CHALLENGE_NAMES,
            );
        session(&mut v, self.session.as_deref());
        string_map(
            &mut v,
            "ChallengeResponses",
            self.challenge_responses.as_ref(),
        );
        string_map(&mut v, "ClientMetadata", self.client_metadata.as_ref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeInput {
    pub user_pool_id: Option<String>,
    pub client_id: Option<String>,
    pub challenge_name: Option<String>,
    pub challenge_responses: Option<BTreeMap<String, String>>,
    pub session: Option<String>,
    pub analytics_metadata: Option<Value>,
    pub context_data: Option<Value>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl AdminRespondToAuthChallengeInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        client_id(&mut v, self.client_id.as_deref());
        v.required("ChallengeName", self.challenge_name.as_ref())
            .one_of(
                "ChallengeName",
                self.challenge_name.as_deref(),
                CHALLENGE_NAMES,
            );
        session(&mut v, self.session.as_deref());
        string_map(
            &mut v,
            "ChallengeResponses",
            self.challenge_responses.as_ref(),
        );
        string_map(&mut v, "ClientMetadata", self.client_metadata.as_ref());
        v.finish()
    }
}

/// GetTokensFromRefreshToken: new ID and access tokens (and, with rotation, a new refresh
/// token) for a refresh token, outside the InitiateAuth flows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenInput {
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub device_key: Option<String>,
    pub client_metadata: Option<BTreeMap<String, String>>,
}

impl GetTokensFromRefreshTokenInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        let token = self.refresh_token.as_deref();
        v.required("RefreshToken", token).pattern(
            "RefreshToken",
            token,
            &super::self_service::TOKEN,
        );
        client_id(&mut v, self.client_id.as_deref());
        let secret = self.client_secret.as_deref();
        v.len("ClientSecret", secret, 1, 64)
            .pattern("ClientSecret", secret, &CLIENT_SECRET);
        let device = self.device_key.as_deref();
        v.len("DeviceKey", device, 1, 55)
            .pattern("DeviceKey", device, &super::devices::DEVICE_KEY);
        string_map(&mut v, "ClientMetadata", self.client_metadata.as_ref());
        v.finish()
    }
}

crate::pattern!(CLIENT_SECRET, r"[\w+]+");

/// GetTokensFromRefreshToken's answer: the tokens alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenOutput {
    pub authentication_result: AuthenticationResult,
}

/// `NewDeviceMetadataType` (remembered devices; filled in by the devices work).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

/// `AuthenticationResultType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    /// Seconds the access token is valid for.
    pub expires_in: i64,
    pub token_type: String,
    /// Absent when the tokens come from a refresh token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

/// What every sign-in step answers: either the next challenge (`ChallengeName`, `Session`,
/// `ChallengeParameters`) or the tokens (`AuthenticationResult`, with empty
/// `ChallengeParameters`, as Cognito sends them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthOutput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub challenge_parameters: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

impl AuthOutput {
    pub fn tokens(result: AuthenticationResult) -> Self {
        AuthOutput {
            challenge_name: None,
            session: None,
            challenge_parameters: BTreeMap::new(),
            authentication_result: Some(result),
        }
    }

    pub fn challenge(name: &str, session: String, parameters: BTreeMap<String, String>) -> Self {
        AuthOutput {
            challenge_name: Some(name.to_string()),
            session: Some(session),
            challenge_parameters: parameters,
            authentication_result: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_and_challenges_are_checked_against_the_model() {
        let input = InitiateAuthInput {
            auth_flow: Some("PASSWORD".into()),
            client_id: Some("abc".into()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(err.contains("at 'authFlow'"), "{err}");
        let input = RespondToAuthChallengeInput {
            client_id: Some("abc".into()),
            challenge_name: Some("NEW_PASSWORD_REQUIRED".into()),
            session: Some("short".into()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert!(
            err.contains("at 'session' failed to satisfy constraint: Member must have length greater than or equal to 20"),
            "{err}"
        );
    }

    #[test]
    fn a_token_answer_has_empty_challenge_parameters() {
        let out = AuthOutput::tokens(AuthenticationResult {
            access_token: "a".into(),
            expires_in: 3600,
            token_type: "Bearer".into(),
            refresh_token: None,
            id_token: "i".into(),
            new_device_metadata: None,
        });
        let json = serde_json::to_value(&out).unwrap();
        assert_eq!(json["ChallengeParameters"], serde_json::json!({}));
        assert!(json.get("ChallengeName").is_none());
        assert!(json["AuthenticationResult"].get("RefreshToken").is_none());
        assert_eq!(json["AuthenticationResult"]["TokenType"], "Bearer");
    }
}
