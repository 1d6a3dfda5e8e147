//! The physical bounds of the flows on this machine: the cost of one password hash and of one
//! RS256 signature, measured with the same code the server runs, one call at a time on one core.

use std::time::Instant;

use anyhow::{Context, Result};
use cognate_crypto::jwt::SigningKey;
use cognate_crypto::password::{hash_password, verify_password};
use cognate_crypto::srp;
use serde_json::{json, Value};

/// What one call of a primitive costs, measured two ways.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// Seconds per call, one call at a time on an otherwise idle machine.
    pub one: f64,
    /// Seconds of a core per call while every core runs the primitive at once (wall time of
    /// `n` calls on each of `cores` threads, divided by `n`): what the machine can really
    /// sustain, since cores share caches and memory bandwidth (argon2id's 19 MiB blocks
    /// especially).
    pub all: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub cores: usize,
    /// `hash_password`.
    pub t_hash: Cost,
    /// `verify_password` (what a sign-in pays).
    pub t_verify: Cost,
    /// `SigningKey::sign` of a Cognito-sized token.
    pub t_sign: Cost,
    /// The server's arithmetic of one USER_SRP_AUTH sign-in: `srp::server_start` (B from the
    /// user's verifier) and `srp::server_key` (S and the HKDF from the client's A).
    pub t_srp: Cost,
}

impl Bounds {
    /// The same costs for a server given `cores` of the machine's cores (the costs stay those
    /// measured with every core busy: the load generator keeps the others busy).
    pub fn on_cores(self, cores: usize) -> Bounds {
        Bounds { cores, ..self }
    }

    /// Sign-in: one password verification and two tokens signed (ID and access).
    pub fn signin(&self) -> f64 {
        self.cores as f64 / (self.t_verify.all + 2.0 * self.t_sign.all)
    }

    /// SRP sign-in: the server's SRP arithmetic and two tokens signed.
    pub fn srp_signin(&self) -> f64 {
        self.cores as f64 / (self.t_srp.all + 2.0 * self.t_sign.all)
    }

    /// Refresh: two tokens signed.
    pub fn refresh(&self) -> f64 {
        self.cores as f64 / (2.0 * self.t_sign.all)
    }

    /// Sign-up: one password hash.
    pub fn signup(&self) -> f64 {
        self.cores as f64 / self.t_hash.all
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

/// Seconds per call of `f`, both ways ([`Cost`]): `n` calls per thread in each of 5 batches,
/// the fastest batch (so another process that takes a core for a moment does not count as cost
/// of the call).
fn cost(cores: usize, n: u32, f: impl Fn() -> Result<()> + Sync) -> Result<Cost> {
    let batch = |threads: usize| -> Result<f64> {
        let start = Instant::now();
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| -> Result<()> {
                        for _ in 0..n {
                            f()?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for w in workers {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a measuring thread panicked"))??;
            }
            Ok::<(), anyhow::Error>(())
        })?;
        Ok(start.elapsed().as_secs_f64() / f64::from(n))
    };
    let best = |threads: usize| -> Result<f64> {
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            best = best.min(batch(threads)?);
        }
        Ok(best)
    };
    Ok(Cost {
        one: best(1)?,
        all: best(cores)?,
    })
}

pub fn measure() -> Result<Bounds> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let password = "Bench-pass-1";

    // Warm up caches and the allocator, then measure.
    let phc = hash_password(password).context("hash_password")?;
    let t_hash = cost(cores, 8, || {
        hash_password(password).context("hash_password")?;
        Ok(())
    })?;
    let t_verify = cost(cores, 8, || {
        anyhow::ensure!(verify_password(password, &phc), "verify_password said no");
        Ok(())
    })?;

    let key = SigningKey::generate("bench").context("generating an RSA key")?;
    let claims = id_claims();
    for _ in 0..20 {
        std::hint::black_box(key.sign(&claims));
    }
    let t_sign = cost(cores, 200, || {
        std::hint::black_box(key.sign(&claims));
        Ok(())
    })?;

    let (salt, verifier) = srp::make_verifier("AbCdEfGhI", "bench-user", password);
    let (a, big_a) = srp::client::start();
    let t_srp = cost(cores, 40, || {
        let (b, big_b) = srp::server_start(&verifier).context("server_start")?;
        let key = srp::server_key(&verifier, &big_a, &b, &big_b).context("server_key")?;
        std::hint::black_box(key);
        Ok(())
    })?;
    // The pair is a real one: the client derives the same key.
    let (b, big_b) = srp::server_start(&verifier).context("server_start")?;
    let server = srp::server_key(&verifier, &big_a, &b, &big_b).context("server_key")?;
    let client = srp::client::key("AbCdEfGhI", "bench-user", password, &a, &big_b, &salt)
        .context("client key")?;
    anyhow::ensure!(server == client, "SRP keys differ");

    Ok(Bounds {
        cores,
        t_hash,
        t_verify,
        t_sign,
        t_srp,
    })
}
