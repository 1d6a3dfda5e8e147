//! Cryptography for Cognate: password hashing, AWS SigV4 request verification and RS256 JWTs.
//! Pure functions over bytes and strings; no I/O and no async.

pub mod jwt;
pub mod password;
pub mod sigv4;
