//! The one error type of the identity engine.
//!
//! Each variant is a decision the engine made about a request; the protocol layers map every
//! variant to their own wire error in exactly one place (for the AWS JSON protocol, the variant
//! name is the `__type`). `Internal` carries detail for the log only: protocol layers must not
//! send its text to a client.

use thiserror::Error;

/// Result of an engine operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    ResourceNotFound(String),
    #[error("{0}")]
    UserNotFound(String),
    #[error("{0}")]
    UsernameExists(String),
    #[error("{0}")]
    AliasExists(String),
    #[error("{0}")]
    GroupExists(String),
    #[error("{0}")]
    DeviceKeyExists(String),
    #[error("{0}")]
    NotAuthorized(String),
    #[error("{0}")]
    InvalidPassword(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    ConcurrentModification(String),
    #[error("{0}")]
    UnsupportedUserState(String),
    #[error("{0}")]
    InvalidUserPoolConfiguration(String),
    #[error("{0}")]
    UserImportInProgress(String),
    #[error("{0}")]
    CodeMismatch(String),
    #[error("{0}")]
    ExpiredCode(String),
    #[error("{0}")]
    CodeDeliveryFailure(String),
    #[error("{0}")]
    UserNotConfirmed(String),
    #[error("{0}")]
    PasswordResetRequired(String),
    #[error("{0}")]
    TooManyFailedAttempts(String),
    #[error("{0}")]
    InvalidEmailRoleAccessPolicy(String),
    #[error("{0}")]
    InvalidSmsRoleAccessPolicy(String),
    #[error("{0}")]
    InvalidSmsRoleTrustRelationship(String),
    #[error("{0}")]
    ScopeDoesNotExist(String),
    #[error("{0}")]
    InvalidOAuthFlow(String),
    #[error("{0}")]
    UnauthorizedClient(String),
    #[error("{0}")]
    UserPoolTagging(String),
    #[error("{0}")]
    FeatureUnavailableInTier(String),
    #[error("{0}")]
    TierChangeNotAllowed(String),
    #[error("{0}")]
    ManagedLoginBrandingExists(String),
    #[error("{0}")]
    UnsupportedTokenType(String),
    #[error("{0}")]
    UnsupportedOperation(String),
    /// Something failed inside the server (store, I/O). The text is for the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidParameter(msg.into())
    }

    pub fn internal(msg: impl std::fmt::Display) -> Self {
        Error::Internal(msg.to_string())
    }

    pub fn pool_not_found(pool_id: &str) -> Self {
        Error::ResourceNotFound(format!("User pool {pool_id} does not exist."))
    }

    pub fn user_not_found() -> Self {
        Error::UserNotFound("User does not exist.".into())
    }

    pub fn client_not_found(client_id: &str) -> Self {
        Error::ResourceNotFound(format!("User pool client {client_id} does not exist."))
    }

    pub fn group_not_found() -> Self {
        Error::ResourceNotFound("Group not found.".into())
    }

    /// True for faults of the server rather than of the request.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Internal(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_client_error_maps_to_an_exception_name() {
        let samples = [
            Error::invalid("x"),
            Error::pool_not_found("p"),
            Error::user_not_found(),
            Error::UsernameExists("x".into()),
            Error::NotAuthorized("x".into()),
        ];
        for e in samples {
            assert!(!e.is_internal());
        }
        assert_eq!(Error::user_not_found().to_string(), "User does not exist.");
    }
}
