//! Envelope encryption of secrets at rest (signing keys, and later TOTP seeds, client secrets,
//! SRP verifiers) under the server's master key.
//!
//! AES-256-GCM with a fresh random 96-bit nonce per message, so one master key can seal far more
//! secrets than a server will ever hold (NIST SP 800-38D §8.3 bounds random nonces at 2³²
//! messages per key). The sealed form is text so it fits any column:
//! `v1:` + base64(nonce ‖ ciphertext ‖ tag). The version prefix leaves room for a later format
//! (say, one naming which of several master keys sealed it) without guessing.
//!
//! Callers pass *associated data* naming where the secret belongs (e.g. `pool/kid`): it is
//! authenticated but not stored, so a sealed value copied into another row fails to open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

/// Length of a master key in bytes.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const PREFIX: &str = "v1:";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretBoxError {
    #[error("a master key is {KEY_LEN} bytes, not {0}")]
    KeyLength(usize),
    #[error("not a sealed value of a known version")]
    Format,
    #[error("the value does not open with this master key (wrong key, or altered)")]
    Open,
    #[error("the value is too long to seal")]
    Seal,
}

/// The key that seals every other secret. `Debug` does not print it.
#[derive(Clone)]
pub struct MasterKey {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SecretBoxError> {
        if bytes.len() != KEY_LEN {
            return Err(SecretBoxError::KeyLength(bytes.len()));
        }
        Ok(MasterKey {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)),
        })
    }

    /// Fresh key material from the operating system's CSPRNG, e.g. for a new key file.
    pub fn random_bytes() -> [u8; KEY_LEN] {
        let mut bytes = [0u8; KEY_LEN];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        bytes
    }

    /// A random key that lives only as long as the process: for tests and tools that keep
    /// nothing. What it seals cannot be opened after a restart.
    pub fn ephemeral() -> Self {
        let bytes = Self::random_bytes();
        MasterKey {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
        }
    }

    /// Seals `plaintext`, binding it to `aad` (which must be given again to open it).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<String, SecretBoxError> {
        Ok(format!(
            "{PREFIX}{}",
            STANDARD.encode(self.seal_bytes(plaintext, aad)?)
        ))
    }

    /// Opens what [`seal`](Self::seal) produced with the same `aad`.
    pub fn open(&self, sealed: &str, aad: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let body = sealed.strip_prefix(PREFIX).ok_or(SecretBoxError::Format)?;
        let bytes = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| SecretBoxError::Format)?;
        self.open_bytes(&bytes, aad)
    }

    /// [`seal`](Self::seal) without the text form: `nonce ‖ ciphertext ‖ tag`, for values
    /// whose container has a format of its own (a challenge's SECRET_BLOCK is plain base64).
    pub fn seal_bytes(&self, plaintext: &[u8], aad: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption fails only for messages beyond GCM's limit (64 GiB).
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| SecretBoxError::Seal)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens what [`seal_bytes`](Self::seal_bytes) produced with the same `aad`.
    pub fn open_bytes(&self, bytes: &[u8], aad: &[u8]) -> Result<Vec<u8>, SecretBoxError> {
        if bytes.len() < NONCE_LEN + TAG_LEN {
            return Err(SecretBoxError::Format);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad,
                },
            )
            .map_err(|_| SecretBoxError::Open)
    }
}

/// True for text that looks sealed by this module (any version), for callers that must tell
/// sealed values from legacy plaintext.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_the_same_key_and_context() {
        let key = MasterKey::from_bytes(&[7u8; KEY_LEN]).unwrap();
        let sealed = key
            .seal(b"-----BEGIN PRIVATE KEY-----", b"pool/kid")
            .unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("PRIVATE"));
        assert_eq!(
            key.open(&sealed, b"pool/kid").unwrap(),
            b"-----BEGIN PRIVATE KEY-----"
        );
        // A fresh nonce each time: sealing twice gives different text.
        let again = key
            .seal(b"-----BEGIN PRIVATE KEY-----", b"pool/kid")
            .unwrap();
        assert_ne!(sealed, again);
    }

    #[test]
    fn wrong_key_context_or_tampering_fails() {
        let key = MasterKey::from_bytes(&[7u8; KEY_LEN]).unwrap();
        let sealed = key.seal(b"secret", b"a").unwrap();
        assert_eq!(key.open(&sealed, b"b"), Err(SecretBoxError::Open));
        let other = MasterKey::ephemeral();
        assert_eq!(other.open(&sealed, b"a"), Err(SecretBoxError::Open));

        let mut bytes = STANDARD.decode(&sealed[3..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("v1:{}", STANDARD.encode(bytes));
        assert_eq!(key.open(&altered, b"a"), Err(SecretBoxError::Open));

        assert_eq!(key.open("secret", b"a"), Err(SecretBoxError::Format));
        assert_eq!(key.open("v1:!!", b"a"), Err(SecretBoxError::Format));
        assert_eq!(key.open("v1:AAAA", b"a"), Err(SecretBoxError::Format));
    }

    #[test]
    fn the_byte_form_opens_like_the_text_form() {
        let key = MasterKey::from_bytes(&[9u8; KEY_LEN]).unwrap();
        let sealed = key.seal_bytes(b"state", b"ctx").unwrap();
        assert_eq!(sealed.len(), NONCE_LEN + 5 + TAG_LEN);
        assert_eq!(key.open_bytes(&sealed, b"ctx").unwrap(), b"state");
        // The text form is the same bytes under its prefix.
        let text = format!("v1:{}", STANDARD.encode(&sealed));
        assert_eq!(key.open(&text, b"ctx").unwrap(), b"state");
        assert_eq!(key.open_bytes(&sealed, b"other"), Err(SecretBoxError::Open));
        let mut altered = sealed.clone();
        altered[NONCE_LEN] ^= 1;
        assert_eq!(key.open_bytes(&altered, b"ctx"), Err(SecretBoxError::Open));
        assert_eq!(
            key.open_bytes(&sealed[..NONCE_LEN + TAG_LEN - 1], b"ctx"),
            Err(SecretBoxError::Format)
        );
    }

    #[test]
    fn keys_must_be_32_bytes_and_do_not_debug_print() {
        assert_eq!(
            MasterKey::from_bytes(&[1u8; 16]).unwrap_err(),
            SecretBoxError::KeyLength(16)
        );
        let key = MasterKey::from_bytes(&MasterKey::random_bytes()).unwrap();
        assert_eq!(format!("{key:?}"), "MasterKey(..)");
    }
}
