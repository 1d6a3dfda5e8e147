//! Small keyed and unkeyed digests: Cognito's `SECRET_HASH`, and the SHA-256 under which codes,
//! sessions and refresh tokens are stored so a database leak reveals none of them.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `Base64(HMAC-SHA256(key = client secret, message = username ‖ client id))`.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()) else {
        // HMAC takes keys of any length; this arm cannot be reached.
        return String::new();
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_matches_an_independent_hmac() {
        // Python: base64.b64encode(hmac.new(b"secret", b"alice" + b"client1", hashlib.sha256).digest())
        assert_eq!(
            secret_hash("secret", "alice", "client1"),
            "1f+jIZ5jrvd9T9LKNEBwDVXuGhIxTem62DTEPkKb29k="
        );
    }

    #[test]
    fn digests_and_comparison() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(constant_time_eq(b"same", b"same"));
        assert!(!constant_time_eq(b"same", b"diff"));
        assert!(!constant_time_eq(b"short", b"longer"));
    }
}
