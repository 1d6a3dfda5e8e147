//! How a public action proves which app client it comes from: the client id, and for clients
//! with a secret, `SECRET_HASH` = Base64(HMAC-SHA256(secret, username ‖ client id)).

use cognate_crypto::digest::{constant_time_eq, secret_hash};

use super::Service;
use crate::model::{UserPool, UserPoolClient};
use crate::{Error, Result};

impl Service {
    /// The client and its pool, as the authentication paths see them (through the node's
    /// short-lived config cache); an unknown client is `ResourceNotFoundException`, as Cognito
    /// answers for a client id it does not know.
    pub(crate) async fn app_client(&self, client_id: &str) -> Result<(UserPool, UserPoolClient)> {
        let client = self
            .config_cache
            .client(self.store.as_ref(), client_id)
            .await?
            .ok_or_else(|| Error::client_not_found(client_id))?;
        let pool = self
            .config_cache
            .pool(self.store.as_ref(), &client.pool_id)
            .await?
            .ok_or_else(|| Error::pool_not_found(&client.pool_id))?;
        Ok((pool, client))
    }
}

/// Checks `SECRET_HASH` for a client with a secret. `username` is what the caller sent (Cognito
/// computes the hash over the name as given, alias or not).
pub(crate) fn check_secret_hash(
    client: &UserPoolClient,
    username: &str,
    given: Option<&str>,
) -> Result<()> {
    let Some(secret) = client.secret.as_deref() else {
        return Ok(());
    };
    let Some(given) = given else {
        return Err(Error::NotAuthorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.client_id
        )));
    };
    let expected = secret_hash(secret, username, &client.client_id);
    if constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        Ok(())
    } else {
        Err(Error::NotAuthorized(format!(
            "Unable to verify secret hash for client {}",
            client.client_id
        )))
    }
}

/// Whether the client allows an auth flow, accepting the legacy names for the same flow.
pub(crate) fn allows_flow(client: &UserPoolClient, flow: &str) -> bool {
    let flows = client
        .settings
        .explicit_auth_flows
        .as_deref()
        .unwrap_or(&[]);
    let legacy = match flow {
        "ALLOW_USER_PASSWORD_AUTH" => Some("USER_PASSWORD_AUTH"),
        "ALLOW_ADMIN_USER_PASSWORD_AUTH" => Some("ADMIN_NO_SRP_AUTH"),
        "ALLOW_CUSTOM_AUTH" => Some("CUSTOM_AUTH_FLOW_ONLY"),
        _ => None,
    };
    flows
        .iter()
        .any(|f| f == flow || Some(f.as_str()) == legacy)
}
