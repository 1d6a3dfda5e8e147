//! RS256 JSON Web Tokens (RFC 7515/7519) and JSON Web Keys (RFC 7517), as Cognito issues them:
//! 2048-bit RSA keys named by `kid`, compact serialisation, base64url without padding.
//!
//! Signing is CPU-heavy (a 2048-bit private-key operation); callers run it on the engine's
//! CPU pool. Verification here is for the server's own tokens: it checks the signature and
//! the `alg`, and leaves claims (expiry, audience, revocation) to the caller.
//!
//! Keys are generated and stored (PKCS#8) with the `rsa` crate; the private- and public-key
//! operations themselves run in `ring`, whose assembly Montgomery multiplication signs about
//! three times faster than `rsa`'s portable big-integer code, and which blinds every
//! private-key operation.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{
    RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};

pub const KEY_BITS: usize = 2048;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    #[error("key error: {0}")]
    Key(String),
    #[error("malformed token")]
    Malformed,
    #[error("unsupported algorithm")]
    Algorithm,
    #[error("unknown key id")]
    UnknownKey,
    #[error("invalid signature")]
    Signature,
}

/// A private signing key with its key id. `Debug` shows only the id.
#[derive(Clone)]
pub struct SigningKey {
    pub kid: String,
    private: RsaPrivateKey,
    signer: Arc<RsaKeyPair>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish()
    }
}

impl SigningKey {
    pub fn generate(kid: impl Into<String>) -> Result<Self, JwtError> {
        let private = RsaPrivateKey::new(&mut rand::rngs::OsRng, KEY_BITS)
            .map_err(|e| JwtError::Key(e.to_string()))?;
        Self::from_private(kid.into(), private)
    }

    fn from_private(kid: String, private: RsaPrivateKey) -> Result<Self, JwtError> {
        let der = private
            .to_pkcs8_der()
            .map_err(|e| JwtError::Key(e.to_string()))?;
        let signer =
            RsaKeyPair::from_pkcs8(der.as_bytes()).map_err(|e| JwtError::Key(e.to_string()))?;
        Ok(SigningKey {
            kid,
            private,
            signer: Arc::new(signer),
        })
    }

    /// PKCS#8 PEM of the private key, for storage (encrypt it at rest).
    pub fn to_pem(&self) -> Result<String, JwtError> {
        self.private
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| JwtError::Key(e.to_string()))
    }

    pub fn from_pem(kid: impl Into<String>, pem: &str) -> Result<Self, JwtError> {
        let private =
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| JwtError::Key(e.to_string()))?;
        Self::from_private(kid.into(), private)
    }

    pub fn public(&self) -> PublicKey {
        PublicKey {
            kid: self.kid.clone(),
            n: self.private.n().to_bytes_be(),
            e: self.private.e().to_bytes_be(),
        }
    }

    /// Signs `claims` into a compact JWS with header `{"alg":"RS256","kid":..}`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.signer.public().modulus_len()];
        // Signing fails only if the output buffer has the wrong length or the system random
        // source fails; neither can be recovered from, and a token must never go out unsigned.
        #[allow(clippy::expect_used)]
        self.signer
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .expect("RSA signing with a well-formed key");
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }
}

/// A public key as published in the JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub kid: String,
    /// Modulus, big-endian without leading zeros.
    n: Vec<u8>,
    /// Public exponent, big-endian without leading zeros.
    e: Vec<u8>,
}

impl PublicKey {
    /// The JWK: `{"kty":"RSA","alg":"RS256","use":"sig","kid","n","e"}`.
    pub fn jwk(&self) -> Value {
        json!({
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&self.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "use": "sig",
        })
    }
}

/// Checks a compact RS256 token against the key its header names; returns the claims.
pub fn verify<'k>(
    token: &str,
    lookup: impl Fn(&str) -> Option<&'k PublicKey>,
) -> Result<Value, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let decode = |part: &str| {
        URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| JwtError::Malformed)
    };
    let header: Value = serde_json::from_slice(&decode(h)?).map_err(|_| JwtError::Malformed)?;
    if header["alg"] != "RS256" {
        return Err(JwtError::Algorithm);
    }
    let kid = header["kid"].as_str().ok_or(JwtError::Malformed)?;
    let key = lookup(kid).ok_or(JwtError::UnknownKey)?;
    let signature = decode(s)?;
    let signing_input = &token[..h.len() + 1 + c.len()];
    RsaPublicKeyComponents {
        n: &key.n,
        e: &key.e,
    }
    .verify(
        &RSA_PKCS1_2048_8192_SHA256,
        signing_input.as_bytes(),
        &signature,
    )
    .map_err(|_| JwtError::Signature)?;
    serde_json::from_slice(&decode(c)?).map_err(|_| JwtError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampering_fails() {
        let key = SigningKey::generate("k1").unwrap();
        let public = key.public();
        let claims = json!({ "sub": "abc", "token_use": "access" });
        let token = key.sign(&claims);
        assert_eq!(token.split('.').count(), 3);
        let lookup = |kid: &str| (kid == "k1").then_some(&public);
        assert_eq!(verify(&token, lookup).unwrap(), claims);

        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({ "sub": "mallory" }).to_string());
        parts[1] = &forged;
        assert_eq!(verify(&parts.join("."), lookup), Err(JwtError::Signature));
        assert_eq!(verify("a.b", lookup), Err(JwtError::Malformed));

        let other = SigningKey::generate("k2").unwrap().sign(&claims);
        assert_eq!(verify(&other, lookup), Err(JwtError::UnknownKey));
    }

    #[test]
    fn signatures_verify_with_an_independent_rsa_implementation() {
        use rsa::pkcs1v15::{Signature, VerifyingKey};
        use rsa::signature::Verifier;
        let key = SigningKey::generate("k1").unwrap();
        let token = key.sign(&json!({ "sub": "abc" }));
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = Signature::try_from(URL_SAFE_NO_PAD.decode(sig).unwrap().as_slice()).unwrap();
        let verifier = VerifyingKey::<sha2::Sha256>::new(key.private.to_public_key());
        assert!(verifier.verify(input.as_bytes(), &sig).is_ok());
        assert!(verifier.verify(b"other input", &sig).is_err());
    }

    #[test]
    fn keys_survive_pem_and_publish_as_jwk() {
        let key = SigningKey::generate("kid-1").unwrap();
        let again = SigningKey::from_pem("kid-1", &key.to_pem().unwrap()).unwrap();
        assert_eq!(key.public(), again.public());
        let jwk = key.public().jwk();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["e"], "AQAB");
        // 2048-bit modulus: 256 bytes, 342 base64url characters.
        assert_eq!(jwk["n"].as_str().unwrap().len(), 342);
    }

    #[test]
    fn none_algorithm_is_refused() {
        let public = SigningKey::generate("k").unwrap().public();
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k"}"#);
        let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"x"}"#);
        let token = format!("{header}.{claims}.");
        assert_eq!(verify(&token, |_| Some(&public)), Err(JwtError::Algorithm));
    }
}
