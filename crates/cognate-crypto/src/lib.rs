//! Cryptography for Cognate: password hashing and AWS SigV4 request verification.
//! Pure functions over bytes and strings; no I/O and no async.

pub mod password;
pub mod sigv4;
