//! Request and response shapes of the operations, with Cognito's member names, and the checks
//! of the API model's constraints on them. The protocol layer decodes a request into one of
//! these, the engine acts on it, and the protocol layer encodes the answer.

pub mod auth;
pub mod clients;
pub mod devices;
pub mod domains;
pub mod groups;
pub mod pool_extras;
pub mod pools;
pub mod recovery;
pub mod self_service;
pub mod signup;
pub mod users;
pub mod validate;

pub use validate::{patterns, Validator};

/// AWS JSON dates: epoch seconds, with fractions.
pub fn date(millis: i64) -> f64 {
    crate::clock::epoch_seconds(millis)
}
