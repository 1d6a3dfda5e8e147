//! Cryptography for Cognate: password hashing, AWS SigV4 request verification, RS256 JWTs and
//! envelope encryption of secrets at rest.
//! Pure functions over bytes and strings; no I/O and no async.

pub mod digest;
pub mod jwt;
pub mod password;
pub mod secretbox;
pub mod sigv4;
pub mod srp;
