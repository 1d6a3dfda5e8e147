//! App client actions: CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient,
//! DeleteUserPoolClient, ListUserPoolClients.
//!
//! The checks here are the API model's wire constraints only; the rules between settings
//! (auth flows, token validities, OAuth) are decided in `service::clients`.

use serde::{Deserialize, Serialize};

use super::pools::pool_id;
use super::validate::{patterns, Validator};
use crate::model::client::ClientSettings;
use crate::model::UserPoolClient;
use crate::Result;

crate::pattern!(PROVIDER_NAME, r"[\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+");
crate::pattern!(CLIENT_SECRET, r"[\w+]+");

/// `ExplicitAuthFlowsType`, in the model's order.
pub const EXPLICIT_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

/// `OAuthFlowType`, in the order AWS lists it in its validation messages.
pub const OAUTH_FLOWS: &[&str] = &["implicit", "client_credentials", "code"];

/// `TimeUnitsType`.
pub const TIME_UNITS: &[&str] = &["seconds", "minutes", "hours", "days"];

#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientInput {
    pub user_pool_id: Option<String>,
    pub client_name: Option<String>,
    pub generate_secret: Option<bool>,
    pub client_secret: Option<String>,
    #[serde(flatten)]
    pub settings: ClientSettings,
}

// The secret stays out of logs.
impl std::fmt::Debug for CreateUserPoolClientInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserPoolClientInput")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_name", &self.client_name)
            .field("generate_secret", &self.generate_secret)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("settings", &self.settings)
            .finish()
    }
}

impl CreateUserPoolClientInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        client_name(&mut v, self.client_name.as_deref(), true);
        // A rejected secret is not echoed back.
        if let Some(secret) = self.client_secret.as_deref() {
            let n = secret.chars().count();
            if n < 24 {
                v.violation(
                    "ClientSecret",
                    Some("***"),
                    "Member must have length greater than or equal to 24",
                );
            } else if n > 64 {
                v.violation(
                    "ClientSecret",
                    Some("***"),
                    "Member must have length less than or equal to 64",
                );
            } else if !CLIENT_SECRET.matches(secret) {
                v.violation(
                    "ClientSecret",
                    Some("***"),
                    &format!(
                        "Member must satisfy regular expression pattern: {}",
                        CLIENT_SECRET.source
                    ),
                );
            }
        }
        validate_settings(&mut v, &self.settings);
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientInput {
    pub user_pool_id: Option<String>,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    #[serde(flatten)]
    pub settings: ClientSettings,
}

impl UpdateUserPoolClientInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        client_id(&mut v, self.client_id.as_deref());
        client_name(&mut v, self.client_name.as_deref(), false);
        validate_settings(&mut v, &self.settings);
        v.finish()
    }
}

/// Input of DescribeUserPoolClient and DeleteUserPoolClient.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientIdInput {
    pub user_pool_id: Option<String>,
    pub client_id: Option<String>,
}

impl ClientIdInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        client_id(&mut v, self.client_id.as_deref());
        v.finish()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsInput {
    pub user_pool_id: Option<String>,
    pub max_results: Option<i64>,
    pub next_token: Option<String>,
}

impl ListUserPoolClientsInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        pool_id(&mut v, self.user_pool_id.as_deref());
        v.range("MaxResults", self.max_results, 1, 60)
            .len("NextToken", self.next_token.as_deref(), 1, 131072)
            .pattern(
                "NextToken",
                self.next_token.as_deref(),
                &patterns::PAGINATION_KEY,
            );
        v.finish()
    }
}

/// `UserPoolClientType`: the client as Create/Describe/UpdateUserPoolClient return it.
#[derive(Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientView {
    pub user_pool_id: String,
    pub client_name: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub last_modified_date: f64,
    pub creation_date: f64,
    #[serde(flatten)]
    pub settings: ClientSettings,
}

impl From<&UserPoolClient> for UserPoolClientView {
    fn from(c: &UserPoolClient) -> Self {
        UserPoolClientView {
            user_pool_id: c.pool_id.clone(),
            client_name: c.name.clone(),
            client_id: c.client_id.clone(),
            client_secret: c.secret.clone(),
            last_modified_date: super::date(c.modified_ms),
            creation_date: super::date(c.created_ms),
            settings: c.settings.clone(),
        }
    }
}

/// `UserPoolClientDescription`, the short form ListUserPoolClients returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientDescription {
    pub client_id: String,
    pub user_pool_id: String,
    pub client_name: String,
}

impl From<&UserPoolClient> for UserPoolClientDescription {
    fn from(c: &UserPoolClient) -> Self {
        UserPoolClientDescription {
            client_id: c.client_id.clone(),
            user_pool_id: c.pool_id.clone(),
            client_name: c.name.clone(),
        }
    }
}

pub fn client_id(v: &mut Validator, id: Option<&str>) {
    v.required("ClientId", id)
        .len("ClientId", id, 1, 128)
        .pattern("ClientId", id, &patterns::CLIENT_ID);
}

fn client_name(v: &mut Validator, name: Option<&str>, required: bool) {
    if required {
        v.required("ClientName", name);
    }
    v.len("ClientName", name, 1, 128)
        .pattern("ClientName", name, &patterns::CLIENT_NAME);
}

fn arn(v: &mut Validator, field: &str, value: Option<&str>) {
    v.len(field, value, 20, 2048)
        .pattern(field, value, &patterns::ARN);
}

/// The wire constraints CreateUserPoolClient and UpdateUserPoolClient share.
fn validate_settings(v: &mut Validator, s: &ClientSettings) {
    v.range(
        "RefreshTokenValidity",
        s.refresh_token_validity,
        0,
        315_360_000,
    )
    .range("AccessTokenValidity", s.access_token_validity, 1, 86_400)
    .range("IdTokenValidity", s.id_token_validity, 1, 86_400);
    if let Some(u) = &s.token_validity_units {
        v.one_of(
            "TokenValidityUnits.AccessToken",
            u.access_token.as_deref(),
            TIME_UNITS,
        )
        .one_of(
            "TokenValidityUnits.IdToken",
            u.id_token.as_deref(),
            TIME_UNITS,
        )
        .one_of(
            "TokenValidityUnits.RefreshToken",
            u.refresh_token.as_deref(),
            TIME_UNITS,
        );
    }
    v.members(
        "ReadAttributes",
        s.read_attributes.as_deref(),
        1,
        2048,
        None,
    )
    .members(
        "WriteAttributes",
        s.write_attributes.as_deref(),
        1,
        2048,
        None,
    )
    .members_one_of(
        "ExplicitAuthFlows",
        s.explicit_auth_flows.as_deref(),
        EXPLICIT_AUTH_FLOWS,
    )
    .members(
        "SupportedIdentityProviders",
        s.supported_identity_providers.as_deref(),
        1,
        32,
        Some(&PROVIDER_NAME),
    )
    .count("CallbackURLs", s.callback_urls.as_deref(), 0, 100)
    .members(
        "CallbackURLs",
        s.callback_urls.as_deref(),
        1,
        1024,
        Some(&patterns::REDIRECT_URL),
    )
    .count("LogoutURLs", s.logout_urls.as_deref(), 0, 100)
    .members(
        "LogoutURLs",
        s.logout_urls.as_deref(),
        1,
        1024,
        Some(&patterns::REDIRECT_URL),
    )
    .len(
        "DefaultRedirectURI",
        s.default_redirect_uri.as_deref(),
        1,
        1024,
    )
    .pattern(
        "DefaultRedirectURI",
        s.default_redirect_uri.as_deref(),
        &patterns::REDIRECT_URL,
    )
    .count("AllowedOAuthFlows", s.allowed_oauth_flows.as_deref(), 0, 3)
    .members_one_of(
        "AllowedOAuthFlows",
        s.allowed_oauth_flows.as_deref(),
        OAUTH_FLOWS,
    )
    .count(
        "AllowedOAuthScopes",
        s.allowed_oauth_scopes.as_deref(),
        0,
        50,
    )
    .members(
        "AllowedOAuthScopes",
        s.allowed_oauth_scopes.as_deref(),
        1,
        256,
        Some(&patterns::SCOPE),
    )
    .one_of(
        "PreventUserExistenceErrors",
        s.prevent_user_existence_errors.as_deref(),
        &["LEGACY", "ENABLED"],
    )
    .range("AuthSessionValidity", s.auth_session_validity, 3, 15);
    if let Some(a) = &s.analytics_configuration {
        v.pattern(
            "AnalyticsConfiguration.ApplicationId",
            a.application_id.as_deref(),
            &patterns::HEX_STRING,
        );
        arn(
            v,
            "AnalyticsConfiguration.ApplicationArn",
            a.application_arn.as_deref(),
        );
        arn(v, "AnalyticsConfiguration.RoleArn", a.role_arn.as_deref());
        v.len(
            "AnalyticsConfiguration.ExternalId",
            a.external_id.as_deref(),
            0,
            131_072,
        );
    }
    if let Some(r) = &s.refresh_token_rotation {
        // The model's `Feature` is required; an absent one deserializes as empty.
        let feature = Some(r.feature.as_str()).filter(|f| !f.is_empty());
        v.required("RefreshTokenRotation.Feature", feature)
            .one_of(
                "RefreshTokenRotation.Feature",
                feature,
                &["ENABLED", "DISABLED"],
            )
            .range(
                "RefreshTokenRotation.RetryGracePeriodSeconds",
                r.retry_grace_period_seconds,
                0,
                MAX_RETRY_GRACE_SECS,
            );
    }
}

/// The longest `RetryGracePeriodSeconds` a client may have.
pub(crate) const MAX_RETRY_GRACE_SECS: i64 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_requires_pool_and_name() {
        let err = CreateUserPoolClientInput::default().validate().unwrap_err();
        assert!(
            err.to_string().starts_with("2 validation errors detected"),
            "{err}"
        );
    }

    #[test]
    fn rejected_secrets_are_not_echoed() {
        let input = CreateUserPoolClientInput {
            user_pool_id: Some("us-east-1_abc".into()),
            client_name: Some("app".into()),
            client_secret: Some("short-secret".into()),
            ..Default::default()
        };
        let text = input.validate().unwrap_err().to_string();
        assert!(!text.contains("short-secret"), "{text}");
        assert!(!format!("{input:?}").contains("short-secret"));
    }
}
