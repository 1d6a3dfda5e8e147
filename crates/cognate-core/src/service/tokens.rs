//! ID, access and refresh tokens: what they claim, how long they live, and how an access token
//! is accepted again.
//!
//! Claims follow Cognito's (developer guide, "Understanding the identity (ID) token" and
//! "Understanding the access token"):
//! - ID token: `sub`, `aud` (the client id), `iss` (`{public_url}/{poolId}`), `token_use: id`,
//!   `auth_time`, `iat`, `exp`, `jti`, `origin_jti`, `event_id`, `cognito:username`,
//!   `cognito:groups`, `cognito:roles` and `cognito:preferred_role` (from the groups' role ARNs),
//!   and the attributes the client may read (`ReadAttributes`; all but developer-only ones by
//!   default): `email_verified` and `phone_number_verified` as booleans, `address` as
//!   `{"formatted": …}`, `updated_at` as a number, everything else (`custom:*` included) as
//!   strings.
//! - Access token: `sub`, `iss`, `client_id`, `token_use: access`, `scope`
//!   (`aws.cognito.signin.user.admin` for API sign-ins), `auth_time`, `iat`, `exp`, `jti`,
//!   `origin_jti`, `event_id`, `username`, `version: 2`, `cognito:groups`, and `device_key`
//!   for remembered devices.
//!
//! A refresh token is opaque: random bytes shaped like Cognito's (a five-part JWE-looking
//! string), stored only as its SHA-256 with the client, user, expiry and the `origin_jti` of the
//! family it starts. Every ID and access token minted from it — at sign-in and at each refresh —
//! carries that `origin_jti`, so revoking the refresh token (RevokeToken, GlobalSignOut,
//! AdminUserGlobalSignOut) refuses them all. Cognito adds `origin_jti` only to clients with
//! token revocation on; here it is always present, since global sign-out must reach every
//! access token whatever the client's setting.
//!
//! Lifetimes are the client's `IdTokenValidity`, `AccessTokenValidity` and
//! `RefreshTokenValidity` in their `TokenValidityUnits` (defaults 60 minutes, 60 minutes,
//! 30 days). A refresh keeps the family's `auth_time` and `origin_jti` and issues no new refresh
//! token (refresh-token rotation is not implemented).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_crypto::digest::sha256_hex;
use serde_json::{json, Map, Value};

use super::clients::token_lifetimes;
use super::keys::TokenUse;
use super::Service;
use crate::api::auth::AuthenticationResult;
use crate::model::{Group, RefreshTokenRecord, User, UserPool, UserPoolClient};
use crate::store::StoreError;
use crate::{ids, Error, Result};

/// The scope of tokens from the user pools API, which the self-service actions require.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The protected header of Cognito's refresh tokens (`{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`);
/// the rest of ours is random.
const REFRESH_HEADER: &str = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ";

/// Groups a user may be in (Cognito's quota), so the claim is read in one pass of pages.
const GROUP_PAGE: u32 = 100;

/// The attributes whose claims are booleans.
const BOOLEAN_CLAIMS: &[&str] = &["email_verified", "phone_number_verified"];

fn invalid_access_token() -> Error {
    Error::NotAuthorized("Invalid Access Token".into())
}

/// How a token family began: kept by every token of the family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    /// The family id: the `origin_jti` of every token, and the refresh token's key.
    pub origin_jti: String,
    /// When the user authenticated, in epoch seconds.
    pub auth_time: i64,
    pub device_key: Option<String>,
}

impl Grant {
    /// The authentication event a stored refresh token belongs to.
    fn of(record: &RefreshTokenRecord) -> Grant {
        Grant {
            origin_jti: record.origin_jti.clone(),
            auth_time: record.auth_time,
            device_key: record.device_key.clone(),
        }
    }
}

/// The issuer of a pool's tokens.
pub(crate) fn issuer(public_url: &str, pool_id: &str) -> String {
    format!("{}/{pool_id}", public_url.trim_end_matches('/'))
}

/// The claims of a compact JWT, without checking anything: only to find its issuer.
fn unverified_claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The claim for one attribute, as Cognito types it.
fn attribute_claim(name: &str, value: &str) -> Value {
    if BOOLEAN_CLAIMS.contains(&name) {
        return Value::Bool(value.eq_ignore_ascii_case("true"));
    }
    match name {
        "address" => json!({ "formatted": value }),
        "updated_at" => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_string())),
        _ => Value::String(value.to_string()),
    }
}

/// Whether the client may read attribute `name`: `ReadAttributes` when set, else every
/// attribute but developer-only ones.
pub(crate) fn readable(client: &UserPoolClient, name: &str) -> bool {
    if name == "sub" {
        return true;
    }
    if name.starts_with("dev:") {
        return false;
    }
    match &client.settings.read_attributes {
        Some(list) => list.iter().any(|a| a == name),
        None => true,
    }
}

/// `cognito:roles` (every role ARN of the user's groups, by precedence) and
/// `cognito:preferred_role` (the role of the group with the lowest precedence; none when two
/// groups with roles share it).
fn roles(groups: &[Group]) -> (Vec<String>, Option<String>) {
    let mut with_roles: Vec<&Group> = groups.iter().filter(|g| g.role_arn.is_some()).collect();
    // Groups without a precedence come last, as if their precedence were the largest.
    with_roles.sort_by_key(|g| (g.precedence.unwrap_or(i64::MAX), g.name.clone()));
    let mut arns: Vec<String> = Vec::new();
    for g in &with_roles {
        if let Some(arn) = &g.role_arn {
            if !arns.contains(arn) {
                arns.push(arn.clone());
            }
        }
    }
    let preferred = match with_roles.as_slice() {
        [first, second, ..]
            if first.precedence.unwrap_or(i64::MAX) == second.precedence.unwrap_or(i64::MAX)
                && first.role_arn != second.role_arn =>
        {
            None
        }
        [first, ..] => first.role_arn.clone(),
        [] => None,
    };
    (arns, preferred)
}

/// A fresh refresh token value.
fn new_refresh_token(rng: &mut dyn rand::RngCore) -> String {
    let mut part = |n: usize| {
        let mut bytes = vec![0u8; n];
        rng.fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    };
    let (key, iv, body, tag) = (part(256), part(12), part(96), part(16));
    format!("{REFRESH_HEADER}.{key}.{iv}.{body}.{tag}")
}

/// How a refresh token is stored and looked up.
pub(crate) fn refresh_token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

impl Service {
    /// The issuer of `pool_id`'s tokens on this server.
    pub(crate) fn token_issuer(&self, pool_id: &str) -> String {
        issuer(&self.config.public_url, pool_id)
    }

    /// Tokens for a completed sign-in: ID, access and a new refresh token, which starts a new
    /// token family. Records the user as active this month.
    pub(crate) async fn issue_tokens(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
        device_key: Option<String>,
    ) -> Result<AuthenticationResult> {
        let now = self.now();
        let grant = Grant {
            origin_jti: self.with_rng(ids::new_uuid),
            auth_time: now.div_euclid(1000),
            device_key,
        };
        let lifetimes = token_lifetimes(&client.settings);
        let refresh_token = self.with_rng(new_refresh_token);
        let record = RefreshTokenRecord {
            token_hash: refresh_token_hash(&refresh_token),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            username_key: user.username_key.clone(),
            sub: user.sub.clone(),
            origin_jti: grant.origin_jti.clone(),
            device_key: grant.device_key.clone(),
            auth_time: grant.auth_time,
            issued_ms: now,
            expires_ms: now.saturating_add(lifetimes.refresh_secs.saturating_mul(1000)),
            revoked_ms: None,
            rotated_ms: None,
        };
        let store = async {
            match self.store.insert_refresh_token(&record).await {
                Ok(()) => Ok(()),
                Err(StoreError::NotFound) => Err(Error::user_not_found()),
                Err(e) => Err(Error::from(e)),
            }
        };
        let (mut result, ()) = tokio::try_join!(self.mint(pool, client, user, &grant), store)?;
        result.refresh_token = Some(refresh_token);
        self.record_active(&pool.id, &user.sub).await;
        Ok(result)
    }

    /// New ID and access tokens in the family of a refresh token; no new refresh token.
    pub(crate) async fn refresh_tokens(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
        record: &RefreshTokenRecord,
    ) -> Result<AuthenticationResult> {
        let result = self.mint(pool, client, user, &Grant::of(record)).await?;
        self.record_active(&pool.id, &user.sub).await;
        Ok(result)
    }

    /// Refresh with rotation: new ID and access tokens and a successor refresh token in the
    /// same family, with the client's refresh validity from now; the old token is marked
    /// rotated in the same transaction (it lasts the client's retry grace period).
    pub(crate) async fn rotate_tokens(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
        record: &RefreshTokenRecord,
    ) -> Result<AuthenticationResult> {
        let now = self.now();
        let lifetimes = token_lifetimes(&client.settings);
        let refresh_token = self.with_rng(new_refresh_token);
        let next = RefreshTokenRecord {
            token_hash: refresh_token_hash(&refresh_token),
            issued_ms: now,
            expires_ms: now.saturating_add(lifetimes.refresh_secs.saturating_mul(1000)),
            revoked_ms: None,
            rotated_ms: None,
            ..record.clone()
        };
        let grant = Grant::of(record);
        let store = async {
            match self
                .store
                .rotate_refresh_token(&record.token_hash, now, &next)
                .await
            {
                Ok(true) => Ok(()),
                // Revoked between the read and the rotation.
                Ok(false) => Err(Error::NotAuthorized(
                    "Refresh Token has been revoked".into(),
                )),
                Err(StoreError::NotFound) => Err(Error::user_not_found()),
                Err(e) => Err(Error::from(e)),
            }
        };
        let (mut result, ()) = tokio::try_join!(self.mint(pool, client, user, &grant), store)?;
        result.refresh_token = Some(refresh_token);
        self.record_active(&pool.id, &user.sub).await;
        Ok(result)
    }

    /// Signs the ID and access tokens of one authentication event (the two signatures run in
    /// parallel on the CPU pool).
    async fn mint(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
        grant: &Grant,
    ) -> Result<AuthenticationResult> {
        let groups = self.groups_of(pool, user).await?;
        let now_secs = self.now().div_euclid(1000);
        let lifetimes = token_lifetimes(&client.settings);
        let event_id = self.with_rng(ids::new_uuid);
        let (id_jti, access_jti) = (self.with_rng(ids::new_uuid), self.with_rng(ids::new_uuid));
        let iss = self.token_issuer(&pool.id);
        let group_names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();

        let mut id = Map::new();
        for a in &user.attributes {
            if readable(client, &a.name) {
                id.insert(a.name.clone(), attribute_claim(&a.name, &a.value));
            }
        }
        id.insert("sub".into(), json!(user.sub));
        id.insert("aud".into(), json!(client.client_id));
        id.insert("iss".into(), json!(iss));
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(grant.auth_time));
        id.insert("iat".into(), json!(now_secs));
        id.insert("exp".into(), json!(now_secs + lifetimes.id_secs));
        id.insert("jti".into(), json!(id_jti));
        id.insert("origin_jti".into(), json!(grant.origin_jti));
        id.insert("event_id".into(), json!(event_id));
        id.insert("cognito:username".into(), json!(user.username));
        if !group_names.is_empty() {
            id.insert("cognito:groups".into(), json!(group_names));
            let (arns, preferred) = roles(&groups);
            if !arns.is_empty() {
                id.insert("cognito:roles".into(), json!(arns));
            }
            if let Some(role) = preferred {
                id.insert("cognito:preferred_role".into(), json!(role));
            }
        }

        let mut access = Map::new();
        access.insert("sub".into(), json!(user.sub));
        if !group_names.is_empty() {
            access.insert("cognito:groups".into(), json!(group_names));
        }
        access.insert("iss".into(), json!(iss));
        access.insert("version".into(), json!(2));
        access.insert("client_id".into(), json!(client.client_id));
        access.insert("origin_jti".into(), json!(grant.origin_jti));
        access.insert("event_id".into(), json!(event_id));
        access.insert("token_use".into(), json!("access"));
        access.insert("scope".into(), json!(ADMIN_SCOPE));
        access.insert("auth_time".into(), json!(grant.auth_time));
        access.insert("iat".into(), json!(now_secs));
        access.insert("exp".into(), json!(now_secs + lifetimes.access_secs));
        access.insert("jti".into(), json!(access_jti));
        access.insert("username".into(), json!(user.username));
        if let Some(key) = &grant.device_key {
            access.insert("device_key".into(), json!(key));
        }

        let (id_claims, access_claims) = (Value::Object(id), Value::Object(access));
        let (id_token, access_token) = tokio::try_join!(
            self.sign_token(&pool.id, TokenUse::Id, &id_claims),
            self.sign_token(&pool.id, TokenUse::Access, &access_claims),
        )?;
        Ok(AuthenticationResult {
            access_token,
            expires_in: lifetimes.access_secs,
            token_type: "Bearer".into(),
            refresh_token: None,
            id_token,
            new_device_metadata: None,
        })
    }

    /// Every group of the user, in name order.
    async fn groups_of(&self, pool: &UserPool, user: &User) -> Result<Vec<Group>> {
        let mut all: Vec<Group> = Vec::new();
        loop {
            let after = all.last().map(|g| g.name.clone());
            let page = self
                .store
                .list_groups_for_user(&pool.id, &user.username_key, after.as_deref(), GROUP_PAGE)
                .await?;
            let full = page.len() as u32 >= GROUP_PAGE;
            all.extend(page);
            if !full {
                return Ok(all);
            }
        }
    }

    /// Accepts an access token for the self-service actions: signed by its pool's key, an
    /// access token, unexpired, with the admin scope, of a user who still exists and is enabled,
    /// from a token family nobody has revoked. Returns the pool, the user and the claims.
    pub(crate) async fn authenticate_access_token(
        &self,
        token: &str,
    ) -> Result<(UserPool, User, Value)> {
        let unverified = unverified_claims(token).ok_or_else(invalid_access_token)?;
        let prefix = format!("{}/", self.config.public_url.trim_end_matches('/'));
        let pool_id = unverified["iss"]
            .as_str()
            .and_then(|iss| iss.strip_prefix(&prefix))
            .filter(|id| !id.is_empty() && !id.contains('/'))
            .ok_or_else(invalid_access_token)?
            .to_string();
        let claims = match self.verify_token(&pool_id, token).await {
            Ok(c) => c,
            Err(e) if e.is_internal() => return Err(e),
            Err(_) => return Err(invalid_access_token()),
        };
        if claims["iss"].as_str() != Some(self.token_issuer(&pool_id).as_str())
            || claims["token_use"] != "access"
        {
            return Err(invalid_access_token());
        }
        let exp = claims["exp"].as_i64().ok_or_else(invalid_access_token)?;
        if exp <= self.now().div_euclid(1000) {
            return Err(Error::NotAuthorized("Access Token has expired".into()));
        }
        let scoped = claims["scope"]
            .as_str()
            .is_some_and(|s| s.split(' ').any(|x| x == ADMIN_SCOPE));
        if !scoped {
            return Err(Error::NotAuthorized(
                "Access Token does not have required scopes".into(),
            ));
        }
        let sub = claims["sub"].as_str().ok_or_else(invalid_access_token)?;
        let origin = claims["origin_jti"]
            .as_str()
            .ok_or_else(invalid_access_token)?;
        let (pool, user, family) = tokio::try_join!(
            self.config_cache.pool(self.store.as_ref(), &pool_id),
            async { Ok::<_, Error>(self.store.get_user_by_sub(&pool_id, sub).await?) },
            async {
                Ok::<_, Error>(
                    self.store
                        .get_refresh_token_by_origin(&pool_id, origin)
                        .await?,
                )
            },
        )?;
        let pool = pool.ok_or_else(invalid_access_token)?;
        let user = user.ok_or_else(Error::user_not_found)?;
        if !user.enabled {
            return Err(Error::NotAuthorized("User is disabled.".into()));
        }
        let live = family.is_some_and(|f| f.revoked_ms.is_none() && f.sub == user.sub);
        if !live {
            return Err(Error::NotAuthorized("Access Token has been revoked".into()));
        }
        Ok((pool, user, claims))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn group(name: &str, precedence: Option<i64>, role: Option<&str>) -> Group {
        Group {
            pool_id: "p".into(),
            name: name.into(),
            description: None,
            role_arn: role.map(str::to_string),
            precedence,
            created_ms: 0,
            modified_ms: 0,
        }
    }

    #[test]
    fn attribute_claims_are_typed_as_cognito_types_them() {
        assert_eq!(attribute_claim("email_verified", "true"), json!(true));
        assert_eq!(
            attribute_claim("phone_number_verified", "false"),
            json!(false)
        );
        assert_eq!(
            attribute_claim("address", "1 Main St"),
            json!({ "formatted": "1 Main St" })
        );
        assert_eq!(
            attribute_claim("updated_at", "1700000000"),
            json!(1_700_000_000)
        );
        assert_eq!(attribute_claim("custom:tier", "3"), json!("3"));
    }

    #[test]
    fn the_preferred_role_is_the_lowest_precedence_unless_tied() {
        let (arns, preferred) = roles(&[
            group("b", Some(5), Some("arn:b")),
            group("a", Some(1), Some("arn:a")),
            group("c", None, Some("arn:c")),
            group("d", Some(0), None),
        ]);
        assert_eq!(arns, vec!["arn:a", "arn:b", "arn:c"]);
        assert_eq!(preferred.as_deref(), Some("arn:a"));
        let (_, preferred) = roles(&[
            group("a", Some(1), Some("arn:a")),
            group("b", Some(1), Some("arn:b")),
        ]);
        assert_eq!(preferred, None);
        assert_eq!(roles(&[group("x", None, None)]), (vec![], None));
    }

    #[test]
    fn refresh_tokens_are_opaque_five_part_strings() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let a = new_refresh_token(&mut rng);
        let b = new_refresh_token(&mut rng);
        assert_ne!(a, b);
        assert_eq!(a.split('.').count(), 5);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
        assert_eq!(refresh_token_hash(&a).len(), 64);
    }

    #[test]
    fn issuers_and_unverified_claims() {
        assert_eq!(
            issuer("http://localhost:9229/", "us-east-1_abc"),
            "http://localhost:9229/us-east-1_abc"
        );
        let payload = URL_SAFE_NO_PAD.encode(r#"{"iss":"x"}"#);
        assert_eq!(
            unverified_claims(&format!("h.{payload}.s")).unwrap()["iss"],
            "x"
        );
        assert!(unverified_claims("garbage").is_none());
    }

    #[test]
    fn developer_only_attributes_are_never_readable() {
        let client = UserPoolClient {
            pool_id: "p".into(),
            client_id: "c".into(),
            name: "n".into(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            settings: Default::default(),
        };
        assert!(readable(&client, "email"));
        assert!(!readable(&client, "dev:custom:x"));
        let mut only_email = client.clone();
        only_email.settings.read_attributes = Some(vec!["email".into()]);
        assert!(readable(&only_email, "email"));
        assert!(readable(&only_email, "sub"));
        assert!(!readable(&only_email, "name"));
    }
}
