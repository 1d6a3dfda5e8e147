//! The AWS wire layer: the JSON 1.1 protocol, SigV4 authentication, and one module per AWS
//! service mapping its actions onto the engine.

pub mod auth;
pub mod cognito_idp;
pub mod error;
pub mod json11;
pub mod router;

pub use auth::AuthMode;
pub use error::AwsError;
pub use router::{routes, AwsState};
