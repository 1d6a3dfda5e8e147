//! The AWS JSON 1.1 error shape, and the one mapping from engine errors to it.
//!
//! Policy: a client error answers HTTP 400 with `{"__type", "message"}` and the
//! `x-amzn-ErrorType` header; a fault of the server answers 500 `InternalErrorException`
//! with a fixed message, and its detail goes to the log only.

use axum::http::StatusCode;
use cognate_core::Error;
use cognate_crypto::sigv4::SigV4Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsError {
    pub status: StatusCode,
    pub error_type: &'static str,
    pub message: String,
}

impl AwsError {
    pub fn new(error_type: &'static str, message: impl Into<String>) -> Self {
        AwsError {
            status: StatusCode::BAD_REQUEST,
            error_type,
            message: message.into(),
        }
    }

    pub fn unknown_operation(target: &str) -> Self {
        AwsError::new(
            "UnknownOperationException",
            format!("Unrecognized operation: {target}"),
        )
    }

    pub fn serialization(detail: impl std::fmt::Display) -> Self {
        AwsError::new("SerializationException", detail.to_string())
    }

    pub fn internal() -> Self {
        AwsError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            error_type: "InternalErrorException",
            message: "Internal server error.".into(),
        }
    }
}

/// The `__type` of each engine error.
pub fn error_type(e: &Error) -> &'static str {
    match e {
        Error::InvalidParameter(_) => "InvalidParameterException",
        Error::ResourceNotFound(_) => "ResourceNotFoundException",
        Error::UserNotFound(_) => "UserNotFoundException",
        Error::UsernameExists(_) => "UsernameExistsException",
        Error::AliasExists(_) => "AliasExistsException",
        Error::GroupExists(_) => "GroupExistsException",
        Error::DeviceKeyExists(_) => "DeviceKeyExistsException",
        Error::NotAuthorized(_) => "NotAuthorizedException",
        Error::InvalidPassword(_) => "InvalidPasswordException",
        Error::LimitExceeded(_) => "LimitExceededException",
        Error::TooManyRequests(_) => "TooManyRequestsException",
        Error::ConcurrentModification(_) => "ConcurrentModificationException",
        Error::UnsupportedUserState(_) => "UnsupportedUserStateException",
        Error::InvalidUserPoolConfiguration(_) => "InvalidUserPoolConfigurationException",
        Error::UserImportInProgress(_) => "UserImportInProgressException",
        Error::CodeMismatch(_) => "CodeMismatchException",
        Error::ExpiredCode(_) => "ExpiredCodeException",
        Error::CodeDeliveryFailure(_) => "CodeDeliveryFailureException",
        Error::UserNotConfirmed(_) => "UserNotConfirmedException",
        Error::PasswordResetRequired(_) => "PasswordResetRequiredException",
        Error::TooManyFailedAttempts(_) => "TooManyFailedAttemptsException",
        Error::InvalidEmailRoleAccessPolicy(_) => "InvalidEmailRoleAccessPolicyException",
        Error::InvalidSmsRoleAccessPolicy(_) => "InvalidSmsRoleAccessPolicyException",
        Error::InvalidSmsRoleTrustRelationship(_) => "InvalidSmsRoleTrustRelationshipException",
        Error::ScopeDoesNotExist(_) => "ScopeDoesNotExistException",
        Error::InvalidOAuthFlow(_) => "InvalidOAuthFlowException",
        Error::UnauthorizedClient(_) => "UnauthorizedException",
        Error::UserPoolTagging(_) => "UserPoolTaggingException",
        Error::FeatureUnavailableInTier(_) => "FeatureUnavailableInTierException",
        Error::TierChangeNotAllowed(_) => "TierChangeNotAllowedException",
        Error::ManagedLoginBrandingExists(_) => "ManagedLoginBrandingExistsException",
        Error::UnsupportedTokenType(_) => "UnsupportedTokenTypeException",
        Error::UnsupportedOperation(_) => "UnsupportedOperationException",
        Error::Internal(_) => "InternalErrorException",
    }
}

impl From<Error> for AwsError {
    fn from(e: Error) -> Self {
        if let Error::Internal(detail) = &e {
            tracing::error!(%detail, "internal error");
            return AwsError::internal();
        }
        AwsError::new(error_type(&e), e.to_string())
    }
}

impl From<SigV4Error> for AwsError {
    fn from(e: SigV4Error) -> Self {
        let status = match e {
            SigV4Error::MissingAuthenticationToken => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        };
        AwsError {
            status,
            error_type: e.aws_type(),
            message: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_keep_their_message_and_faults_hide_theirs() {
        let e = AwsError::from(Error::user_not_found());
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.error_type, "UserNotFoundException");
        assert_eq!(e.message, "User does not exist.");
        let e = AwsError::from(Error::internal("disk on fire"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("disk"));
    }

    #[test]
    fn every_variant_names_an_exception() {
        for e in [
            Error::invalid(""),
            Error::UsernameExists(String::new()),
            Error::AliasExists(String::new()),
            Error::GroupExists(String::new()),
            Error::DeviceKeyExists(String::new()),
            Error::CodeMismatch(String::new()),
            Error::UnauthorizedClient(String::new()),
        ] {
            assert!(error_type(&e).ends_with("Exception"));
        }
    }
}
