//! What sign-in leaves behind: signing keys, one-time codes, challenge sessions, refresh
//! tokens, failed-attempt counters. Secrets among them are stored only as hashes, except the
//! signing keys, which are stored as PEM (to be encrypted at rest with the master key).

use serde::{Deserialize, Serialize};

/// One RSA key of a pool. `use_for` is `"id"` or `"access"`: Cognito signs the two token kinds
/// with different keys. The newest key of each use signs; older ones stay published until
/// `retire_after_ms`, when no token they signed can still be valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    pub pool_id: String,
    pub kid: String,
    pub use_for: String,
    pub private_pem: String,
    pub created_ms: i64,
    pub retire_after_ms: Option<i64>,
}

/// A one-time code (sign-up confirmation, password reset, attribute verification).
/// `purpose` is e.g. `signup`, `forgot_password`, `verify:email`, `verify:phone_number`.
/// Only one code per (pool, user, purpose) exists: issuing a new one replaces the old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub pool_id: String,
    pub username_key: String,
    pub purpose: String,
    /// SHA-256 of the code, hex.
    pub code_hash: String,
    pub created_ms: i64,
    pub expires_ms: i64,
    /// Wrong guesses so far.
    pub attempts: i64,
}

/// The state between two steps of a sign-in (`Session` in the API). The id is random and
/// stored hashed; `state` is the flow's own JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSessionRecord {
    pub id_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub username_key: String,
    pub challenge: String,
    pub state: String,
    pub expires_ms: i64,
}

/// A refresh token, stored by the SHA-256 of its value. `origin_jti` ties it to every access
/// and ID token issued from it, so revoking it revokes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshTokenRecord {
    pub token_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub username_key: String,
    pub sub: String,
    pub origin_jti: String,
    pub device_key: Option<String>,
    pub auth_time: i64,
    pub issued_ms: i64,
    pub expires_ms: i64,
    pub revoked_ms: Option<i64>,
    /// When the token was exchanged for a successor (refresh-token rotation); it is refused
    /// once the client's retry grace period after this moment has passed.
    pub rotated_ms: Option<i64>,
}

/// Failed sign-ins of one user, for the growing lockout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInFailures {
    pub failures: i64,
    pub locked_until_ms: i64,
}
