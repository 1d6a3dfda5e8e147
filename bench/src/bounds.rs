//! The physical bounds of the flows on this machine: the cost of one password hash and of one
//! RS256 signature, measured with the same code the server runs, one call at a time on one core.

use std::time::Instant;

use anyhow::{Context, Result};
use cognate_crypto::jwt::SigningKey;
use cognate_crypto::password::{hash_password, verify_password};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub cores: usize,
    /// Seconds per `hash_password`.
    pub t_hash: f64,
    /// Seconds per `verify_password` (what a sign-in pays).
    pub t_verify: f64,
    /// Seconds per `SigningKey::sign` of a Cognito-sized token.
    pub t_sign: f64,
}

impl Bounds {
    /// Sign-in: one password verification and two tokens signed (ID and access).
    pub fn signin(&self) -> f64 {
        self.cores as f64 / (self.t_verify + 2.0 * self.t_sign)
    }

    /// Refresh: two tokens signed.
    pub fn refresh(&self) -> f64 {
        self.cores as f64 / (2.0 * self.t_sign)
    }

    /// Sign-up: one password hash.
    pub fn signup(&self) -> f64 {
        self.cores as f64 / self.t_hash
    }
}

/// ID-token claims as Cognito issues them for a user with an email.
fn id_claims() -> Value {
    let now = 1_750_000_000u64;
    json!({
        "sub": "0f6c2a8e-3c7d-4f5e-9b1a-2d4e6f8a0b1c",
        "email_verified": true,
        "iss": "http://127.0.0.1:9229/us-east-1_AbCdEfGhI",
        "cognito:username": "bench-user-000001",
        "origin_jti": "5c1b7e9a-4d2f-4a6b-8c3e-1f0a9b8d7c6e",
        "aud": "4k2n8p6r1t3v5x7z9b0d2f4h6j",
        "event_id": "a8f2c4e6-1b3d-4f5a-9c7e-0d2b4f6a8c1e",
        "token_use": "id",
        "auth_time": now,
        "exp": now + 3600,
        "iat": now,
        "jti": "7e9a1c3e-5b7d-4f9a-8c2e-4b6d8f0a2c4e",
        "email": "bench-user-000001@example.com"
    })
}

/// Mean seconds per call of `f`: `n` calls in each of 5 batches, the fastest batch's mean (so
/// another process that takes the core for a moment does not count as cost of the call).
fn mean_secs(n: u32, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            f()?;
        }
        best = best.min(start.elapsed().as_secs_f64() / f64::from(n));
    }
    Ok(best)
}

pub fn measure() -> Result<Bounds> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let password = "Bench-pass-1";

    // Warm up caches and the allocator, then measure.
    let phc = hash_password(password).context("hash_password")?;
    let t_hash = mean_secs(8, || {
        hash_password(password).context("hash_password")?;
        Ok(())
    })?;
    let t_verify = mean_secs(8, || {
        anyhow::ensure!(verify_password(password, &phc), "verify_password said no");
        Ok(())
    })?;

    let key = SigningKey::generate("bench").context("generating an RSA key")?;
    let claims = id_claims();
    for _ in 0..20 {
        std::hint::black_box(key.sign(&claims));
    }
    let t_sign = mean_secs(100, || {
        std::hint::black_box(key.sign(&claims));
        Ok(())
    })?;
    Ok(Bounds {
        cores,
        t_hash,
        t_verify,
        t_sign,
    })
}
