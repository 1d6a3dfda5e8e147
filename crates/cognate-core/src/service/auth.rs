//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge, AdminRespondToAuthChallenge: the
//! sign-in state machine.
//!
//! A sign-in is a sequence of steps. The first step (InitiateAuth) proves a first factor — a
//! password here; SRP's PASSWORD_VERIFIER, and custom challenges, plug in the same way — and
//! then [`Service::continue_sign_in`] decides what comes next: a challenge
//! (NEW_PASSWORD_REQUIRED now; MFA and device challenges when those land) or the tokens. A
//! challenge is a [`Pending`] state taken exactly once by the response, so any node can answer
//! the next step and no response can be replayed. It travels one of two ways:
//! - stored: a session in the store (the state serialised into its `state`), found again by the
//!   SHA-256 of its random id, the Session the client holds;
//! - sealed: the verifier challenges (PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER) carry their
//!   state in the SECRET_BLOCK itself, sealed with the master key and bound to the pool and
//!   client. Their answer opens it and spends it by inserting a marker session under a name no
//!   session id hashes to, so the first step of an SRP sign-in writes nothing and the second
//!   writes the marker instead of deleting a session.
//!
//! A response whose fault is the caller's to fix (a password the policy refuses, a missing
//! attribute) puts the challenge back (the session, or the block unspent), as Cognito lets a
//! client retry within the session's life.
//!
//! To add a challenge: a [`Pending`] variant (its challenge name in
//! [`Pending::challenge_name`]), a place that opens it ([`Service::open_challenge`]), and an
//! arm in [`Service::respond`] that checks the answer and calls
//! [`Service::continue_sign_in`] again. A first factor other than the password calls
//! [`Service::sign_in_gate`] before its check, [`Service::first_factor_failed`] when it fails
//! and [`Service::first_factor_passed`] when it succeeds, so lockout and the user-status rules
//! hold for every way in.
//!
//! Rules, with Cognito's answers (API reference for InitiateAuth and RespondToAuthChallenge):
//! - the client must allow the flow (`ExplicitAuthFlows`): otherwise `InvalidParameterException`
//!   "USER_PASSWORD_AUTH flow not enabled for this client"; a client with a secret needs
//!   `SECRET_HASH` over the USERNAME as sent;
//! - an unknown user is `UserNotFoundException` "User does not exist." when the client's
//!   `PreventUserExistenceErrors` is LEGACY, and exactly a wrong password ("Incorrect username
//!   or password.", after an argon2 verification against a dummy hash so the timing matches)
//!   when it is ENABLED;
//! - a disabled user is refused ("User is disabled."), a RESET_REQUIRED user gets
//!   `PasswordResetRequiredException`; an UNCONFIRMED user with the right password gets
//!   `UserNotConfirmedException`; a FORCE_CHANGE_PASSWORD user with the right (temporary)
//!   password gets the NEW_PASSWORD_REQUIRED challenge, unless the temporary password is older
//!   than the pool's `TemporaryPasswordValidityDays`;
//! - lockout: failures are counted in the store per user (so every node sees them) and cleared
//!   by a successful first factor. From the 5th consecutive failure on, each failure locks the
//!   user for 1 s × 2^(failures − 5), at most 15 minutes: 1 s, 2 s, 4 s, … 512 s, then 900 s.
//!   While locked, every attempt answers `NotAuthorizedException` "Password attempts exceeded"
//!   without looking at the password (and without counting).
//! - sessions live for the client's `AuthSessionValidity` minutes (default 3); an unknown,
//!   used or expired one is `NotAuthorizedException` "Invalid session for the user, session is
//!   expired.".
//!
//! USER_SRP_AUTH is a first factor like the password: PASSWORD_VERIFIER's answer goes through
//! the same gate, failure count and [`Service::continue_sign_in`] (see `srp.rs`). Its
//! TIMESTAMP, and DEVICE_PASSWORD_VERIFIER's, must be Cognito's format within five minutes of
//! the server's clock (`NotAuthorizedException` otherwise).
//!
//! Remembered devices (rules in `devices.rs`) are steps of the same machine: on a pool that
//! tracks devices, [`Service::continue_sign_in`] answers a sign-in that names a confirmed
//! device of the user (`DEVICE_KEY`: in AuthParameters for the password flows, in
//! PASSWORD_VERIFIER's ChallengeResponses for SRP) with DEVICE_SRP_AUTH, then
//! DEVICE_PASSWORD_VERIFIER, and issues the tokens once the device has proved itself; a sign-in
//! from no known device ends with `NewDeviceMetadata`. PASSWORD_VERIFIER naming an unknown
//! device is refused before the claim is checked and its session is put back, so the client
//! can send the same answer again without the device (identity-js does exactly that).
//!
//! Not here yet: USER_AUTH (choice-based sign-in), CUSTOM_AUTH (needs the Lambda triggers) and
//! MFA.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_crypto::digest::sha256_hex;
use serde::{Deserialize, Serialize};

use super::client_auth::{allows_flow, check_secret_hash};
use super::codes::hides_user_existence;
use super::devices::{device_not_found, tracks_devices};
use super::srp::{check_claim_time, claim_holds, verifier_tag};
use super::tokens::readable;
use super::Service;
use crate::api::auth::{
    AdminInitiateAuthInput, AdminRespondToAuthChallengeInput, AuthOutput, InitiateAuthInput,
    RespondToAuthChallengeInput,
};
use crate::attributes::{check_write, Write};
use crate::model::{
    Attribute, AuthSessionRecord, SignInFailures, User, UserPool, UserPoolClient, UserStatus,
};
use crate::password::{self, PasswordUse};
use crate::store::StoreError;
use crate::{Error, Result};

/// Consecutive failures after which each further failure locks the user.
pub const LOCK_AFTER_FAILURES: i64 = 5;
/// The first lock, at the 5th failure.
pub const FIRST_LOCK_MS: i64 = 1_000;
/// The longest lock.
pub const MAX_LOCK_MS: i64 = 15 * 60 * 1_000;

/// How long to lock a user after their `failures`-th consecutive failure: nothing before the
/// 5th, then 1 s doubling with each failure, at most 15 minutes.
pub fn lock_for(failures: i64) -> i64 {
    if failures < LOCK_AFTER_FAILURES {
        return 0;
    }
    let doublings = (failures - LOCK_AFTER_FAILURES).min(20) as u32;
    FIRST_LOCK_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_LOCK_MS)
}

/// Default `AuthSessionValidity`, in minutes.
const DEFAULT_SESSION_MINUTES: i64 = 3;

/// Random bytes in a session id.
const SESSION_BYTES: usize = 96;

pub(crate) const INCORRECT: &str = "Incorrect username or password.";

pub(crate) fn incorrect() -> Error {
    Error::NotAuthorized(INCORRECT.into())
}

pub(crate) fn invalid_session() -> Error {
    Error::NotAuthorized("Invalid session for the user, session is expired.".into())
}

pub(crate) fn disabled() -> Error {
    Error::NotAuthorized("User is disabled.".into())
}

fn missing(name: &str) -> Error {
    Error::invalid(format!("Missing required parameter {name}"))
}

pub(crate) fn not_enabled(flow: &str) -> Error {
    Error::invalid(format!("{flow} flow not enabled for this client"))
}

pub(crate) fn invalid_refresh_token() -> Error {
    Error::NotAuthorized("Invalid Refresh Token.".into())
}

/// A required, non-empty entry of `AuthParameters` or `ChallengeResponses`.
pub(crate) fn param<'a>(map: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str> {
    map.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(name))
}

/// The proof in a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER answer.
struct Claim<'a> {
    /// PASSWORD_CLAIM_SECRET_BLOCK, decoded.
    block: Vec<u8>,
    signature: &'a str,
    timestamp: &'a str,
}

/// Reads the proof of a verifier answer. The secret block is the sealed challenge the answer
/// was taken by ([`Service::take_challenge`]), so it is authentic once it got here.
fn claim(responses: &BTreeMap<String, String>) -> Result<Claim<'_>> {
    let block = param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(responses, "TIMESTAMP")?;
    let block = base64::engine::general_purpose::STANDARD
        .decode(block)
        .map_err(|_| invalid_session())?;
    Ok(Claim {
        block,
        signature,
        timestamp,
    })
}

/// A non-empty `DEVICE_KEY` among the parameters.
pub(crate) fn device_key_in(map: &BTreeMap<String, String>) -> Option<String> {
    map.get("DEVICE_KEY").filter(|k| !k.is_empty()).cloned()
}

/// The SHA-256 of SRP_A in one form whatever the client's spelling (padded lowercase hex).
fn a_digest(big_a: &str) -> Option<String> {
    cognate_crypto::srp::parse_hex(big_a)
        .ok()
        .map(|a| sha256_hex(cognate_crypto::srp::pad_hex(&a).as_bytes()))
}

/// The DEVICE_SRP_AUTH session of a sign-in whose first factor was SRP with an A of digest
/// `a_digest`: derived from that A, so a client that answers DEVICE_SRP_AUTH without the Session
/// but with the same SRP_A (pycognito does both) finds it again. A is as unguessable as a
/// random id: the client drew it from 1024 random bits and only it and this server have seen it.
fn device_srp_session(pool_id: &str, client_id: &str, device_key: &str, a_digest: &str) -> String {
    let digest = sha256_hex(
        format!("cognate-device-srp-auth/{pool_id}/{client_id}/{device_key}/{a_digest}").as_bytes(),
    );
    URL_SAFE_NO_PAD.encode(digest.as_bytes())
}

/// What a sign-in has established so far, carried from step to step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Progress {
    /// The remembered device the sign-in says it comes from (`DEVICE_KEY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    /// The device has proved itself (DEVICE_PASSWORD_VERIFIER).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub device_verified: bool,
    /// The digest of an SRP first factor's SRP_A ([`a_digest`]), which names the
    /// DEVICE_SRP_AUTH session ([`device_srp_session`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srp_a_digest: Option<String>,
}

/// A challenge waiting for its answer: what the session remembers. Serialised into
/// [`AuthSessionRecord::state`]; add a variant per challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub(crate) enum Pending {
    /// The user signed in with a temporary password and must choose their own.
    NewPasswordRequired { progress: Progress },
    /// USER_SRP_AUTH's first step was answered with B; the client must prove the password
    /// with the exchange's key (hex), made from the verifier `verifier` tags
    /// (`srp::verifier_tag`). Sealed into the SECRET_BLOCK.
    PasswordVerifier {
        srp_key: String,
        verifier: String,
        progress: Progress,
    },
    /// The user proved who they are and named a known device (`progress.device_key`): the
    /// client must start SRP with the device's secret (SRP_A).
    DeviceSrpAuth { progress: Progress },
    /// DEVICE_SRP_AUTH was answered with B for the device's verifier; the client must prove
    /// the device's secret. Sealed into the SECRET_BLOCK, like PasswordVerifier.
    DevicePasswordVerifier {
        srp_key: String,
        verifier: String,
        progress: Progress,
    },
}

impl Pending {
    /// Whether a challenge's state travels sealed in its SECRET_BLOCK rather than stored.
    fn sealed(challenge: &str) -> bool {
        matches!(challenge, "PASSWORD_VERIFIER" | "DEVICE_PASSWORD_VERIFIER")
    }

    pub(crate) fn challenge_name(&self) -> &'static str {
        match self {
            Pending::NewPasswordRequired { .. } => "NEW_PASSWORD_REQUIRED",
            Pending::PasswordVerifier { .. } => "PASSWORD_VERIFIER",
            Pending::DeviceSrpAuth { .. } => "DEVICE_SRP_AUTH",
            Pending::DevicePasswordVerifier { .. } => "DEVICE_PASSWORD_VERIFIER",
        }
    }
}

/// A sealed challenge's state, as its SECRET_BLOCK carries it (the pool and client are bound
/// by [`sealed_aad`]).
#[derive(Debug, Serialize, Deserialize)]
struct SealedChallenge {
    username_key: String,
    expires_ms: i64,
    pending: Pending,
}

/// What a sealed challenge is bound to: a block opens only for the client it was issued to.
fn sealed_aad(pool_id: &str, client_id: &str) -> Vec<u8> {
    format!("cognate-challenge/{pool_id}/{client_id}").into_bytes()
}

/// The marker session that spends a sealed challenge. Stored session ids are SHA-256 hex, so
/// no Session a client sends can name (and take back) a marker.
fn spent_marker(block: &str) -> String {
    format!("spent:{}", sha256_hex(block.as_bytes()))
}

/// A challenge taken for its answer.
struct Taken {
    /// The stored session, or the marker that spent a sealed challenge.
    record: AuthSessionRecord,
    pending: Pending,
    sealed: bool,
}

/// The outcome of the checks before a first factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gate {
    /// The user has failures on record, to be cleared when this attempt succeeds.
    pub had_failures: bool,
}

/// A hash to verify against when the user does not exist, with the parameters real hashes
/// have, so an unknown user costs what a wrong password costs.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        cognate_crypto::password::hash_password("cognate-no-such-user").unwrap_or_default()
    })
}

/// Whether the client allows refresh-token sign-in: clients with `ALLOW_*` flows must list
/// `ALLOW_REFRESH_TOKEN_AUTH` (Cognito adds it to every client that does not rotate refresh tokens); clients with only
/// the legacy names never gated it.
pub(crate) fn allows_refresh(client: &UserPoolClient) -> bool {
    let flows = client
        .settings
        .explicit_auth_flows
        .as_deref()
        .unwrap_or(&[]);
    allows_flow(client, "ALLOW_REFRESH_TOKEN_AUTH")
        || !flows.iter().any(|f| f.starts_with("ALLOW_"))
}

/// Attributes a client may write: `WriteAttributes` when set, else every attribute but `sub`,
/// the verification flags and developer-only ones.
pub(crate) fn writable(client: &UserPoolClient, name: &str) -> bool {
    if matches!(name, "sub" | "email_verified" | "phone_number_verified")
        || name.starts_with("dev:")
    {
        return false;
    }
    match &client.settings.write_attributes {
        Some(list) => list.iter().any(|a| a == name),
        None => true,
    }
}

pub(crate) fn unauthorized_attribute() -> Error {
    Error::NotAuthorized("A client attempted to write unauthorized attribute".into())
}

/// Required attributes of the pool the user lacks (`sub` is always there).
fn missing_required(pool: &UserPool, user: &User) -> Vec<String> {
    pool.schema()
        .iter()
        .filter(|a| a.is_required() && a.name() != "sub")
        .filter(|a| user.attribute(a.name()).is_none_or(str::is_empty))
        .map(|a| a.name().to_string())
        .collect()
}

impl Service {
    pub async fn initiate_auth(&self, input: InitiateAuthInput) -> Result<AuthOutput> {
        input.validate()?;
        let (pool, client) = self
            .app_client(input.client_id.as_deref().unwrap_or_default())
            .await?;
        let flow = input.auth_flow.as_deref().unwrap_or_default();
        let params = input.auth_parameters.unwrap_or_default();
        match flow {
            "USER_PASSWORD_AUTH" => {
                if !allows_flow(&client, "ALLOW_USER_PASSWORD_AUTH") {
                    return Err(not_enabled(flow));
                }
                self.password_sign_in(&pool, &client, &params).await
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                self.refresh_sign_in(&pool, &client, flow, &params).await
            }
            "USER_SRP_AUTH" => self.srp_sign_in(&pool, &client, &params).await,
            "CUSTOM_AUTH" => self.custom_sign_in(&pool, &client).await,
            "USER_AUTH" => Err(Error::invalid(
                "USER_AUTH (choice-based sign-in) is not supported by this server yet.",
            )),
            // The admin flows belong to AdminInitiateAuth.
            _ => Err(Error::invalid("Initiate Auth method not supported.")),
        }
    }

    pub async fn admin_initiate_auth(&self, input: AdminInitiateAuthInput) -> Result<AuthOutput> {
        input.validate()?;
        let (pool, client) = self
            .pool_client(
                input.user_pool_id.as_deref().unwrap_or_default(),
                input.client_id.as_deref().unwrap_or_default(),
            )
            .await?;
        let flow = input.auth_flow.as_deref().unwrap_or_default();
        let params = input.auth_parameters.unwrap_or_default();
        match flow {
            "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
                if !allows_flow(&client, "ALLOW_ADMIN_USER_PASSWORD_AUTH") {
                    return Err(not_enabled(flow));
                }
                self.password_sign_in(&pool, &client, &params).await
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                self.refresh_sign_in(&pool, &client, flow, &params).await
            }
            "USER_SRP_AUTH" => self.srp_sign_in(&pool, &client, &params).await,
            "CUSTOM_AUTH" => self.custom_sign_in(&pool, &client).await,
            "USER_AUTH" => Err(Error::invalid(
                "USER_AUTH (choice-based sign-in) is not supported by this server yet.",
            )),
            _ => Err(Error::invalid("Initiate Auth method not supported.")),
        }
    }

    pub async fn respond_to_auth_challenge(
        &self,
        input: RespondToAuthChallengeInput,
    ) -> Result<AuthOutput> {
        input.validate()?;
        let (pool, client) = self
            .app_client(input.client_id.as_deref().unwrap_or_default())
            .await?;
        self.respond(
            &pool,
            &client,
            input.challenge_name.as_deref().unwrap_or_default(),
            input.session.as_deref(),
            &input.challenge_responses.unwrap_or_default(),
        )
        .await
    }

    pub async fn admin_respond_to_auth_challenge(
        &self,
        input: AdminRespondToAuthChallengeInput,
    ) -> Result<AuthOutput> {
        input.validate()?;
        let (pool, client) = self
            .pool_client(
                input.user_pool_id.as_deref().unwrap_or_default(),
                input.client_id.as_deref().unwrap_or_default(),
            )
            .await?;
        self.respond(
            &pool,
            &client,
            input.challenge_name.as_deref().unwrap_or_default(),
            input.session.as_deref(),
            &input.challenge_responses.unwrap_or_default(),
        )
        .await
    }

    /// A pool and one of its clients (the admin actions name both).
    async fn pool_client(
        &self,
        pool_id: &str,
        client_id: &str,
    ) -> Result<(UserPool, UserPoolClient)> {
        let pool = self.pool(pool_id).await?;
        let client = self
            .store
            .get_client(&pool.id, client_id)
            .await?
            .ok_or_else(|| Error::client_not_found(client_id))?;
        Ok((pool, client))
    }

    // --- first factors ---

    /// USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: USERNAME and PASSWORD.
    async fn password_sign_in(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        params: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        let username = param(params, "USERNAME")?;
        let password = param(params, "PASSWORD")?.to_string();
        check_secret_hash(
            client,
            username,
            params.get("SECRET_HASH").map(String::as_str),
        )?;
        let Some((user, failures)) = self.find_user_signing_in(pool, username).await? else {
            return Err(self.unknown_user(client, password).await);
        };
        let gate = self.sign_in_gate(&user, failures)?;
        if user.status == UserStatus::ResetRequired {
            return Err(Error::PasswordResetRequired(
                "Password reset required for the user".into(),
            ));
        }
        if !self.password_matches(&user, password.clone()).await? {
            return Err(self.first_factor_failed(pool, &user).await);
        }
        let user = self.backfill_verifier(user, password).await;
        let progress = Progress {
            device_key: device_key_in(params),
            ..Progress::default()
        };
        self.first_factor_passed(pool, client, user, gate, progress)
            .await
    }

    /// USER_SRP_AUTH: USERNAME and SRP_A, answered with the PASSWORD_VERIFIER challenge (SALT,
    /// SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME). The server's whole exchange runs now
    /// (`srp.rs`); the challenge keeps its key sealed in the SECRET_BLOCK, which clients send
    /// back as PASSWORD_CLAIM_SECRET_BLOCK (usually without a Session). An unknown user gets a
    /// made-up challenge when the client hides user existence, failing at the answer like a
    /// wrong password.
    async fn srp_sign_in(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        params: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        if !allows_flow(client, "ALLOW_USER_SRP_AUTH") {
            return Err(not_enabled("USER_SRP_AUTH"));
        }
        let username = param(params, "USERNAME")?;
        let big_a = param(params, "SRP_A")?;
        check_secret_hash(
            client,
            username,
            params.get("SECRET_HASH").map(String::as_str),
        )?;
        if !cognate_crypto::srp::acceptable_public(big_a) {
            return Err(Error::invalid("SRP_A is invalid."));
        }
        // The device is taken from PASSWORD_VERIFIER's answer, where the SDKs name it again;
        // leaving it out keeps the sealed block's size bounded whatever the parameters hold.
        let progress = Progress {
            srp_a_digest: a_digest(big_a),
            ..Progress::default()
        };
        let (key, user_id, verifier, tag) = match self.find_user_signing_in(pool, username).await? {
            Some((user, failures)) => {
                self.sign_in_gate(&user, failures)?;
                if user.status == UserStatus::ResetRequired {
                    return Err(Error::PasswordResetRequired(
                        "Password reset required for the user".into(),
                    ));
                }
                let Some(verifier) = self.srp_verifier(&user) else {
                    // No verifier (a password set before SRP, or none at all).
                    return Err(incorrect());
                };
                let tag = verifier_tag(user.srp_verifier.as_deref());
                (user.username_key, user.username, Some(verifier), tag)
            }
            None if hides_user_existence(client) => (
                username.to_lowercase(),
                username.to_string(),
                None,
                String::new(),
            ),
            None => return Err(Error::user_not_found()),
        };
        let exchange = self
            .srp_exchange(&pool.id, &key, verifier, big_a.to_string())
            .await?;
        let parameters = BTreeMap::from([
            ("SALT".to_string(), exchange.salt_hex),
            ("SRP_B".to_string(), exchange.big_b_hex),
            ("USER_ID_FOR_SRP".to_string(), user_id.clone()),
            ("USERNAME".to_string(), user_id),
        ]);
        let pending = Pending::PasswordVerifier {
            srp_key: exchange.key_hex,
            verifier: tag,
            progress,
        };
        self.open_challenge(pool, client, &key, pending, parameters)
            .await
    }

    /// CUSTOM_AUTH runs the pool's Define/Create/VerifyAuthChallenge triggers, which this
    /// server cannot invoke yet.
    async fn custom_sign_in(&self, pool: &UserPool, client: &UserPoolClient) -> Result<AuthOutput> {
        if !allows_flow(client, "ALLOW_CUSTOM_AUTH") {
            return Err(not_enabled("CUSTOM_AUTH"));
        }
        let configured = pool
            .settings
            .lambda_config
            .as_ref()
            .is_some_and(|l| l.define_auth_challenge.is_some());
        if !configured {
            return Err(Error::invalid(
                "Custom auth lambda trigger is not configured for the user pool.",
            ));
        }
        Err(Error::InvalidUserPoolConfiguration(
            "Custom auth Lambda triggers are not supported by this server yet.".into(),
        ))
    }

    /// The answer for a user that does not exist, after as much work as a wrong password.
    async fn unknown_user(&self, client: &UserPoolClient, password: String) -> Error {
        let _ = self
            .cpu
            .run(move || cognate_crypto::password::verify_password(&password, dummy_hash()))
            .await;
        if hides_user_existence(client) {
            incorrect()
        } else {
            Error::user_not_found()
        }
    }

    /// argon2id verification on the CPU pool. A user without a password never matches.
    pub(crate) async fn password_matches(&self, user: &User, password: String) -> Result<bool> {
        let Some(hash) = user.password_hash.clone() else {
            return Ok(false);
        };
        self.cpu
            .run(move || cognate_crypto::password::verify_password(&password, &hash))
            .await
    }

    /// Checks before any first factor: the user is enabled and not locked out, by the
    /// failure record read with the user (`find_user_signing_in`, `get_user_signing_in`).
    pub(crate) fn sign_in_gate(
        &self,
        user: &User,
        failures: Option<SignInFailures>,
    ) -> Result<Gate> {
        if !user.enabled {
            return Err(disabled());
        }
        if let Some(f) = failures {
            if f.locked_until_ms > self.now() {
                return Err(Error::NotAuthorized("Password attempts exceeded".into()));
            }
        }
        Ok(Gate {
            had_failures: failures.is_some_and(|f| f.failures > 0),
        })
    }

    /// Counts a failed first factor (which may lock the user) and returns the answer for it.
    pub(crate) async fn first_factor_failed(&self, pool: &UserPool, user: &User) -> Error {
        match self
            .store
            .record_sign_in_failure(&pool.id, &user.username_key, self.now(), lock_for)
            .await
        {
            Ok(_) | Err(StoreError::NotFound) => incorrect(),
            Err(e) => e.into(),
        }
    }

    /// After a first factor succeeded: clears the failure count, applies the user-status
    /// rules, and continues the sign-in.
    pub(crate) async fn first_factor_passed(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: User,
        gate: Gate,
        progress: Progress,
    ) -> Result<AuthOutput> {
        if gate.had_failures {
            self.store
                .clear_sign_in_failures(&pool.id, &user.username_key)
                .await?;
        }
        match user.status {
            UserStatus::Unconfirmed => {
                return Err(Error::UserNotConfirmed("User is not confirmed.".into()))
            }
            UserStatus::ResetRequired => {
                return Err(Error::PasswordResetRequired(
                    "Password reset required for the user".into(),
                ))
            }
            UserStatus::ForceChangePassword
                if user
                    .temporary_password_expires_ms
                    .is_some_and(|t| t <= self.now()) =>
            {
                return Err(Error::NotAuthorized(
                    "Temporary password has expired and must be reset by an administrator.".into(),
                ));
            }
            _ => {}
        }
        self.continue_sign_in(pool, client, &user, progress).await
    }

    /// The next step of a sign-in whose user has proved who they are: a challenge still to
    /// answer, or the tokens.
    pub(crate) async fn continue_sign_in(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
        progress: Progress,
    ) -> Result<AuthOutput> {
        if user.status == UserStatus::ForceChangePassword {
            let parameters = self.new_password_parameters(pool, client, user);
            return self
                .open_challenge(
                    pool,
                    client,
                    &user.username_key,
                    Pending::NewPasswordRequired { progress },
                    parameters,
                )
                .await;
        }
        // MFA (SMS_MFA, SOFTWARE_TOKEN_MFA, MFA_SETUP, …) plugs in here; a remembered
        // device will let the user skip it.
        if !tracks_devices(pool) {
            let tokens = self.issue_tokens(pool, client, user, None).await?;
            return Ok(AuthOutput::tokens(tokens));
        }
        match progress.device_key.clone() {
            Some(key) if progress.device_verified => {
                let tokens = self.issue_tokens(pool, client, user, Some(key)).await?;
                Ok(AuthOutput::tokens(tokens))
            }
            Some(key) => {
                // The device must prove itself before the tokens.
                self.known_device(pool, user, &key).await?;
                let parameters = BTreeMap::from([("USERNAME".to_string(), user.username.clone())]);
                let session = progress
                    .srp_a_digest
                    .as_deref()
                    .map(|a| device_srp_session(&pool.id, &client.client_id, &key, a));
                let pending = Pending::DeviceSrpAuth { progress };
                match session {
                    Some(id) => {
                        // A client that reuses its A (pycognito does, per object) may have left
                        // an unanswered session under the same id: this sign-in replaces it.
                        self.store.take_session(&sha256_hex(id.as_bytes())).await?;
                        self.open_challenge_as(
                            pool,
                            client,
                            &user.username_key,
                            id,
                            pending,
                            parameters,
                        )
                        .await
                    }
                    None => {
                        self.open_challenge(pool, client, &user.username_key, pending, parameters)
                            .await
                    }
                }
            }
            None => {
                let metadata = self.new_device(pool, user).await?;
                let mut tokens = self
                    .issue_tokens(pool, client, user, Some(metadata.device_key.clone()))
                    .await?;
                tokens.new_device_metadata = Some(metadata);
                Ok(AuthOutput::tokens(tokens))
            }
        }
    }

    /// NEW_PASSWORD_REQUIRED's parameters: `USER_ID_FOR_SRP`, `requiredAttributes` (the
    /// required attributes the user still lacks, as `userAttributes.<name>`, JSON) and
    /// `userAttributes` (the user's readable attributes but `sub`, JSON).
    fn new_password_parameters(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: &User,
    ) -> BTreeMap<String, String> {
        let required: Vec<String> = missing_required(pool, user)
            .into_iter()
            .map(|n| format!("userAttributes.{n}"))
            .collect();
        let attributes: serde_json::Map<String, serde_json::Value> = user
            .attributes
            .iter()
            .filter(|a| readable(client, &a.name))
            .map(|a| (a.name.clone(), serde_json::Value::String(a.value.clone())))
            .collect();
        BTreeMap::from([
            ("USER_ID_FOR_SRP".to_string(), user.username.clone()),
            (
                "requiredAttributes".to_string(),
                serde_json::Value::from(required).to_string(),
            ),
            (
                "userAttributes".to_string(),
                serde_json::Value::Object(attributes).to_string(),
            ),
        ])
    }

    /// Opens a challenge holding `pending`, valid for the client's `AuthSessionValidity`: sealed
    /// into its SECRET_BLOCK for the verifier challenges, a stored session for the others.
    /// Returns the answer that presents the challenge.
    pub(crate) async fn open_challenge(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        username_key: &str,
        pending: Pending,
        parameters: BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        if Pending::sealed(pending.challenge_name()) {
            return self.open_sealed_challenge(pool, client, username_key, pending, parameters);
        }
        let session = self.with_rng(|rng| {
            let mut bytes = [0u8; SESSION_BYTES];
            rng.fill_bytes(&mut bytes);
            URL_SAFE_NO_PAD.encode(bytes)
        });
        self.open_challenge_as(pool, client, username_key, session, pending, parameters)
            .await
    }

    /// [`Self::open_challenge`] under a session id chosen by the caller: random and at least as
    /// long as [`SESSION_BYTES`], or derived from a secret as unguessable
    /// ([`device_srp_session`]).
    async fn open_challenge_as(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        username_key: &str,
        session: String,
        pending: Pending,
        parameters: BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        let record = AuthSessionRecord {
            id_hash: sha256_hex(session.as_bytes()),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            username_key: username_key.to_string(),
            challenge: pending.challenge_name().to_string(),
            state: serde_json::to_string(&pending).map_err(Error::internal)?,
            expires_ms: self.session_expiry(client),
        };
        self.store.put_session(&record).await?;
        Ok(AuthOutput::challenge(
            pending.challenge_name(),
            session,
            parameters,
        ))
    }

    /// Opens a challenge whose state travels sealed in its SECRET_BLOCK, which is its Session
    /// too (see the module notes): valid for the client's `AuthSessionValidity`, answered once.
    fn open_sealed_challenge(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        username_key: &str,
        pending: Pending,
        mut parameters: BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        let name = pending.challenge_name();
        let sealed = SealedChallenge {
            username_key: username_key.to_string(),
            expires_ms: self.session_expiry(client),
            pending,
        };
        let plain = serde_json::to_vec(&sealed).map_err(Error::internal)?;
        let bytes = self
            .master_key
            .seal_bytes(&plain, &sealed_aad(&pool.id, &client.client_id))
            .map_err(Error::internal)?;
        let block = base64::engine::general_purpose::STANDARD.encode(bytes);
        parameters.insert("SECRET_BLOCK".to_string(), block.clone());
        Ok(AuthOutput::challenge(name, block, parameters))
    }

    /// When a challenge opened now expires: the client's `AuthSessionValidity` from now.
    fn session_expiry(&self, client: &UserPoolClient) -> i64 {
        let minutes = client
            .settings
            .auth_session_validity
            .unwrap_or(DEFAULT_SESSION_MINUTES);
        self.now().saturating_add(minutes.saturating_mul(60_000))
    }

    // --- challenge responses ---

    /// Takes the challenge an answer is for, exactly once: the sealed state in its
    /// SECRET_BLOCK, or the stored session its Session names.
    async fn take_challenge(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        challenge: &str,
        session: Option<&str>,
        responses: &BTreeMap<String, String>,
    ) -> Result<Taken> {
        if Pending::sealed(challenge) {
            return self.take_sealed(pool, client, session, responses).await;
        }
        // DEVICE_SRP_AUTH after an SRP sign-in is found by its SRP_A when no Session comes.
        let derived = match (challenge, session) {
            ("DEVICE_SRP_AUTH", None) => responses
                .get("SRP_A")
                .and_then(|a| a_digest(a))
                .zip(device_key_in(responses))
                .map(|(a, key)| device_srp_session(&pool.id, &client.client_id, &key, &a)),
            _ => None,
        };
        let session = session.or(derived.as_deref()).ok_or_else(invalid_session)?;
        let record = self
            .store
            .take_session(&sha256_hex(session.as_bytes()))
            .await?
            .ok_or_else(invalid_session)?;
        if record.expires_ms <= self.now()
            || record.pool_id != pool.id
            || record.client_id != client.client_id
        {
            return Err(invalid_session());
        }
        let pending = serde_json::from_str(&record.state).map_err(|_| invalid_session())?;
        Ok(Taken {
            record,
            pending,
            sealed: false,
        })
    }

    /// Takes a sealed challenge: its SECRET_BLOCK (the SDKs send it as
    /// PASSWORD_CLAIM_SECRET_BLOCK and no Session) must open for this pool and client and be
    /// unexpired, and is spent by inserting its marker, which a second answer finds taken.
    async fn take_sealed(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        session: Option<&str>,
        responses: &BTreeMap<String, String>,
    ) -> Result<Taken> {
        let block = responses
            .get("PASSWORD_CLAIM_SECRET_BLOCK")
            .map(String::as_str)
            .filter(|b| !b.is_empty())
            .or(session)
            .ok_or_else(invalid_session)?;
        if session.is_some_and(|s| s != block) {
            return Err(invalid_session());
        }
        let sealed: SealedChallenge = base64::engine::general_purpose::STANDARD
            .decode(block)
            .ok()
            .and_then(|bytes| {
                self.master_key
                    .open_bytes(&bytes, &sealed_aad(&pool.id, &client.client_id))
                    .ok()
            })
            .and_then(|plain| serde_json::from_slice(&plain).ok())
            .ok_or_else(invalid_session)?;
        if sealed.expires_ms <= self.now() {
            return Err(invalid_session());
        }
        let record = AuthSessionRecord {
            id_hash: spent_marker(block),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            username_key: sealed.username_key,
            challenge: sealed.pending.challenge_name().to_string(),
            state: String::new(),
            expires_ms: sealed.expires_ms,
        };
        match self.store.put_session(&record).await {
            Ok(()) => Ok(Taken {
                record,
                pending: sealed.pending,
                sealed: true,
            }),
            Err(StoreError::Conflict(_) | StoreError::NotFound) => Err(invalid_session()),
            Err(e) => Err(e.into()),
        }
    }

    /// Puts a taken challenge back (the session, or the sealed block unspent), for a response
    /// the caller may correct and send again.
    async fn restore(&self, taken: &Taken) {
        let outcome = if taken.sealed {
            self.store
                .take_session(&taken.record.id_hash)
                .await
                .map(drop)
        } else {
            self.store.put_session(&taken.record).await
        };
        if let Err(e) = outcome {
            tracing::warn!(pool = %taken.record.pool_id, error = %e, "challenge not put back");
        }
    }

    /// Answers one challenge: takes it (once), checks it belongs to this client and challenge,
    /// and hands it to the challenge's step.
    async fn respond(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        challenge: &str,
        session: Option<&str>,
        responses: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        let username = param(responses, "USERNAME")?;
        check_secret_hash(
            client,
            username,
            responses.get("SECRET_HASH").map(String::as_str),
        )?;
        let taken = self
            .take_challenge(pool, client, challenge, session, responses)
            .await?;
        if taken.pending.challenge_name() != challenge {
            self.restore(&taken).await;
            return Err(Error::invalid(format!(
                "Incorrect challenge name: this session answers {}.",
                taken.pending.challenge_name()
            )));
        }
        // The user may be absent for challenges that hide whether a user exists.
        let (user, failures) = match self
            .store
            .get_user_signing_in(&pool.id, &taken.record.username_key)
            .await?
        {
            Some((user, failures)) => (Some(user), failures),
            None => (None, None),
        };
        // USERNAME must name the challenge's user (by username, alias or sub). The SDKs send
        // the USER_ID_FOR_SRP or USERNAME the challenge gave them, the user's own name, which
        // needs no lookup.
        let named = match &user {
            Some(u) if u.username == username => true,
            Some(u) => self
                .find_user(pool, username)
                .await?
                .is_some_and(|f| f.username_key == u.username_key),
            None => false,
        };
        match taken.pending.clone() {
            Pending::NewPasswordRequired { progress } => {
                let user = user.filter(|_| named).ok_or_else(invalid_session)?;
                let step = self
                    .answer_new_password(pool, client, user, progress, responses)
                    .await;
                if let Err(Error::InvalidPassword(_) | Error::InvalidParameter(_)) = &step {
                    self.restore(&taken).await;
                }
                step
            }
            Pending::PasswordVerifier {
                srp_key,
                verifier,
                mut progress,
            } => {
                let Claim {
                    block,
                    signature,
                    timestamp,
                } = claim(responses)?;
                // A user that does not exist (or no longer matches) fails like a wrong password.
                let Some(user) = user.filter(|_| named) else {
                    return Err(incorrect());
                };
                let gate = self.sign_in_gate(&user, failures)?;
                check_claim_time(self.now(), timestamp)?;
                // The device is named here (the SDKs send it with the claim); one that is not
                // the user's is refused before the claim counts, and the challenge goes back so
                // the same answer can come again without it.
                progress.device_key = device_key_in(responses);
                if let Some(key) = progress
                    .device_key
                    .as_deref()
                    .filter(|_| tracks_devices(pool))
                {
                    if let Err(e) = self.known_device(pool, &user, key).await {
                        self.restore(&taken).await;
                        return Err(e);
                    }
                }
                // The key was made from the verifier the user had then: a password changed
                // since is a wrong claim.
                let holds = verifier_tag(user.srp_verifier.as_deref()) == verifier
                    && claim_holds(
                        &srp_key,
                        cognate_crypto::srp::pool_name(&user.pool_id),
                        &user.username,
                        &block,
                        timestamp,
                        signature,
                    );
                if !holds {
                    return Err(self.first_factor_failed(pool, &user).await);
                }
                self.first_factor_passed(pool, client, user, gate, progress)
                    .await
            }
            Pending::DeviceSrpAuth { progress } => {
                let user = user.filter(|_| named).ok_or_else(invalid_session)?;
                let step = self
                    .answer_device_srp_auth(pool, client, user, failures, progress, responses)
                    .await;
                if let Err(Error::InvalidParameter(_)) = &step {
                    self.restore(&taken).await;
                }
                step
            }
            Pending::DevicePasswordVerifier {
                srp_key,
                verifier,
                mut progress,
            } => {
                let Claim {
                    block,
                    signature,
                    timestamp,
                } = claim(responses)?;
                let user = user.filter(|_| named).ok_or_else(invalid_session)?;
                let key = progress.device_key.clone().ok_or_else(invalid_session)?;
                if device_key_in(responses).is_some_and(|given| given != key) {
                    return Err(device_not_found());
                }
                self.sign_in_gate(&user, failures)?;
                check_claim_time(self.now(), timestamp)?;
                let device = self.known_device(pool, &user, &key).await?;
                let holds = verifier_tag(device.verifier.as_deref()) == verifier
                    && claim_holds(
                        &srp_key,
                        &device.device_group_key,
                        &device.device_key,
                        &block,
                        timestamp,
                        signature,
                    );
                // A wrong device proof is not a wrong password: the user's failure count (and
                // lockout) stays as it is.
                if !holds {
                    return Err(incorrect());
                }
                self.device_signed_in(&device).await?;
                progress.device_verified = true;
                self.continue_sign_in(pool, client, &user, progress).await
            }
        }
    }

    /// DEVICE_SRP_AUTH: DEVICE_KEY (the device the sign-in named) and SRP_A, answered with the
    /// DEVICE_PASSWORD_VERIFIER challenge (SALT, SRP_B, SECRET_BLOCK, USERNAME, DEVICE_KEY) for
    /// the device's verifier. Like PASSWORD_VERIFIER's, the new session's id is the
    /// SECRET_BLOCK.
    async fn answer_device_srp_auth(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: User,
        failures: Option<SignInFailures>,
        progress: Progress,
        responses: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        let key = progress.device_key.clone().ok_or_else(invalid_session)?;
        let given = param(responses, "DEVICE_KEY")?;
        let big_a = param(responses, "SRP_A")?;
        if given != key {
            return Err(device_not_found());
        }
        if !cognate_crypto::srp::acceptable_public(big_a) {
            return Err(Error::invalid("SRP_A is invalid."));
        }
        self.sign_in_gate(&user, failures)?;
        let device = self.known_device(pool, &user, &key).await?;
        let exchange = self.device_srp_exchange(&device, big_a.to_string()).await?;
        let parameters = BTreeMap::from([
            ("SALT".to_string(), exchange.salt_hex),
            ("SRP_B".to_string(), exchange.big_b_hex),
            ("USERNAME".to_string(), user.username.clone()),
            ("DEVICE_KEY".to_string(), key),
        ]);
        let pending = Pending::DevicePasswordVerifier {
            srp_key: exchange.key_hex,
            verifier: verifier_tag(device.verifier.as_deref()),
            progress,
        };
        self.open_challenge(pool, client, &user.username_key, pending, parameters)
            .await
    }

    /// NEW_PASSWORD_REQUIRED: NEW_PASSWORD (the pool's policy), and `userAttributes.<name>`
    /// for required attributes the user lacks and any others the client may write.
    async fn answer_new_password(
        &self,
        pool: &UserPool,
        client: &UserPoolClient,
        user: User,
        progress: Progress,
        responses: &BTreeMap<String, String>,
    ) -> Result<AuthOutput> {
        if !user.enabled {
            return Err(disabled());
        }
        if user.status != UserStatus::ForceChangePassword {
            return Err(invalid_session());
        }
        let new_password = param(responses, "NEW_PASSWORD")?.to_string();
        password::check(
            &pool.password_policy(),
            &new_password,
            PasswordUse::NewPassword,
        )?;
        let given: Vec<Attribute> = responses
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("userAttributes.").map(|name| Attribute {
                    name: name.to_string(),
                    value: v.clone(),
                })
            })
            .collect();
        if given.iter().any(|a| !writable(client, &a.name)) {
            return Err(unauthorized_attribute());
        }
        let changes = check_write(pool, &given, Write::Update)?;
        let mut preview = user.clone();
        apply_attributes(&mut preview, &changes);
        if let Some(name) = missing_required(pool, &preview).first() {
            return Err(Error::invalid(format!(
                "Invalid attributes given, {name} is missing"
            )));
        }
        let creds = self.credentials(&user, new_password).await?;
        let user = self
            .modify_resolved(user, &|u| {
                if u.status != UserStatus::ForceChangePassword {
                    return Err(invalid_session());
                }
                apply_attributes(u, &changes);
                creds.apply(u);
                u.status = UserStatus::Confirmed;
                u.temporary_password_expires_ms = None;
                Ok(())
            })
            .await?;
        self.continue_sign_in(pool, client, &user, progress).await
    }
}

/// Applies checked attribute writes: an empty value removes the attribute; a changed email or
/// phone number is no longer verified.
pub(crate) fn apply_attributes(user: &mut User, changes: &[Attribute]) {
    for a in changes {
        if a.value.is_empty() {
            user.set_attribute(&a.name, None);
            continue;
        }
        let changed = user.attribute(&a.name) != Some(a.value.as_str());
        user.set_attribute(&a.name, Some(a.value.clone()));
        let flag = match a.name.as_str() {
            "email" => Some("email_verified"),
            "phone_number" => Some("phone_number_verified"),
            _ => None,
        };
        if let Some(flag) = flag {
            if changed {
                user.set_attribute(flag, Some("false".into()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_starts_at_the_fifth_failure_and_doubles_to_fifteen_minutes() {
        assert_eq!(lock_for(1), 0);
        assert_eq!(lock_for(4), 0);
        assert_eq!(lock_for(5), 1_000);
        assert_eq!(lock_for(6), 2_000);
        assert_eq!(lock_for(7), 4_000);
        assert_eq!(lock_for(14), 512_000);
        assert_eq!(lock_for(15), MAX_LOCK_MS);
        assert_eq!(lock_for(1_000), MAX_LOCK_MS);
        assert_eq!(lock_for(i64::MAX), MAX_LOCK_MS);
    }

    #[test]
    fn pending_challenges_round_trip_through_the_session_state() {
        let progress = Progress {
            device_key: Some("us-east-1_dev".into()),
            device_verified: true,
            srp_a_digest: Some("0abc".into()),
        };
        let cases = [
            (
                Pending::NewPasswordRequired {
                    progress: progress.clone(),
                },
                "new_password_required",
                "NEW_PASSWORD_REQUIRED",
            ),
            (
                Pending::PasswordVerifier {
                    srp_key: "ab".into(),
                    verifier: "cd".into(),
                    progress: Progress::default(),
                },
                "password_verifier",
                "PASSWORD_VERIFIER",
            ),
            (
                Pending::DeviceSrpAuth {
                    progress: progress.clone(),
                },
                "device_srp_auth",
                "DEVICE_SRP_AUTH",
            ),
            (
                Pending::DevicePasswordVerifier {
                    srp_key: "ab".into(),
                    verifier: "cd".into(),
                    progress,
                },
                "device_password_verifier",
                "DEVICE_PASSWORD_VERIFIER",
            ),
        ];
        for (p, step, name) in cases {
            let text = serde_json::to_string(&p).unwrap();
            assert!(text.contains(&format!("\"step\":\"{step}\"")), "{text}");
            assert_eq!(serde_json::from_str::<Pending>(&text).unwrap(), p);
            assert_eq!(p.challenge_name(), name);
        }
        // Progress written before devices existed still reads.
        let old: Progress = serde_json::from_str(r#"{"device_key":"k"}"#).unwrap();
        assert!(!old.device_verified && old.srp_a_digest.is_none());
    }

    #[test]
    fn changing_an_email_unverifies_it() {
        let mut u = User {
            pool_id: "p".into(),
            username: "u".into(),
            username_key: "u".into(),
            sub: "s".into(),
            status: UserStatus::Confirmed,
            enabled: true,
            attributes: vec![
                Attribute {
                    name: "email".into(),
                    value: "a@x.io".into(),
                },
                Attribute {
                    name: "email_verified".into(),
                    value: "true".into(),
                },
            ],
            password_hash: None,
            temporary_password_expires_ms: None,
            created_ms: 0,
            modified_ms: 0,
            version: 0,
            srp_verifier: None,
        };
        apply_attributes(
            &mut u,
            &[Attribute {
                name: "email".into(),
                value: "a@x.io".into(),
            }],
        );
        assert_eq!(u.attribute("email_verified"), Some("true"));
        apply_attributes(
            &mut u,
            &[Attribute {
                name: "email".into(),
                value: "b@x.io".into(),
            }],
        );
        assert_eq!(u.attribute("email_verified"), Some("false"));
    }

    #[test]
    fn verification_flags_and_sub_are_never_writable() {
        let client = UserPoolClient {
            pool_id: "p".into(),
            client_id: "c".into(),
            name: "n".into(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            settings: Default::default(),
        };
        assert!(writable(&client, "name"));
        assert!(!writable(&client, "email_verified"));
        assert!(!writable(&client, "sub"));
        let mut limited = client.clone();
        limited.settings.write_attributes = Some(vec!["email".into()]);
        assert!(writable(&limited, "email"));
        assert!(!writable(&limited, "name"));
    }
}
