//! Password hashing: argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane),
//! stored as PHC strings so parameters can be raised later without breaking old hashes.
//! These calls are CPU-heavy by design; callers run them on the engine's CPU pool.
//!
//! Each hash needs 19 MiB of working memory. Allocating and zeroing it per call costs page
//! faults and a memset, and freed buffers of that size fragment the heap (a server's resident
//! size grew to ~1 GB under a sign-in burst), so buffers are kept in a small free list and
//! reused: argon2 overwrites every block on its first pass, so a reused buffer needs no wiping
//! for correctness.

use std::sync::Mutex;

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;

use crate::digest::constant_time_eq;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_LEN: usize = 32;
const SALT_LEN: usize = 16;
/// Buffers kept for reuse; more than the cores of any machine this runs on is waste.
const MAX_IDLE_BUFFERS: usize = 16;

static IDLE_BUFFERS: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn with_buffer<T>(blocks: usize, f: impl FnOnce(&mut [Block]) -> T) -> T {
    let reused = match IDLE_BUFFERS.lock() {
        Ok(mut idle) => idle.pop(),
        Err(poisoned) => poisoned.into_inner().pop(),
    };
    let mut buffer = match reused {
        Some(b) if b.len() == blocks => b,
        _ => vec![Block::default(); blocks],
    };
    let result = f(&mut buffer);
    let mut idle = match IDLE_BUFFERS.lock() {
        Ok(idle) => idle,
        Err(poisoned) => poisoned.into_inner(),
    };
    if idle.len() < MAX_IDLE_BUFFERS {
        idle.push(buffer);
    }
    result
}

fn compute(params: Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), HashError> {
    let blocks = params.block_count();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    with_buffer(blocks, |memory| {
        argon
            .hash_password_into_with_memory(password, salt, out, memory)
            .map_err(|e| HashError(e.to_string()))
    })
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let params = Params::new(M_COST, T_COST, P_COST, Some(OUTPUT_LEN))
        .map_err(|e| HashError(e.to_string()))?;
    let mut out = [0u8; OUTPUT_LEN];
    compute(params, password.as_bytes(), &salt, &mut out)?;
    Ok(format!(
        "$argon2id$v=19$m={M_COST},t={T_COST},p={P_COST}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
}

/// True when `password` matches the PHC string (argon2id, any parameters). A malformed hash
/// never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" || parsed.version.is_some_and(|v| v != 0x13) {
        return false;
    }
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let Ok(params) = Params::new(
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        Some(expected.len()),
    ) else {
        return false;
    };
    if compute(params, password.as_bytes(), salt, &mut out).is_err() {
        return false;
    }
    constant_time_eq(&out, expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("Correct-Horse-1").unwrap();
        let b = hash_password("Correct-Horse-1").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b);
        assert!(verify_password("Correct-Horse-1", &a));
        assert!(!verify_password("Correct-Horse-2", &a));
        assert!(!verify_password("Correct-Horse-1", "not a hash"));
    }

    #[test]
    fn interoperates_with_the_reference_phc_implementation() {
        let ours = hash_password("pässword!").unwrap();
        let reference = Argon2::default();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(reference
            .verify_password("pässword!".as_bytes(), &parsed)
            .is_ok());

        // A hash made elsewhere, with other parameters, still verifies here.
        let params = Params::new(8 * 1024, 3, 1, None).unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"other-Pass1", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password("other-Pass1", &theirs));
        assert!(!verify_password("other-Pass2", &theirs));
    }

    #[test]
    fn other_algorithms_never_match() {
        let argon2i = Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::default())
            .hash_password(b"x-Pass1", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(!verify_password("x-Pass1", &argon2i));
    }

    #[test]
    fn reused_buffers_give_the_same_answers_across_threads() {
        let phc = hash_password("Shared-Buffer-1").unwrap();
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let phc = phc.clone();
                std::thread::spawn(move || {
                    let right = verify_password("Shared-Buffer-1", &phc);
                    let wrong = verify_password(&format!("Shared-Buffer-{}", i + 2), &phc);
                    (right, wrong)
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), (true, false));
        }
    }
}
