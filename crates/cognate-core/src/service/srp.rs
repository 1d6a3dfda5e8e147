//! SRP for USER_SRP_AUTH: the verifier stored with every password, and the server's two SRP
//! steps (the math is `cognate_crypto::srp`), which device authentication (DEVICE_SRP_AUTH,
//! `devices.rs`) reuses with the device's verifier and names. The sign-in itself —
//! PASSWORD_VERIFIER as a first factor of the one challenge state machine — is in `auth.rs`.
//!
//! - Every path that sets a password calls [`Service::credentials`], which computes the argon2
//!   hash and the SRP verifier together on the CPU pool. The verifier is stored as
//!   "salt_hex:verifier_hex" sealed with the master key, bound to the pool and user, so a copied
//!   or altered value does not open.
//! - The server's secret b lives only in the challenge session (sealed with the master key);
//!   the SECRET_BLOCK handed to the client is the session's random id, so it is authenticated
//!   by its presence in the store, expires with the session and is taken exactly once.
//! - The TIMESTAMP of a claim must read as Cognito's format and lie within
//!   [`MAX_CLOCK_SKEW_MS`] of the server's clock ([`check_claim_time`]); it is signed, so a
//!   captured answer cannot be made fresh again.

use std::sync::OnceLock;

use cognate_crypto::srp;

use super::Service;
use crate::model::User;
use crate::{Error, Result};

/// A password's stored forms, computed together: put them on the user with [`Self::apply`].
#[derive(Debug, Clone)]
pub(crate) struct Credentials {
    hash: String,
    srp_verifier: Option<String>,
}

impl Credentials {
    pub(crate) fn apply(&self, user: &mut User) {
        user.password_hash = Some(self.hash.clone());
        user.srp_verifier = self.srp_verifier.clone();
    }
}

fn verifier_aad(pool_id: &str, username_key: &str) -> Vec<u8> {
    format!("srp-verifier/{pool_id}/{username_key}").into_bytes()
}

fn b_aad(pool_id: &str, username_key: &str) -> Vec<u8> {
    format!("srp-b/{pool_id}/{username_key}").into_bytes()
}

/// A verifier for users that do not exist, so their challenge costs what a real one costs.
fn dummy_verifier() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| srp::make_verifier("cognate", "no-such-user", "no-such-password").1)
}

/// A per-process key for the salts shown for users that do not exist (stable for a name, so
/// asking twice does not reveal that the user is made up).
fn dummy_salt_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(cognate_crypto::secretbox::MasterKey::random_bytes)
}

/// How far a claim's TIMESTAMP may be from the server's clock, either way.
pub(crate) const MAX_CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;

/// Checks a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER TIMESTAMP against the server's clock
/// (`now_ms`): unreadable, or more than [`MAX_CLOCK_SKEW_MS`] away, is `NotAuthorizedException`.
pub(crate) fn check_claim_time(now_ms: i64, timestamp: &str) -> Result<()> {
    let Some(t) = srp::parse_timestamp(timestamp) else {
        return Err(Error::NotAuthorized(
            "TIMESTAMP is not in the expected format.".into(),
        ));
    };
    let at_ms = i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
    if at_ms.abs_diff(now_ms) > MAX_CLOCK_SKEW_MS.unsigned_abs() {
        return Err(Error::NotAuthorized(
            "TIMESTAMP is too far from the server's time.".into(),
        ));
    }
    Ok(())
}

/// A claim to check: the server's side of one SRP exchange and the client's answer.
#[derive(Debug, Clone)]
pub(crate) struct SrpClaim {
    pub verifier_hex: String,
    /// b, sealed with the master key under `b_aad`.
    pub b_sealed: String,
    pub b_aad: Vec<u8>,
    pub big_a_hex: String,
    pub big_b_hex: String,
    /// The pool name, or the device group key.
    pub realm: String,
    /// USER_ID_FOR_SRP, or the device key.
    pub identity: String,
    pub secret_block: Vec<u8>,
    pub timestamp: String,
    pub signature: String,
}

/// The server's first SRP step, ready for the challenge.
#[derive(Debug, Clone)]
pub(crate) struct SrpStart {
    pub salt_hex: String,
    pub big_b_hex: String,
    /// b, sealed with the master key.
    pub b_sealed: String,
}

impl Service {
    /// The argon2id hash and the sealed SRP verifier of `password` for `user` (its pool,
    /// username and username key must be set), on the CPU pool.
    pub(crate) async fn credentials(&self, user: &User, password: String) -> Result<Credentials> {
        let master = self.master_key.clone();
        let pool_id = user.pool_id.clone();
        let username = user.username.clone();
        let aad = verifier_aad(&user.pool_id, &user.username_key);
        self.cpu
            .run(move || -> Result<Credentials> {
                let hash =
                    cognate_crypto::password::hash_password(&password).map_err(Error::internal)?;
                let (salt, v) = srp::make_verifier(srp::pool_name(&pool_id), &username, &password);
                let sealed = master
                    .seal(format!("{salt}:{v}").as_bytes(), &aad)
                    .map_err(Error::internal)?;
                Ok(Credentials {
                    hash,
                    srp_verifier: Some(sealed),
                })
            })
            .await?
    }

    /// After a password sign-in of a user without a verifier (a password set before SRP
    /// existed): stores one, so SRP works for them from now on. Best effort and leaves the
    /// modification date alone; a concurrent write wins and the next sign-in tries again.
    pub(crate) async fn backfill_verifier(&self, user: User, password: String) -> User {
        if user.srp_verifier.is_some() || user.password_hash.is_none() {
            return user;
        }
        let master = self.master_key.clone();
        let pool_id = user.pool_id.clone();
        let username = user.username.clone();
        let aad = verifier_aad(&user.pool_id, &user.username_key);
        let sealed = self
            .cpu
            .run(move || {
                let (salt, v) = srp::make_verifier(srp::pool_name(&pool_id), &username, &password);
                master.seal(format!("{salt}:{v}").as_bytes(), &aad)
            })
            .await;
        let Ok(Ok(sealed)) = sealed else {
            return user;
        };
        let mut next = user.clone();
        next.srp_verifier = Some(sealed);
        next.version = user.version.saturating_add(1);
        match self.store.update_user(&next, user.version).await {
            Ok(()) => next,
            Err(e) => {
                tracing::debug!(pool = %user.pool_id, error = %e, "SRP verifier not backfilled");
                user
            }
        }
    }

    /// The user's `(salt_hex, verifier_hex)`, if they have one that opens.
    pub(crate) fn srp_verifier(&self, user: &User) -> Option<(String, String)> {
        let sealed = user.srp_verifier.as_deref()?;
        let plain = self
            .master_key
            .open(sealed, &verifier_aad(&user.pool_id, &user.username_key))
            .map_err(|e| {
                tracing::warn!(pool = %user.pool_id, error = %e, "SRP verifier does not open");
            })
            .ok()?;
        let text = String::from_utf8(plain).ok()?;
        let (salt, v) = text.split_once(':')?;
        Some((salt.to_string(), v.to_string()))
    }

    /// B (and the sealed b) for a verifier, on the CPU pool. `None` as the verifier stands in
    /// for a user that does not exist, named `username`: the salt is made up and the work is
    /// the same.
    pub(crate) async fn srp_start(
        &self,
        pool_id: &str,
        username_key: &str,
        verifier: Option<(String, String)>,
    ) -> Result<SrpStart> {
        let (salt_hex, v) = match verifier {
            Some(pair) => pair,
            None => {
                let mut keyed = dummy_salt_key().to_vec();
                keyed.extend_from_slice(format!("{pool_id}/{username_key}").as_bytes());
                let digest = cognate_crypto::digest::sha256_hex(&keyed);
                let salt = padded_salt(&digest[..srp::SALT_BYTES * 2]);
                (salt, dummy_verifier().to_string())
            }
        };
        self.srp_server_start(salt_hex, v, b_aad(pool_id, username_key))
            .await
    }

    /// B for verifier `v` (hex), and b sealed under `aad`, on the CPU pool.
    pub(crate) async fn srp_server_start(
        &self,
        salt_hex: String,
        v: String,
        aad: Vec<u8>,
    ) -> Result<SrpStart> {
        let master = self.master_key.clone();
        self.cpu
            .run(move || -> Result<SrpStart> {
                let (b, big_b) = srp::server_start(&v).map_err(Error::internal)?;
                let b_sealed = master.seal(b.as_bytes(), &aad).map_err(Error::internal)?;
                Ok(SrpStart {
                    salt_hex,
                    big_b_hex: big_b,
                    b_sealed,
                })
            })
            .await?
    }

    /// The server's second step: whether the client's PASSWORD_CLAIM_SIGNATURE proves it knows
    /// the password behind `user`'s verifier. Any malformed part is a wrong claim.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn srp_claim_holds(
        &self,
        user: &User,
        big_a_hex: String,
        b_sealed: &str,
        big_b_hex: String,
        secret_block: Vec<u8>,
        timestamp: String,
        signature: String,
    ) -> Result<bool> {
        let Some((_, v)) = self.srp_verifier(user) else {
            return Ok(false);
        };
        self.srp_claim_verifies(SrpClaim {
            verifier_hex: v,
            b_sealed: b_sealed.to_string(),
            b_aad: b_aad(&user.pool_id, &user.username_key),
            big_a_hex,
            big_b_hex,
            realm: srp::pool_name(&user.pool_id).to_string(),
            identity: user.username.clone(),
            secret_block,
            timestamp,
            signature,
        })
        .await
    }

    /// Whether a PASSWORD_CLAIM_SIGNATURE proves knowledge of the secret behind the claim's
    /// verifier, on the CPU pool. Any malformed part is a wrong claim.
    pub(crate) async fn srp_claim_verifies(&self, claim: SrpClaim) -> Result<bool> {
        let Ok(b) = self.master_key.open(&claim.b_sealed, &claim.b_aad) else {
            return Ok(false);
        };
        let Ok(b) = String::from_utf8(b) else {
            return Ok(false);
        };
        self.cpu
            .run(move || {
                match srp::server_key(&claim.verifier_hex, &claim.big_a_hex, &b, &claim.big_b_hex) {
                    Ok(key) => srp::verify_claim(
                        &key,
                        &claim.realm,
                        &claim.identity,
                        &claim.secret_block,
                        &claim.timestamp,
                        &claim.signature,
                    ),
                    Err(_) => false,
                }
            })
            .await
    }
}

/// A salt in the padded hex form clients read back unchanged.
fn padded_salt(hex: &str) -> String {
    srp::parse_hex(hex).map_or_else(|_| hex.to_string(), |n| srp::pad_hex(&n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        let t = srp::parse_timestamp(text).unwrap();
        (t.unix_timestamp_nanos() / 1_000_000) as i64
    }

    #[test]
    fn claim_times_must_parse_and_be_within_five_minutes() {
        let now = at("Thu Nov 26 17:10:19 UTC 2026");
        assert_eq!(
            check_claim_time(now, "Thu Nov 26 17:10:19 UTC 2026"),
            Ok(())
        );
        assert_eq!(
            check_claim_time(now, "Thu Nov 26 17:15:19 UTC 2026"),
            Ok(())
        );
        assert_eq!(
            check_claim_time(now, "Thu Nov 26 17:05:19 UTC 2026"),
            Ok(())
        );
        for late_or_early in [
            "Thu Nov 26 17:15:20 UTC 2026",
            "Thu Nov 26 17:05:18 UTC 2026",
        ] {
            assert!(matches!(
                check_claim_time(now, late_or_early),
                Err(Error::NotAuthorized(m)) if m.contains("too far")
            ));
        }
        for bad in ["", "2026-11-26T17:10:19Z", "Thu Nov 26 17:10:19 UTC 2026 x"] {
            assert!(matches!(
                check_claim_time(now, bad),
                Err(Error::NotAuthorized(m)) if m.contains("format")
            ));
        }
    }
}
