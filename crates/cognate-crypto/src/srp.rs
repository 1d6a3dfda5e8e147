//! Cognito's SRP-6a, server side (and the client's half, for tests and tools): what
//! amazon-cognito-identity-js, Amplify and pycognito compute, byte for byte.
//!
//! One protocol serves two proofs, which differ only in the two names hashed into x and into
//! the claim (the *realm* and the *identity*):
//! - a user's password (USER_SRP_AUTH → PASSWORD_VERIFIER): realm = the pool name (the pool
//!   id after its underscore, [`pool_name`]), identity = USER_ID_FOR_SRP;
//! - a remembered device's secret (DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER): realm = the
//!   user's DeviceGroupKey, identity = the DeviceKey, password = the random password the client
//!   generated when it confirmed the device (identity-js `generateHashDevice`). The client
//!   computes that verifier itself and hands it over in ConfirmDevice
//!   ([`device_verifier_hex`]); the server only ever uses it as v.
//!
//! The math:
//! - N is the 3072-bit MODP prime of RFC 3526, g = 2, H = SHA-256.
//! - Numbers are hashed in the clients' "padHex" form: the minimal big-endian bytes, with a
//!   0x00 in front when the top bit is set (so the value reads as positive). [`pad`].
//! - k = H(PAD(N) ‖ PAD(g)).
//! - x = H(PAD(salt) ‖ H(realm ‖ identity ‖ ":" ‖ password)), v = g^x mod N.
//! - B = (k·v + g^b) mod N; u = H(PAD(A) ‖ PAD(B)); S = (A · v^u)^b mod N.
//! - key = HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key"), 16 bytes.
//! - PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, realm ‖ identity ‖ secretBlock ‖
//!   timestamp)), the timestamp in Cognito's format ([`timestamp`], read back by
//!   [`parse_timestamp`]).
//!
//! The salt is handed to clients as hex in its padded form, which every client reads back to
//! the same bytes (a fixed point of both pycognito's and the JS clients' padding).
//!
//! The server's secret exponent b is 256 random bits (RFC 5054 asks for at least 256), so the
//! server's work is three 256-bit-exponent exponentiations modulo the 3072-bit N.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use subtle::ConstantTimeEq;

/// RFC 3526's 3072-bit MODP group prime.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// HKDF info (the clients append HKDF's block counter 0x01 by hand; the HKDF expand adds it).
pub const INFO: &[u8] = b"Caldera Derived Key";

/// Bytes of salt per verifier (Cognito's is 128 bits).
pub const SALT_BYTES: usize = 16;
/// Bytes of the server's secret exponent b.
pub const B_SECRET_BYTES: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SrpError {
    #[error("not a hexadecimal number")]
    Hex,
    #[error("SRP_A is not acceptable")]
    BadA,
    #[error("SRP_B is not acceptable")]
    BadB,
    #[error("the scrambling parameter u is zero")]
    ZeroU,
    #[error("the signature is not base64")]
    Signature,
}

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        // N_HEX is a constant: parsing it cannot fail.
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = BigUint::from_bytes_be(&sha256(&[&pad(&n), &pad(&g)]));
        Group { n, g, k }
    })
}

/// Exponents up to this many bits raise g through a precomputed table.
const COMB_BITS: u64 = 256;
/// Bits per table column.
const COMB_WINDOW: usize = 4;

/// g^(j · 16^i) mod N for i < 64, j < 16: g^e for an e of at most 256 bits is then at most 64
/// multiplications instead of a 256-bit exponentiation (b and x are both 256 bits). 393 KB,
/// built once.
fn comb() -> &'static Vec<Vec<BigUint>> {
    static COMB: OnceLock<Vec<Vec<BigUint>>> = OnceLock::new();
    COMB.get_or_init(|| {
        let grp = group();
        let columns = (COMB_BITS as usize) / COMB_WINDOW;
        let mut table = Vec::with_capacity(columns);
        let mut base = grp.g.clone();
        for _ in 0..columns {
            let mut row = Vec::with_capacity(1 << COMB_WINDOW);
            row.push(BigUint::from(1u32));
            for j in 1..(1usize << COMB_WINDOW) {
                let next = (&row[j - 1] * &base) % &grp.n;
                row.push(next);
            }
            base = (&row[(1 << COMB_WINDOW) - 1] * &base) % &grp.n;
            table.push(row);
        }
        table
    })
}

/// g^e mod N.
fn g_pow(e: &BigUint) -> BigUint {
    let grp = group();
    if e.bits() > COMB_BITS {
        return grp.g.modpow(e, &grp.n);
    }
    let table = comb();
    let mut acc = BigUint::from(1u32);
    for (i, byte) in e.to_bytes_le().iter().enumerate() {
        for (half, nibble) in [(0, byte & 0x0f), (1, byte >> 4)] {
            if nibble != 0 {
                acc = (acc * &table[2 * i + half][usize::from(nibble)]) % &grp.n;
            }
        }
    }
    acc
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// The clients' padHex, as bytes: minimal big-endian, 0x00 in front when the top bit is set.
pub fn pad(n: &BigUint) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        let mut out = Vec::with_capacity(bytes.len() + 1);
        out.push(0);
        out.extend_from_slice(&bytes);
        out
    } else {
        bytes
    }
}

/// Lowercase hex of [`pad`].
pub fn pad_hex(n: &BigUint) -> String {
    hex::encode(pad(n))
}

/// Parses a hex number as the clients send it (any case, any length, no prefix).
pub fn parse_hex(s: &str) -> Result<BigUint, SrpError> {
    let s = s.trim();
    if s.is_empty() || s.len() > 4096 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SrpError::Hex);
    }
    BigUint::parse_bytes(s.as_bytes(), 16).ok_or(SrpError::Hex)
}

/// Whether a client's public value (SRP_A, hex) is usable: a number that is not 0 mod N.
pub fn acceptable_public(hex: &str) -> bool {
    parse_hex(hex).is_ok_and(|a| (a % &group().n) != BigUint::default())
}

/// Whether a verifier is usable as v: 1 < v < N (v = g^x mod N for some x; 0 and 1 would let
/// anyone compute the key).
pub fn acceptable_verifier(hex: &str) -> bool {
    parse_hex(hex).is_ok_and(|v| v > BigUint::from(1u32) && v < group().n)
}

/// Bytes of a device salt or verifier that ConfirmDevice accepts at most: a verifier is below
/// N (384 bytes, one more with a sign byte); a salt is 16 bytes in the SDKs.
pub const MAX_DEVICE_SECRET_BYTES: usize = 385;

/// A device's `DeviceSecretVerifierConfig` as ConfirmDevice carries it (the bytes of the
/// clients' padded hex, base64-decoded by the caller), as `(salt_hex, verifier_hex)`: the salt
/// exactly as the client hashed it, so handing it back as SALT gives the client the same number;
/// the verifier checked with [`acceptable_verifier`]. `None` for anything unusable.
pub fn device_verifier_hex(salt: &[u8], verifier: &[u8]) -> Option<(String, String)> {
    if salt.is_empty()
        || salt.len() > MAX_DEVICE_SECRET_BYTES
        || verifier.is_empty()
        || verifier.len() > MAX_DEVICE_SECRET_BYTES
    {
        return None;
    }
    let v = hex::encode(verifier);
    acceptable_verifier(&v).then(|| (hex::encode(salt), v))
}

/// x = H(PAD(salt) ‖ H(realm ‖ identity ‖ ":" ‖ password)).
fn private_x(realm: &str, identity: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = sha256(&[
        realm.as_bytes(),
        identity.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    BigUint::from_bytes_be(&sha256(&[&pad(salt), &inner]))
}

/// The pool name SRP hashes: the pool id after its underscore.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// A new verifier for a password: `(salt_hex, verifier_hex)`, a 128-bit random salt and
/// v = g^x mod N, both in padded hex. For a user, `realm` is [`pool_name`] of the pool id and
/// `identity` the user's USER_ID_FOR_SRP; for a device (what a client does before
/// ConfirmDevice), the DeviceGroupKey and the DeviceKey.
pub fn make_verifier(realm: &str, identity: &str, password: &str) -> (String, String) {
    let mut salt = [0u8; SALT_BYTES];
    OsRng.fill_bytes(&mut salt);
    let salt = BigUint::from_bytes_be(&salt);
    let verifier = verifier_for(realm, identity, password, &salt);
    (pad_hex(&salt), pad_hex(&verifier))
}

fn verifier_for(realm: &str, identity: &str, password: &str, salt: &BigUint) -> BigUint {
    g_pow(&private_x(realm, identity, password, salt))
}

/// The server's first step: a fresh secret b and the public B = (k·v + g^b) mod N, both hex.
/// Returns `(b_hex, big_b_hex)`; b must stay on the server.
pub fn server_start(verifier_hex: &str) -> Result<(String, String), SrpError> {
    let mut b = [0u8; B_SECRET_BYTES];
    OsRng.fill_bytes(&mut b);
    server_start_with(verifier_hex, &hex::encode(b))
}

/// [`server_start`] with a given secret b (hex): for test vectors.
pub fn server_start_with(verifier_hex: &str, b_hex: &str) -> Result<(String, String), SrpError> {
    let b = parse_hex(b_hex)?;
    let v = parse_hex(verifier_hex)?;
    let big_b = server_public(&v, &b);
    Ok((pad_hex(&b), pad_hex(&big_b)))
}

/// [`make_verifier`] with a given salt (hex): for test vectors.
pub fn make_verifier_with(
    realm: &str,
    identity: &str,
    password: &str,
    salt_hex: &str,
) -> Result<String, SrpError> {
    let salt = parse_hex(salt_hex)?;
    Ok(pad_hex(&verifier_for(realm, identity, password, &salt)))
}

fn server_public(v: &BigUint, b: &BigUint) -> BigUint {
    let grp = group();
    (&grp.k * v + g_pow(b)) % &grp.n
}

fn scramble(big_a: &BigUint, big_b: &BigUint) -> BigUint {
    BigUint::from_bytes_be(&sha256(&[&pad(big_a), &pad(big_b)]))
}

fn derive_key(s: &BigUint, u: &BigUint) -> [u8; 16] {
    let hk = Hkdf::<Sha256>::new(Some(&pad(u)), &pad(s));
    let mut okm = [0u8; 16];
    // 16 bytes is far below HKDF's limit of 255 blocks.
    let _ = hk.expand(INFO, &mut okm);
    okm
}

/// The server's second step: the 16-byte key shared with a client that knows the password,
/// from the client's A and the server's (b, B) of the first step.
pub fn server_key(
    verifier_hex: &str,
    big_a_hex: &str,
    b_hex: &str,
    big_b_hex: &str,
) -> Result<[u8; 16], SrpError> {
    let grp = group();
    let big_a = parse_hex(big_a_hex)?;
    if (&big_a % &grp.n) == BigUint::default() {
        return Err(SrpError::BadA);
    }
    let v = parse_hex(verifier_hex)?;
    let b = parse_hex(b_hex)?;
    let big_b = parse_hex(big_b_hex)?;
    let u = scramble(&big_a, &big_b);
    if u == BigUint::default() {
        return Err(SrpError::ZeroU);
    }
    let s = (big_a * v.modpow(&u, &grp.n)).modpow(&b, &grp.n);
    Ok(derive_key(&s, &u))
}

/// HMAC-SHA256(key, realm ‖ identity ‖ secretBlock ‖ timestamp).
pub fn claim_signature(
    key: &[u8; 16],
    realm: &str,
    identity: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    // HMAC takes keys of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return [0u8; 32];
    };
    mac.update(realm.as_bytes());
    mac.update(identity.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Checks a PASSWORD_CLAIM_SIGNATURE (base64) in constant time.
pub fn verify_claim(
    key: &[u8; 16],
    realm: &str,
    identity: &str,
    secret_block: &[u8],
    timestamp: &str,
    signature_b64: &str,
) -> bool {
    let Ok(given) = STANDARD.decode(signature_b64.trim()) else {
        return false;
    };
    let expected = claim_signature(key, realm, identity, secret_block, timestamp);
    given.len() == expected.len() && bool::from(given.ct_eq(&expected))
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Cognito's TIMESTAMP format: `Sat Sep 5 09:03:07 UTC 2026` (day not zero-padded).
pub fn timestamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        DAYS[t.weekday().number_days_from_monday() as usize],
        MONTHS[usize::from(u8::from(t.month())) - 1],
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    )
}

/// Reads a TIMESTAMP back: `Www Mmm D HH:MM:SS UTC YYYY` as identity-js, Amplify, pycognito
/// and the mobile SDKs write it (the day with or without a leading zero; `GMT` is taken for
/// `UTC`, as Java's formatter may write it). The weekday must be a day's name but is not
/// checked against the date, as Cognito's lenient parser does not. `None` when it does not
/// parse or names no real date.
pub fn parse_timestamp(text: &str) -> Option<time::OffsetDateTime> {
    let parts: Vec<&str> = text.split_ascii_whitespace().collect();
    let [weekday, month, day, clock, zone, year] = parts.as_slice() else {
        return None;
    };
    if !DAYS.contains(weekday) || !matches!(*zone, "UTC" | "GMT") {
        return None;
    }
    let month = MONTHS.iter().position(|m| m == month)?;
    let month = time::Month::try_from(u8::try_from(month + 1).ok()?).ok()?;
    let number = |s: &str, min: usize, max: usize| -> Option<u32> {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let day = u8::try_from(number(day, 1, 2)?).ok()?;
    let year = i32::try_from(number(year, 4, 4)?).ok()?;
    let hms: Vec<&str> = clock.split(':').collect();
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    let (h, m, sec) = (number(h, 2, 2)?, number(m, 2, 2)?, number(sec, 2, 2)?);
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let at = time::Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(sec).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, at).assume_utc())
}

/// The client's half, as the Cognito SDKs compute it: for tests, tools and the bench.
pub mod client {
    use super::*;

    /// A client's secret a.
    pub type Secret = BigUint;

    /// A client's ephemeral pair: `(a, A)`, a of 1024 random bits, A = g^a mod N (hex).
    pub fn start() -> (Secret, String) {
        start_with_len(128)
    }

    /// A = g^a mod N, hex as the clients send it (unpadded lowercase).
    pub fn public_a(a: &BigUint) -> String {
        let grp = group();
        grp.g.modpow(a, &grp.n).to_str_radix(16)
    }

    /// The client's key: S = (B − k·g^x)^(a + u·x) mod N, then the HKDF. `realm` and
    /// `identity` as for [`make_verifier`]; for a device, `password` is its device password.
    pub fn key(
        realm: &str,
        identity: &str,
        password: &str,
        a: &BigUint,
        big_b_hex: &str,
        salt_hex: &str,
    ) -> Result<[u8; 16], SrpError> {
        let known = Known::new(realm, identity, password, salt_hex)?;
        known.key(a, &public_a(a), big_b_hex)
    }

    /// What a client derives from its password once per salt, so a client that signs in
    /// again and again (the bench) pays only the per-session exponentiation: x and k·g^x.
    pub struct Known {
        x: BigUint,
        kgx: BigUint,
    }

    impl Known {
        pub fn new(
            realm: &str,
            identity: &str,
            password: &str,
            salt_hex: &str,
        ) -> Result<Known, SrpError> {
            let grp = group();
            let salt = parse_hex(salt_hex)?;
            let x = private_x(realm, identity, password, &salt);
            let kgx = (&grp.k * g_pow(&x)) % &grp.n;
            Ok(Known { x, kgx })
        }

        /// The session key for the client's `(a, A)` and the server's B:
        /// S = (B − k·g^x)^(a + u·x) mod N, then the HKDF.
        pub fn key(
            &self,
            a: &BigUint,
            big_a_hex: &str,
            big_b_hex: &str,
        ) -> Result<[u8; 16], SrpError> {
            let grp = group();
            let big_b = parse_hex(big_b_hex)?;
            if (&big_b % &grp.n) == BigUint::default() {
                return Err(SrpError::BadB);
            }
            let u = scramble(&parse_hex(big_a_hex)?, &big_b);
            if u == BigUint::default() {
                return Err(SrpError::ZeroU);
            }
            // B − k·g^x, kept non-negative modulo N.
            let base = ((big_b % &grp.n) + &grp.n - &self.kgx) % &grp.n;
            let s = base.modpow(&(a + &u * &self.x), &grp.n);
            Ok(derive_key(&s, &u))
        }
    }

    /// An ephemeral pair like [`start`]'s with an `a` of `bytes` random bytes: RFC 5054 asks
    /// for at least 32; the SDKs use 128, which makes the client's exponentiation four times
    /// dearer. A load generator sharing the server's cores uses 32.
    pub fn start_with_len(bytes: usize) -> (Secret, String) {
        let mut a = vec![0u8; bytes.max(32)];
        OsRng.fill_bytes(&mut a);
        let a = BigUint::from_bytes_be(&a) % &group().n;
        let big_a = public_a(&a);
        (a, big_a)
    }

    /// What a client makes of NewDeviceMetadata before ConfirmDevice (identity-js
    /// `generateHashDevice`): a random device password (40 random bytes, base64) and the
    /// device's `(salt_hex, verifier_hex)` for realm = DeviceGroupKey, identity = DeviceKey.
    pub fn device_secret(device_group_key: &str, device_key: &str) -> (String, String, String) {
        let mut bytes = [0u8; 40];
        OsRng.fill_bytes(&mut bytes);
        let password = STANDARD.encode(bytes);
        let (salt, verifier) = make_verifier(device_group_key, device_key, &password);
        (password, salt, verifier)
    }

    /// PASSWORD_CLAIM_SIGNATURE for a SECRET_BLOCK (base64) and TIMESTAMP.
    pub fn signature(
        key: &[u8; 16],
        realm: &str,
        identity: &str,
        secret_block_b64: &str,
        timestamp: &str,
    ) -> Result<String, SrpError> {
        let block = STANDARD
            .decode(secret_block_b64)
            .map_err(|_| SrpError::Signature)?;
        Ok(STANDARD.encode(claim_signature(key, realm, identity, &block, timestamp)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed with pycognito 2024.5.1's client (`AWSSRP.process_challenge`, a = 0xc3 × 128
    // bytes mod N, the clock fixed at 2026-09-05 09:03:07 UTC); v and B with its own
    // helpers (`pad_hex`, `hex_hash`, k = H("00" ‖ N ‖ "02")), b = 0x8f × 32 bytes.
    const POOL_ID: &str = "eu-west-1_AbCdEf123";
    const USER: &str = "3f0c1a2b-user";
    const PASSWORD: &str = "Corr3ct-Horse!";
    const SALT: &str = "009a1f2e3d4c5b6a798877665544332211";
    const B_SECRET: &str = "8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f8f";
    const V: &str = concat!(
        "39258a844c85f617360ea9b7d6ccf7396e354dc7149d093376eb385b34d6ee5308a6faf082c74792",
        "c8e4d876f3512e06f6f9ebfc63160ca72047446f28e483447d2453d1a556cb6676376f8f69e086ca",
        "38e879a3d11d60637b3d516e0481d5d5fd2c5a27c1b42da33520f1d070add778d4046c812d0c8174",
        "a079f5bcb19ca670e80f47ad89d180e3ba4160619f0f81b23e39eb6578460a116bda5416bface818",
        "d10c07e9414fcb4bed155f80a60440cdfb34e6b5bc6b558e37435a7911ad10eb60720712134dd86c",
        "d61f3ca2ee80636337f34348c5d62159eb3796faa9447decc8193048de6e09c18d7f39f9bbf5658d",
        "d120b8f6492005e82413ec6f3644724780e453b57d1c2f13645891b35aa33eaf4cca9895b4e206e9",
        "b93e61acc90cc918411c2cd25d6e14e0352a867c210d241d9885e5eebd2585bfb7205af4c43d95f8",
        "14954cf33a1bf9d045dc3c187aa8111687fad9f7830ed545b577be98f85651bb6df1896a0046349d",
        "2fd1a4c8d7c0b127ed91b8e4c94af3bd7475af39c3993e95",
    );
    const BIG_B: &str = concat!(
        "5b50f64cb89307608a603263897593fb1adf8bcc3b95e920101de95484e34fa060efa355365967fb",
        "bb83c39a1f653d0a492242e56e49180401cd6ae92a6a78b2cb862adae06350cd57a086daca2078a7",
        "ebd443316b591d2faa63a74b37f6e74f0c590d03384268016fb70a40a2d29e5b1978f296e09d2ce5",
        "cec5819faed113e42c3d79d4ac3400cd571b0737a0c70265325421b3811c0b7f22413b4ecdbd84e1",
        "fce5f7b07cf3912cf44ba09d92e4c31213511eee43913f91a9ce94806514afb0c0f2beca90452ea0",
        "6f551c1576c22f1833e6c6f72145450ce7683bbf4df7842686817aa7cd3f8f7e5fd2bf35151179cc",
        "ddc75d21d14310863e2ce78654cca2c710787db35b33e4f0a199f89eb3f2c33327df27dbe9ddeda4",
        "cf3b15dca51d802f072103b8dee5f14de7c17c83ef8ef3f49564e999be3494cdb19131b0054a3818",
        "648f5972b4af03e909066dd026dabd86c58defe646c3372d6c27fe511eff8748bc0359e02adf271d",
        "6054f676524e61d8eb06a3f889bd003118cb00480ced0d01",
    );
    const BIG_A: &str = concat!(
        "e36b0bd5b4f4bad7720a89619be2948c612b863474dca35b58bc3fea06c08c8e33c771d8ce39ed2d",
        "35c272c86ebe9fcb06c4cc2e300a7eeb9524f61b5e6673d13f74e5ae2f9e2420f74bc17f8c60882d",
        "f86e83f4c3b191b7a15b51b8c9d661bbdc76cb7f27c84d22978d89dda596e41f8e58aeb393174228",
        "17b738844180fbb4a9cd4bd7848b94c3cc64c0be44d5721cfcd9d41c6e293504954c085aa545337b",
        "cd32e513018c6a39dffc1fedfebdeb35f1ede6a25236f663e9d740227f54e8f2f0022cf71ef33c66",
        "d403a7b0bb72f7b5c15943a7539d2af5cb1b52be8f47873979f8c8a64be37191d85aeea3a686ac81",
        "b64f40431ea068ad1207c21fc943975bad21e78397d9bb84fcda859a879db38f632f772993f1ace5",
        "e21723e0fecd9314afa6da73961571da98e7f494d0ad959744ecb7207ed94a0e9ba0e5d26caf98be",
        "a9c59a8149921618888d7bf244b0ade9b5ea85a6ea30cba8c11ffff76440f56d1cec690ec85211c2",
        "ef84e8f78c414f2f024d3f428345c197a82c16c0a2ea5bf4",
    );
    const BLOCK: &str = "c2VjcmV0LWJsb2NrLWJ5dGVzLTAxMjM0NTY3ODk=";
    const TS: &str = "Sat Sep 5 09:03:07 UTC 2026";
    const SIG: &str = "Tl3/QMQgrusp/iRDgq0bz6eDnzK00TdT9tOgRHWCOuI=";

    fn block() -> Vec<u8> {
        STANDARD.decode(BLOCK).unwrap()
    }

    #[test]
    fn the_verifier_and_b_match_pycognito() {
        assert_eq!(pool_name(POOL_ID), "AbCdEf123");
        let v = make_verifier_with(pool_name(POOL_ID), USER, PASSWORD, SALT).unwrap();
        assert_eq!(v, V);
        let (b, big_b) = server_start_with(V, B_SECRET).unwrap();
        assert_eq!(b, format!("00{B_SECRET}"));
        assert_eq!(big_b, BIG_B);
    }

    #[test]
    fn the_server_accepts_pycognitos_claim() {
        let key = server_key(V, BIG_A, B_SECRET, BIG_B).unwrap();
        assert!(verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &block(),
            TS,
            SIG
        ));
        // Altered timestamp, secret block, user or signature: refused.
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &block(),
            "Sat Sep 5 09:03:08 UTC 2026",
            SIG
        ));
        let mut other = block();
        other[0] ^= 1;
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &other,
            TS,
            SIG
        ));
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            "someone",
            &block(),
            TS,
            SIG
        ));
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &block(),
            TS,
            "AAAA"
        ));
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &block(),
            TS,
            "not base64!"
        ));
    }

    #[test]
    fn a_wrong_password_gives_a_key_that_fails() {
        let wrong = make_verifier_with(pool_name(POOL_ID), USER, "Wrong-Horse!", SALT).unwrap();
        let (_, big_b) = server_start_with(&wrong, B_SECRET).unwrap();
        let key = server_key(&wrong, BIG_A, B_SECRET, &big_b).unwrap();
        // The client's claim was for the real B; under the wrong verifier it cannot verify.
        assert!(!verify_claim(
            &key,
            pool_name(POOL_ID),
            USER,
            &block(),
            TS,
            SIG
        ));
    }

    #[test]
    fn the_rust_client_matches_pycognito() {
        let a = BigUint::from_bytes_be(&[0xc3; 128]) % &group().n;
        assert_eq!(client::public_a(&a), BIG_A);
        let key = client::key(pool_name(POOL_ID), USER, PASSWORD, &a, BIG_B, SALT).unwrap();
        assert_eq!(
            client::signature(&key, pool_name(POOL_ID), USER, BLOCK, TS).unwrap(),
            SIG
        );
    }

    #[test]
    fn a_fresh_verifier_round_trips_and_refuses_the_wrong_password() {
        let (salt, v) = make_verifier("Pool", "alice", "hunter2!");
        assert_eq!(salt, pad_hex(&parse_hex(&salt).unwrap()));
        let (b, big_b) = server_start(&v).unwrap();
        for (password, ok) in [("hunter2!", true), ("hunter3!", false)] {
            let (a, big_a) = client::start();
            let ck = client::key("Pool", "alice", password, &a, &big_b, &salt).unwrap();
            let sk = server_key(&v, &big_a, &b, &big_b).unwrap();
            let sig = client::signature(&ck, "Pool", "alice", BLOCK, TS).unwrap();
            assert_eq!(verify_claim(&sk, "Pool", "alice", &block(), TS, &sig), ok);
        }
    }

    #[test]
    fn a_degenerate_a_is_refused() {
        let n = group().n.clone();
        for a in [BigUint::default(), n.clone(), n * 2u32] {
            assert_eq!(
                server_key(V, &a.to_str_radix(16), B_SECRET, BIG_B),
                Err(SrpError::BadA)
            );
        }
        assert_eq!(server_key(V, "xyz", B_SECRET, BIG_B), Err(SrpError::Hex));
        assert_eq!(server_key(V, "", B_SECRET, BIG_B), Err(SrpError::Hex));
    }

    #[test]
    fn the_table_agrees_with_modpow() {
        let grp = group();
        let mut cases = vec![
            BigUint::default(),
            BigUint::from(1u32),
            BigUint::from(0xf0u32),
            (BigUint::from(1u32) << 256usize) - 1u32,
            BigUint::from(1u32) << 255usize,
            BigUint::from(1u32) << 256usize,
            BigUint::from_bytes_be(&[0xc3; 128]),
        ];
        for _ in 0..20 {
            let mut e = [0u8; 32];
            OsRng.fill_bytes(&mut e);
            cases.push(BigUint::from_bytes_be(&e));
        }
        for e in cases {
            assert_eq!(g_pow(&e), grp.g.modpow(&e, &grp.n), "{e:x}");
        }
    }

    #[test]
    fn padding_follows_pad_hex() {
        assert_eq!(pad_hex(&BigUint::from(0u32)), "00");
        assert_eq!(pad_hex(&BigUint::from(0x7fu32)), "7f");
        assert_eq!(pad_hex(&BigUint::from(0x80u32)), "0080");
        assert_eq!(pad_hex(&BigUint::from(0xabcu32)), "0abc");
    }

    #[test]
    fn timestamps_parse_back_in_every_clients_form() {
        let t = time::macros::datetime!(2026-09-05 09:03:07 UTC);
        assert_eq!(parse_timestamp(&timestamp(t)), Some(t));
        assert_eq!(parse_timestamp("Sat Sep 05 09:03:07 UTC 2026"), Some(t));
        assert_eq!(parse_timestamp("Sat Sep 5 09:03:07 GMT 2026"), Some(t));
        // Cognito's parser is lenient about the weekday; it must still be a day's name.
        assert_eq!(parse_timestamp("Mon Sep 5 09:03:07 UTC 2026"), Some(t));
        let t = time::macros::datetime!(2026-11-26 17:10:19 UTC);
        assert_eq!(parse_timestamp("Thu Nov 26 17:10:19 UTC 2026"), Some(t));
        for bad in [
            "",
            "Sat Sep 5 09:03:07 UTC",
            "Sat Sep 5 09:03:07 PST 2026",
            "Sat Sept 5 09:03:07 UTC 2026",
            "Xyz Sep 5 09:03:07 UTC 2026",
            "Sat Sep 31 09:03:07 UTC 2026",
            "Sat Sep 5 24:03:07 UTC 2026",
            "Sat Sep 5 9:03:07 UTC 2026",
            "Sat Sep 5 09:03 UTC 2026",
            "Sat Sep 5 09:03:07:01 UTC 2026",
            "Sat Sep -5 09:03:07 UTC 2026",
            "Sat Sep 5 09:03:07 UTC 26",
            "Sat Sep 5 09:03:07 UTC +2026",
            "2026-09-05T09:03:07Z",
            "Sat Sep 5 09:03:07 UTC 2026 extra",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_device_verifier_works_like_a_password_verifier_under_its_own_names() {
        let group = "-gC2kH1Ua6";
        let device = "us-east-1_5f1c0c1e-8b7a-4f0e-9d6b-1a2b3c4d5e6f";
        let (password, salt, v) = client::device_secret(group, device);
        // As ConfirmDevice carries them: the bytes of the padded hex.
        let (salt_back, v_back) =
            device_verifier_hex(&hex::decode(&salt).unwrap(), &hex::decode(&v).unwrap()).unwrap();
        assert_eq!(
            (salt_back.as_str(), v_back.as_str()),
            (salt.as_str(), v.as_str())
        );
        let (b, big_b) = server_start(&v).unwrap();
        for (pw, ok) in [
            (password.as_str(), true),
            ("not-the-device-password", false),
        ] {
            let (a, big_a) = client::start();
            let ck = client::key(group, device, pw, &a, &big_b, &salt).unwrap();
            let sk = server_key(&v, &big_a, &b, &big_b).unwrap();
            let sig = client::signature(&ck, group, device, BLOCK, TS).unwrap();
            assert_eq!(verify_claim(&sk, group, device, &block(), TS, &sig), ok);
            // The claim names the device: the user's names do not verify it.
            assert!(!verify_claim(&sk, "AbCdEf123", device, &block(), TS, &sig));
        }
    }

    #[test]
    fn unusable_device_verifiers_are_refused() {
        let n = group().n.clone();
        assert!(device_verifier_hex(&[], &[2]).is_none());
        assert!(device_verifier_hex(&[1], &[]).is_none());
        assert!(device_verifier_hex(&[1], &[0]).is_none());
        assert!(device_verifier_hex(&[1], &[1]).is_none());
        assert!(device_verifier_hex(&[1], &n.to_bytes_be()).is_none());
        assert!(device_verifier_hex(&[1], &[0xff; 386]).is_none());
        assert!(device_verifier_hex(&[1; 386], &[2]).is_none());
        assert_eq!(
            device_verifier_hex(&[0x00, 0x9a], &[2]),
            Some(("009a".to_string(), "02".to_string()))
        );
    }

    #[test]
    fn timestamps_do_not_pad_the_day() {
        let t = time::macros::datetime!(2026-09-05 09:03:07 UTC);
        assert_eq!(timestamp(t), "Sat Sep 5 09:03:07 UTC 2026");
        let t = time::macros::datetime!(2026-11-26 15:04:00 UTC);
        assert_eq!(timestamp(t), "Thu Nov 26 15:04:00 UTC 2026");
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// `cargo test -p cognate-crypto --release srp::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "a measurement, not a check"]
    fn server_steps() {
        let (salt, v) = make_verifier("Pool", "alice", "hunter2!");
        let (a, big_a) = client::start();
        let rounds = 200u32;
        let t = std::time::Instant::now();
        for _ in 0..rounds {
            let _ = make_verifier("Pool", "alice", "hunter2!");
        }
        let verifier = t.elapsed() / rounds;
        let t = std::time::Instant::now();
        let mut started = Vec::new();
        for _ in 0..rounds {
            started.push(server_start(&v).unwrap());
        }
        let start = t.elapsed() / rounds;
        let t = std::time::Instant::now();
        for (b, big_b) in &started {
            let _ = server_key(&v, &big_a, b, big_b).unwrap();
        }
        let key = t.elapsed() / rounds;
        let (b, big_b) = &started[0];
        let ck = client::key("Pool", "alice", "hunter2!", &a, big_b, &salt).unwrap();
        assert_eq!(ck, server_key(&v, &big_a, b, big_b).unwrap());
        eprintln!("make_verifier {verifier:?}, server_start {start:?}, server_key {key:?}");
    }
}
