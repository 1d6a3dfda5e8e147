//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.
//!
//! Defaults are Cognito's for a client created through the API
//! (<https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html>):
//! auth flows `ALLOW_REFRESH_TOKEN_AUTH`, `ALLOW_USER_SRP_AUTH`, `ALLOW_CUSTOM_AUTH`; access and
//! ID tokens valid 60 minutes and refresh tokens 30 days; `PreventUserExistenceErrors` `LEGACY`
//! (the developer guide: "When you create a new app client with the Amazon Cognito user pools
//! API, PreventUserExistenceErrors is LEGACY"); token revocation on; 3-minute auth sessions.
//! UpdateUserPoolClient is not a patch: settings the request leaves out return to these
//! defaults, as the API reference warns. The settings are stored normalised (defaults filled,
//! units explicit), so the auth flows read them without restating the defaults.
//!
//! Refresh-token rotation excludes `ALLOW_REFRESH_TOKEN_AUTH`: the developer guide says the two
//! are incompatible and that a rotating client must have the flow turned off
//! (<https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html#using-the-refresh-token-rotation>).
//! So a client with rotation ENABLED that lists the flow is refused, and the flow is neither
//! added to its `ALLOW_` flows nor among its defaults; such a client refreshes with
//! GetTokensFromRefreshToken only.
//!
//! Not here yet: identity providers and resource servers have no store, so
//! `SupportedIdentityProviders` accepts only `COGNITO` and `AllowedOAuthScopes` only the
//! standard scopes.

use super::{page, Service};
use crate::api::clients::{
    ClientIdInput, CreateUserPoolClientInput, ListUserPoolClientsInput, UpdateUserPoolClientInput,
    UserPoolClientDescription, UserPoolClientView,
};
use crate::model::client::{ClientSettings, TokenValidityUnits};
use crate::model::{UserPool, UserPoolClient};
use crate::store::StoreError;
use crate::{ids, Error, Result};

/// Cognito's quota of app clients per user pool.
pub const MAX_CLIENTS_PER_POOL: i64 = 1000;

/// The flows of a client created without `ExplicitAuthFlows`.
pub const DEFAULT_AUTH_FLOWS: &[&str] = &[
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_CUSTOM_AUTH",
];

/// The flow that lets InitiateAuth and AdminInitiateAuth refresh tokens (REFRESH_TOKEN_AUTH).
const REFRESH_TOKEN_FLOW: &str = "ALLOW_REFRESH_TOKEN_AUTH";

/// Flow names from before the `ALLOW_` names; the two kinds cannot be mixed.
const LEGACY_AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
];

/// The scopes every pool has; others belong to resource servers.
pub const STANDARD_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// Attributes no app client may write: Cognito sets them itself.
const UNWRITABLE_ATTRIBUTES: &[&str] = &["sub", "email_verified", "phone_number_verified"];

pub(crate) const ACCESS_ID_RANGE_SECS: (i64, i64) = (5 * 60, 24 * 3600);
const REFRESH_RANGE_SECS: (i64, i64) = (60 * 60, 3650 * 24 * 3600);

#[derive(Clone, Copy)]
enum Op {
    Create,
    Update,
}

impl Op {
    fn verb(self) -> &'static str {
        match self {
            Op::Create => "creating",
            Op::Update => "updating",
        }
    }
}

/// How long a client's tokens live, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetimes {
    pub access_secs: i64,
    pub id_secs: i64,
    pub refresh_secs: i64,
}

/// Whether the client rotates refresh tokens (`RefreshTokenRotation.Feature` `ENABLED`).
pub(crate) fn rotates_refresh_tokens(s: &ClientSettings) -> bool {
    s.refresh_token_rotation
        .as_ref()
        .is_some_and(|r| r.feature == "ENABLED")
}

/// A validity in its unit, in seconds; `None` for a unit Cognito does not have.
pub fn validity_seconds(value: i64, unit: &str) -> Option<i64> {
    let per_unit = match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        "days" => 86_400,
        _ => return None,
    };
    value.checked_mul(per_unit)
}

/// The token lifetimes of a stored (normalised) client. Settings that somehow lack a value fall
/// back to Cognito's defaults.
pub fn token_lifetimes(s: &ClientSettings) -> TokenLifetimes {
    let units = s.token_validity_units.clone().unwrap_or_default();
    let secs = |value: Option<i64>, unit: Option<&str>, default: i64| {
        value
            .zip(unit)
            .and_then(|(v, u)| validity_seconds(v, u))
            .unwrap_or(default)
    };
    TokenLifetimes {
        access_secs: secs(s.access_token_validity, units.access_token.as_deref(), 3600),
        id_secs: secs(s.id_token_validity, units.id_token.as_deref(), 3600),
        refresh_secs: secs(
            s.refresh_token_validity,
            units.refresh_token.as_deref(),
            30 * 86_400,
        ),
    }
}

impl Service {
    pub async fn create_user_pool_client(
        &self,
        input: CreateUserPoolClientInput,
    ) -> Result<UserPoolClientView> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        if self.store.count_clients(&pool.id).await? >= MAX_CLIENTS_PER_POOL {
            return Err(Error::LimitExceeded(format!(
                "The user pool {} has reached its limit of {MAX_CLIENTS_PER_POOL} app clients.",
                pool.id
            )));
        }
        let secret = match (input.generate_secret, input.client_secret) {
            (Some(false), Some(_)) => {
                return Err(Error::invalid(
                    "ClientSecret can be set only when GenerateSecret is true.",
                ))
            }
            (_, Some(given)) => Some(given),
            (Some(true), None) => Some(self.with_rng(ids::new_client_secret)),
            (_, None) => None,
        };
        let settings = normalize(&pool, input.settings, secret.is_some(), Op::Create)?;
        let now = self.now();
        let mut client = UserPoolClient {
            pool_id: pool.id.clone(),
            client_id: String::new(),
            name: input.client_name.unwrap_or_default(),
            secret,
            created_ms: now,
            modified_ms: now,
            settings,
        };
        // 26 random characters colliding is all but impossible; retry rather than fail.
        for _ in 0..3 {
            client.client_id = self.with_rng(ids::new_client_id);
            match self.store.insert_client(&client).await {
                Ok(()) => return Ok(UserPoolClientView::from(&client)),
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::internal("app client id collision"))
    }

    pub async fn describe_user_pool_client(
        &self,
        input: ClientIdInput,
    ) -> Result<UserPoolClientView> {
        input.validate()?;
        let client = self.client(&input).await?;
        Ok(UserPoolClientView::from(&client))
    }

    pub async fn update_user_pool_client(
        &self,
        input: UpdateUserPoolClientInput,
    ) -> Result<UserPoolClientView> {
        input.validate()?;
        let ids = ClientIdInput {
            user_pool_id: input.user_pool_id.clone(),
            client_id: input.client_id.clone(),
        };
        let pool = self
            .pool(ids.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let mut client = self.client(&ids).await?;
        client.settings = normalize(&pool, input.settings, client.secret.is_some(), Op::Update)?;
        if let Some(name) = input.client_name {
            client.name = name;
        }
        client.modified_ms = self.now();
        let saved = self.store.update_client(&client).await;
        self.config_cache.forget_client(&client.client_id);
        saved.map_err(|e| match e {
            StoreError::NotFound => Error::client_not_found(&client.client_id),
            other => other.into(),
        })?;
        Ok(UserPoolClientView::from(&client))
    }

    pub async fn delete_user_pool_client(&self, input: ClientIdInput) -> Result<()> {
        input.validate()?;
        let pool_id = input.user_pool_id.as_deref().unwrap_or_default();
        let client_id = input.client_id.as_deref().unwrap_or_default();
        self.pool(pool_id).await?;
        let deleted = self.store.delete_client(pool_id, client_id).await;
        self.config_cache.forget_client(client_id);
        if !deleted? {
            return Err(Error::client_not_found(client_id));
        }
        Ok(())
    }

    pub async fn list_user_pool_clients(
        &self,
        input: ListUserPoolClientsInput,
    ) -> Result<(Vec<UserPoolClientDescription>, Option<String>)> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = input.max_results.unwrap_or(60).clamp(1, 60) as usize;
        let after = page::decode(input.next_token.as_deref())?;
        let rows = self
            .store
            .list_clients(&pool.id, after.as_deref(), limit as u32 + 1)
            .await?;
        let (rows, next) = page::split(rows, limit, |c| c.client_id.clone());
        Ok((
            rows.iter().map(UserPoolClientDescription::from).collect(),
            next,
        ))
    }

    /// The client named by a request, in a pool that exists.
    async fn client(&self, input: &ClientIdInput) -> Result<UserPoolClient> {
        let pool_id = input.user_pool_id.as_deref().unwrap_or_default();
        let client_id = input.client_id.as_deref().unwrap_or_default();
        self.pool(pool_id).await?;
        self.store
            .get_client(pool_id, client_id)
            .await?
            .ok_or_else(|| Error::client_not_found(client_id))
    }
}

/// Applies Cognito's rules between settings and fills its defaults.
fn normalize(
    pool: &UserPool,
    mut s: ClientSettings,
    has_secret: bool,
    op: Op,
) -> Result<ClientSettings> {
    let rotating = rotates_refresh_tokens(&s);
    s.explicit_auth_flows = Some(auth_flows(pool, s.explicit_auth_flows.take(), rotating)?);
    token_validity(&mut s)?;
    s.read_attributes = attributes(pool, s.read_attributes.take(), false, op)?;
    s.write_attributes = attributes(pool, s.write_attributes.take(), true, op)?;
    s.supported_identity_providers = non_empty(s.supported_identity_providers.take());
    for provider in s.supported_identity_providers.iter().flatten() {
        if provider != "COGNITO" {
            return Err(Error::invalid(format!(
                "The provider {provider} does not exist for User Pool {}",
                pool.id
            )));
        }
    }
    redirect_urls(&mut s)?;
    oauth(&mut s, has_secret)?;
    if let Some(a) = &s.analytics_configuration {
        let by_arn = a.application_arn.is_some();
        let by_id = a.application_id.is_some() && a.role_arn.is_some() && a.external_id.is_some();
        if !by_arn && !by_id {
            return Err(Error::invalid(
                "Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid",
            ));
        }
    }
    s.prevent_user_existence_errors
        .get_or_insert_with(|| "LEGACY".into());
    s.enable_token_revocation.get_or_insert(true);
    s.enable_propagate_additional_user_context_data
        .get_or_insert(false);
    s.auth_session_validity.get_or_insert(3);
    s.allowed_oauth_flows_user_pool_client.get_or_insert(false);
    Ok(s)
}

fn non_empty(list: Option<Vec<String>>) -> Option<Vec<String>> {
    list.map(dedup).filter(|l| !l.is_empty())
}

/// Drops repeated entries, keeping the first of each.
fn dedup(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for item in list {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The client's flows: the defaults when none are given (without refresh-token sign-in on a
/// rotating client), else the given ones checked against each other, the pool's tier and
/// rotation.
fn auth_flows(pool: &UserPool, flows: Option<Vec<String>>, rotating: bool) -> Result<Vec<String>> {
    let Some(mut flows) = non_empty(flows) else {
        return Ok(DEFAULT_AUTH_FLOWS
            .iter()
            .filter(|f| !(rotating && **f == REFRESH_TOKEN_FLOW))
            .map(|f| f.to_string())
            .collect());
    };
    let legacy = flows
        .iter()
        .any(|f| LEGACY_AUTH_FLOWS.contains(&f.as_str()));
    let allow = flows.iter().any(|f| f.starts_with("ALLOW_"));
    if legacy && allow {
        return Err(Error::invalid(
            "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.",
        ));
    }
    if flows.iter().any(|f| f == "ALLOW_USER_AUTH")
        && pool.settings.user_pool_tier.as_deref() == Some("LITE")
    {
        return Err(Error::FeatureUnavailableInTier(
            "The following feature is not available for the LITE pricing tier configured: ALLOW_USER_AUTH"
                .into(),
        ));
    }
    let refreshes = flows.iter().any(|f| f == REFRESH_TOKEN_FLOW);
    if rotating && refreshes {
        return Err(Error::invalid(
            "ALLOW_REFRESH_TOKEN_AUTH can not be enabled when refresh token rotation is enabled.",
        ));
    }
    // Cognito keeps refresh-token sign-in on for every client that uses the ALLOW_ names and
    // does not rotate refresh tokens.
    if allow && !rotating && !refreshes {
        flows.push(REFRESH_TOKEN_FLOW.into());
    }
    Ok(flows)
}

/// Resolves each validity with its unit and checks the ranges Cognito allows: access and ID
/// tokens 5 minutes to 1 day, refresh tokens 60 minutes to 10 years
/// (<https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html>).
/// A value given without a unit is in the documented default unit (hours; days for refresh
/// tokens); an absent value is the default 60 minutes (30 days) — or 60 of the unit given, which
/// is how Cognito reads a unit without a value.
fn token_validity(s: &mut ClientSettings) -> Result<()> {
    let units = s.token_validity_units.take().unwrap_or_default();
    let (access, access_unit) = resolve(
        s.access_token_validity,
        units.access_token,
        60,
        "hours",
        "minutes",
        ACCESS_ID_RANGE_SECS,
    )?;
    let (id, id_unit) = resolve(
        s.id_token_validity,
        units.id_token,
        60,
        "hours",
        "minutes",
        ACCESS_ID_RANGE_SECS,
    )?;
    let (refresh, refresh_unit) = resolve(
        // 0 is the model's minimum and means "the default", as it always has in Cognito.
        s.refresh_token_validity.filter(|v| *v != 0),
        units.refresh_token,
        30,
        "days",
        "days",
        REFRESH_RANGE_SECS,
    )?;
    s.access_token_validity = Some(access);
    s.id_token_validity = Some(id);
    s.refresh_token_validity = Some(refresh);
    s.token_validity_units = Some(TokenValidityUnits {
        access_token: Some(access_unit),
        id_token: Some(id_unit),
        refresh_token: Some(refresh_unit),
    });
    Ok(())
}

fn resolve(
    value: Option<i64>,
    unit: Option<String>,
    default_value: i64,
    unit_with_value: &str,
    unit_without_value: &str,
    (min, max): (i64, i64),
) -> Result<(i64, String)> {
    let (value, default_unit) = match value {
        Some(v) => (v, unit_with_value),
        None => (default_value, unit_without_value),
    };
    let unit = unit.unwrap_or_else(|| default_unit.to_string());
    match validity_seconds(value, &unit) {
        Some(secs) if (min..=max).contains(&secs) => Ok((value, unit)),
        _ => Err(Error::invalid("Invalid range for token validity.")),
    }
}

/// Read and write permissions must name attributes of the pool's schema; nobody writes `sub`,
/// the `*_verified` flags or developer-only attributes.
fn attributes(
    pool: &UserPool,
    list: Option<Vec<String>>,
    write: bool,
    op: Op,
) -> Result<Option<Vec<String>>> {
    let Some(list) = non_empty(list) else {
        return Ok(None);
    };
    for name in &list {
        let in_schema = pool.schema().iter().any(|a| a.name() == name);
        let allowed = in_schema
            && (!write
                || (!UNWRITABLE_ATTRIBUTES.contains(&name.as_str()) && !name.starts_with("dev:")));
        if !allowed {
            return Err(Error::invalid(format!(
                "Invalid {} attributes specified while {} a client",
                if write { "write" } else { "read" },
                op.verb()
            )));
        }
    }
    Ok(Some(list))
}

/// Redirect URIs must be absolute, without a fragment, and HTTPS unless they point at the local
/// machine; app schemes such as `myapp://` are fine.
fn redirect_urls(s: &mut ClientSettings) -> Result<()> {
    s.callback_urls = non_empty(s.callback_urls.take());
    s.logout_urls = non_empty(s.logout_urls.take());
    for url in s
        .callback_urls
        .iter()
        .chain(s.logout_urls.iter())
        .flatten()
        .chain(s.default_redirect_uri.iter())
    {
        check_redirect_url(url)?;
    }
    if let Some(default) = &s.default_redirect_uri {
        if !s.callback_urls.iter().flatten().any(|u| u == default) {
            return Err(Error::invalid(format!(
                "The default redirect URI {default} is not in the callback URIs list."
            )));
        }
    }
    Ok(())
}

fn check_redirect_url(url: &str) -> Result<()> {
    let absolute = url.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if !absolute || url.contains('#') {
        return Err(Error::invalid(format!(
            "{url} is not a valid redirect URI: it must be absolute and must not include a fragment."
        )));
    }
    let (scheme, rest) = url.split_once(':').unwrap_or_default();
    if scheme.eq_ignore_ascii_case("http") && !is_local(rest) {
        return Err(Error::invalid(format!(
            "{url} cannot use the HTTP protocol."
        )));
    }
    Ok(())
}

/// Whether the authority of `//host...` is this machine.
fn is_local(rest: &str) -> bool {
    let Some(authority) = rest.strip_prefix("//") else {
        return false;
    };
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

/// The rules between the OAuth settings
/// (<https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html>).
fn oauth(s: &mut ClientSettings, has_secret: bool) -> Result<()> {
    s.allowed_oauth_flows = non_empty(s.allowed_oauth_flows.take());
    s.allowed_oauth_scopes = non_empty(s.allowed_oauth_scopes.take());
    let enabled = s.allowed_oauth_flows_user_pool_client == Some(true);
    let flows = s.allowed_oauth_flows.as_deref().unwrap_or(&[]);
    let has = |flow: &str| flows.iter().any(|f| f == flow);
    let redirecting = has("code") || has("implicit");
    if enabled && (s.allowed_oauth_flows.is_none() || s.allowed_oauth_scopes.is_none()) {
        return Err(Error::invalid(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
        ));
    }
    if has("client_credentials") && redirecting {
        return Err(Error::InvalidOAuthFlow(
            "client_credentials flow can not be selected along with code flow or implicit flow."
                .into(),
        ));
    }
    if has("client_credentials") && !has_secret {
        return Err(Error::InvalidOAuthFlow(
            "client_credentials flow can not be selected if client does not have a client secret."
                .into(),
        ));
    }
    if enabled && redirecting && s.callback_urls.is_none() {
        return Err(Error::InvalidOAuthFlow(
            "CallbackUrls can not be empty when code flow or implicit flow is selected".into(),
        ));
    }
    for scope in s.allowed_oauth_scopes.iter().flatten() {
        if !STANDARD_SCOPES.contains(&scope.as_str()) {
            return Err(Error::ScopeDoesNotExist(format!(
                "Invalid scope requested: {scope}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::client::RefreshTokenRotation;

    #[test]
    fn validity_units_convert_to_seconds() {
        assert_eq!(validity_seconds(60, "minutes"), Some(3600));
        assert_eq!(validity_seconds(1, "days"), Some(86_400));
        assert_eq!(validity_seconds(1, "weeks"), None);
        assert_eq!(validity_seconds(i64::MAX, "days"), None);
    }

    #[test]
    fn a_unit_without_a_value_applies_to_the_default_value() {
        // 60 hours is more than a day.
        let mut s = ClientSettings {
            token_validity_units: Some(TokenValidityUnits {
                access_token: Some("hours".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(
            token_validity(&mut s).unwrap_err(),
            Error::invalid("Invalid range for token validity.")
        );
    }

    #[test]
    fn defaults_are_sixty_minutes_and_thirty_days() {
        let mut s = ClientSettings::default();
        token_validity(&mut s).unwrap();
        assert_eq!(
            token_lifetimes(&s),
            TokenLifetimes {
                access_secs: 3600,
                id_secs: 3600,
                refresh_secs: 30 * 86_400
            }
        );
    }

    fn pool() -> UserPool {
        UserPool::for_tests(Default::default())
    }

    fn flows(list: &[&str]) -> Option<Vec<String>> {
        Some(list.iter().map(|f| f.to_string()).collect())
    }

    fn with_rotation(feature: &str, explicit: Option<Vec<String>>) -> ClientSettings {
        ClientSettings {
            explicit_auth_flows: explicit,
            refresh_token_rotation: Some(RefreshTokenRotation {
                feature: feature.into(),
                retry_grace_period_seconds: Some(10),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn only_an_enabled_feature_rotates() {
        assert!(rotates_refresh_tokens(&with_rotation("ENABLED", None)));
        assert!(!rotates_refresh_tokens(&with_rotation("DISABLED", None)));
        assert!(!rotates_refresh_tokens(&ClientSettings::default()));
    }

    #[test]
    fn refresh_token_auth_is_added_only_to_clients_that_do_not_rotate() {
        let p = pool();
        assert_eq!(
            auth_flows(&p, flows(&["ALLOW_USER_SRP_AUTH"]), false).unwrap(),
            flows(&["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]).unwrap()
        );
        assert_eq!(
            auth_flows(&p, flows(&["ALLOW_USER_SRP_AUTH"]), true).unwrap(),
            flows(&["ALLOW_USER_SRP_AUTH"]).unwrap()
        );
        // Legacy names never gained it, rotating or not.
        assert_eq!(
            auth_flows(&p, flows(&["USER_PASSWORD_AUTH"]), true).unwrap(),
            flows(&["USER_PASSWORD_AUTH"]).unwrap()
        );
    }

    #[test]
    fn the_defaults_of_a_rotating_client_leave_out_refresh_token_auth() {
        let p = pool();
        assert_eq!(
            auth_flows(&p, None, false).unwrap(),
            flows(DEFAULT_AUTH_FLOWS).unwrap()
        );
        assert_eq!(
            auth_flows(&p, Some(vec![]), true).unwrap(),
            flows(&["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]).unwrap()
        );
    }

    #[test]
    fn a_rotating_client_may_not_list_refresh_token_auth() {
        let refused = Error::invalid(
            "ALLOW_REFRESH_TOKEN_AUTH can not be enabled when refresh token rotation is enabled.",
        );
        let both = flows(&["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]);
        for op in [Op::Create, Op::Update] {
            assert_eq!(
                normalize(&pool(), with_rotation("ENABLED", both.clone()), false, op).unwrap_err(),
                refused
            );
            let kept = normalize(&pool(), with_rotation("DISABLED", both.clone()), false, op)
                .unwrap()
                .explicit_auth_flows;
            assert_eq!(kept, both);
        }
    }

    #[test]
    fn only_local_hosts_may_use_http() {
        assert!(check_redirect_url("http://localhost:3000/cb").is_ok());
        assert!(check_redirect_url("http://127.0.0.1/cb").is_ok());
        assert!(check_redirect_url("http://[::1]:8080").is_ok());
        assert!(check_redirect_url("https://example.com/cb").is_ok());
        assert!(check_redirect_url("myapp://callback").is_ok());
        assert!(check_redirect_url("http://localhost.evil.com/cb").is_err());
        assert!(check_redirect_url("http://user@example.com/cb").is_err());
        assert!(check_redirect_url("https://example.com/cb#frag").is_err());
        assert!(check_redirect_url("/relative").is_err());
    }
}
