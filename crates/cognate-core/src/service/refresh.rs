//! Refreshing tokens: REFRESH_TOKEN_AUTH in InitiateAuth / AdminInitiateAuth, and
//! GetTokensFromRefreshToken, the only way to refresh on clients with refresh-token rotation.
//! Both redeem the refresh token through the same checks.
//!
//! A rotating client has no `ALLOW_REFRESH_TOKEN_AUTH` (Cognito requires it turned off; see
//! `clients`), so GetTokensFromRefreshToken does not ask for that flow on such a client, and
//! REFRESH_TOKEN_AUTH on it is refused for the rotation, naming the call to use instead. Clients
//! stored before that rule may have both; they behave the same.

use std::collections::BTreeMap;

use cognate_crypto::digest::constant_time_eq;

use super::auth::{
    allows_refresh, device_key_in, disabled, invalid_refresh_token, not_enabled, param,
};
use super::client_auth::check_secret_hash;
use super::clients::rotates_refresh_tokens;
use super::tokens::refresh_token_hash;
use super::Service;
use crate::api::auth::{
    AuthOutput, GetTokensFromRefreshTokenInput, GetTokensFromRefreshTokenOutput,
};
use crate::model::{RefreshTokenRecord, User, UserPool, UserPoolClient};
use crate::{Error, Result};

/// How a caller shows it holds the client secret.
enum SecretProof<'a> {
    /// SECRET_HASH over a username (InitiateAuth's AuthParameters); `username` is the USERNAME
    /// parameter, if the caller named one.
    Hash {
        given: Option<&'a str>,
        username: Option<&'a str>,
    },
    /// The secret itself (GetTokensFromRefreshToken's ClientSecret).
    Secret(Option<&'a str>),
}

/// A client with `RefreshTokenRotation.Feature = ENABLED`, and its retry grace period in ms.
fn rotation(client: &UserPoolClient) -> Option<i64> {
    let settings = &client.settings;
    rotates_refresh_tokens(settings).then(|| {
        settings
            .refresh_token_rotation
            .as_ref()
            .and_then(|r| r.retry_grace_period_seconds)
            .unwrap_or(0)
            .saturating_mul(1000)
    })
}

impl Service {
    /// REFRESH_TOKEN_AUTH: new ID and access tokens in the refresh token's family.
    pub(crate) async fn refresh_sign_in(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        flow: &str,
        params: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        // Before the flow check: a rotating client lacks ALLOW_REFRESH_TOKEN_AUTH, and the
        // caller needs to hear why and what to call instead.
        if rotation(client).is_some() {
            return Err(Error::NotAuthorized(
                "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken".into(),
            ));
        }
        if !allows_refresh(client) {
            return Err(not_enabled(flow));
        }
        let token = param(params, "REFRESH_TOKEN")?;
        let proof = SecretProof::Hash {
            given: params.get("SECRET_HASH").map(String::as_str),
            username: params.get("USERNAME").map(String::as_str),
        };
        let (user, record) = self
            .redeem_refresh_token(pool, client, token, proof, device_key_in(params))
            .await?;
        let tokens = self.refresh_tokens(pool, client, &user, &record).await?;
        Ok(AuthOutput::tokens(tokens))
    }

    /// GetTokensFromRefreshToken: new ID and access tokens; on a client with rotation also a
    /// new refresh token, the old one lasting the client's RetryGracePeriodSeconds.
    pub async fn get_tokens_from_refresh_token(
        &self,
        input: GetTokensFromRefreshTokenInput,
    ) -> Result<GetTokensFromRefreshTokenOutput> {
        input.validate()?;
        let (pool, client) = self
            .app_client(input.client_id.as_deref().unwrap_or_default())
            .await?;
        // A rotating client refreshes only here, without ALLOW_REFRESH_TOKEN_AUTH; other clients
        // are gated as REFRESH_TOKEN_AUTH is.
        if rotation(&client).is_none() && !allows_refresh(&client) {
            return Err(not_enabled("REFRESH_TOKEN_AUTH"));
        }
        let token = input.refresh_token.as_deref().unwrap_or_default();
        let proof = SecretProof::Secret(input.client_secret.as_deref());
        let (user, record) = self
            .redeem_refresh_token(&pool, &client, token, proof, input.device_key.clone())
            .await?;
        let result = if rotation(&client).is_some() {
            self.rotate_tokens(&pool, &client, &user, &record).await?
        } else {
            self.refresh_tokens(&pool, &client, &user, &record).await?
        };
        Ok(GetTokensFromRefreshTokenOutput {
            authentication_result: result,
        })
    }

    /// The user and the stored token, once the token is shown to be this client's, unrevoked,
    /// unexpired, not rotated out, presented with the client secret and from its device, and
    /// the user is enabled.
    async fn redeem_refresh_token(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        token: &str,
        proof: SecretProof<'_>,
        device_key: Option<String>,
    ) -> Result<(User, RefreshTokenRecord)> {
        let record = self
            .store
            .get_refresh_token(&refresh_token_hash(token))
            .await?
            .filter(|r| r.pool_id == pool.id && r.client_id == client.client_id)
            .ok_or_else(invalid_refresh_token)?;
        let user = self
            .store
            .get_user(&pool.id, &record.username_key)
            .await?
            .filter(|u| u.sub == record.sub)
            .ok_or_else(invalid_refresh_token)?;
        check_client_secret(client, &user, proof)?;
        if record.revoked_ms.is_some() {
            return Err(Error::NotAuthorized(
                "Refresh Token has been revoked".into(),
            ));
        }
        if let Some(rotated) = record.rotated_ms {
            let grace = rotation(client).unwrap_or(0);
            if self.now() >= rotated.saturating_add(grace) {
                return Err(invalid_refresh_token());
            }
        }
        if record.expires_ms <= self.now() {
            return Err(Error::NotAuthorized("Refresh Token has expired".into()));
        }
        // A token issued to a device refreshes only on that device, while it is confirmed and
        // not forgotten (Cognito: "Invalid Refresh Token." otherwise).
        if let Some(key) = &record.device_key {
            if device_key.as_ref() != Some(key) {
                return Err(invalid_refresh_token());
            }
            match self.known_device(pool, &user, key).await {
                Ok(_) => {}
                Err(e) if e.is_internal() => return Err(e),
                Err(_) => return Err(invalid_refresh_token()),
            }
        }
        if !user.enabled {
            return Err(disabled());
        }
        Ok((user, record))
    }
}

fn check_client_secret(client: &UserPoolClient, user: &User, proof: SecretProof<'_>) -> Result<()> {
    let Some(secret) = client.secret.as_deref() else {
        return Ok(());
    };
    match proof {
        SecretProof::Secret(given) => match given {
            Some(given) if constant_time_eq(given.as_bytes(), secret.as_bytes()) => Ok(()),
            Some(_) => Err(Error::NotAuthorized(format!(
                "Client {} is configured with secret but ClientSecret does not match",
                client.client_id
            ))),
            None => Err(Error::NotAuthorized(format!(
                "Client {} is configured with secret but ClientSecret was not received",
                client.client_id
            ))),
        },
        // SECRET_HASH proves the caller holds the client secret; Cognito computes it over the
        // user's username (for pools whose usernames are emails, the sub), which the caller may
        // also name in USERNAME.
        SecretProof::Hash { given, username } => {
            let mut names: Vec<&str> = vec![user.username.as_str(), user.sub.as_str()];
            if let Some(u) = username {
                names.insert(0, u);
            }
            if names
                .iter()
                .any(|n| check_secret_hash(client, n, given).is_ok())
            {
                return Ok(());
            }
            Err(check_secret_hash(client, names[0], given)
                .err()
                .unwrap_or_else(invalid_refresh_token))
        }
    }
}
