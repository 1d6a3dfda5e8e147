//! SRP for USER_SRP_AUTH: the verifier stored with every password, and the server's two SRP
//! steps (the math is `cognate_crypto::srp`), which device authentication (DEVICE_SRP_AUTH,
//! `devices.rs`) reuses with the device's verifier and names. The sign-in itself —
//! PASSWORD_VERIFIER as a first factor of the one challenge state machine — is in `auth.rs`.
//!
//! - Every path that sets a password calls [`Service::credentials`], which computes the argon2
//!   hash and the SRP verifier together on the CPU pool. The verifier is stored as
//!   "salt_hex:verifier_hex" sealed with the master key, bound to the pool and user, so a copied
//!   or altered value does not open.
//! - The server's whole SRP exchange runs when the challenge is issued, in one CPU-pool job:
//!   A is known then, so B, S and the key a right claim is signed with are computed together
//!   and b is dropped with the job. The challenge keeps only that key (with a tag of the
//!   verifier it came from), sealed into the SECRET_BLOCK (`auth.rs`), so the answer is one
//!   HMAC and a password changed meanwhile makes the claim fail.
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

/// The server's side of one SRP exchange, done when the challenge is issued.
#[derive(Debug, Clone)]
pub(crate) struct SrpExchange {
    pub salt_hex: String,
    pub big_b_hex: String,
    /// The key a right PASSWORD_CLAIM_SIGNATURE is made with, hex.
    pub key_hex: String,
}

/// A short digest of a sealed verifier, kept with an exchange's key: the claim is refused when
/// the verifier changed (a new password) between the challenge and the answer.
pub(crate) fn verifier_tag(sealed: Option<&str>) -> String {
    let digest = cognate_crypto::digest::sha256_hex(sealed.unwrap_or_default().as_bytes());
    digest[..32].to_string()
}

/// Whether a PASSWORD_CLAIM_SIGNATURE (or the device form) is right for the exchange's key
/// (hex, as [`SrpExchange::key_hex`]). A malformed key is a wrong claim.
pub(crate) fn claim_holds(
    key_hex: &str,
    realm: &str,
    identity: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature: &str,
) -> bool {
    let mut key = [0u8; 16];
    if hex::decode_to_slice(key_hex, &mut key).is_err() {
        return false;
    }
    srp::verify_claim(&key, realm, identity, secret_block, timestamp, signature)
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

    /// The exchange for a user's verifier and the client's A, on the CPU pool. `None` as the
    /// verifier stands in for a user that does not exist, named `username_key`: the salt is
    /// made up and the work is the same.
    pub(crate) async fn srp_exchange(
        &self,
        pool_id: &str,
        username_key: &str,
        verifier: Option<(String, String)>,
        big_a: String,
    ) -> Result<SrpExchange> {
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
        self.srp_server_exchange(salt_hex, v, big_a).await
    }

    /// The server's two SRP steps for verifier `v` (hex) and the client's A, on the CPU pool:
    /// B, and the key S gives. An A the exchange cannot use is `InvalidParameterException`.
    pub(crate) async fn srp_server_exchange(
        &self,
        salt_hex: String,
        v: String,
        big_a: String,
    ) -> Result<SrpExchange> {
        self.cpu
            .run(move || -> Result<SrpExchange> {
                let (b, big_b) = srp::server_start(&v).map_err(Error::internal)?;
                let key = srp::server_key(&v, &big_a, &b, &big_b)
                    .map_err(|_| Error::invalid("SRP_A is invalid."))?;
                Ok(SrpExchange {
                    salt_hex,
                    big_b_hex: big_b,
                    key_hex: hex::encode(key),
                })
            })
            .await?
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
