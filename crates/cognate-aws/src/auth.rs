//! Who may call what. Actions AWS authorises with IAM need a valid SigV4 signature from a
//! configured principal; Cognito's public actions (sign-up, sign-in, token-bearing self-service)
//! need none. In development mode any signature is taken at its word and unsigned calls pass.

use axum::http::HeaderMap;
use cognate_crypto::sigv4::{self, Credentials, SigV4Error, SignedRequest};

use crate::error::AwsError;

#[derive(Debug, Clone)]
pub enum AuthMode {
    /// Signatures are checked against these principals' keys.
    Enforced(Vec<Credentials>),
    /// `--dev`: anything goes.
    Dev,
}

/// The verified facts about a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The access key that signed, when the request was signed.
    pub access_key_id: Option<String>,
    /// The region of the signature's scope, when the request was signed.
    pub region: Option<String>,
}

/// The parts of an HTTP request a signature covers.
pub struct RawRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl AuthMode {
    /// Authenticates a request for `service` (`cognito-idp`, ...). `needs_iam` says whether
    /// the action is IAM-authorised; public actions are still read for their region.
    pub fn authenticate(
        &self,
        req: &RawRequest<'_>,
        service: &str,
        needs_iam: bool,
        now_unix_secs: i64,
    ) -> Result<Caller, AwsError> {
        let authorization = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        match self {
            AuthMode::Dev => Ok(claimed_caller(authorization)),
            AuthMode::Enforced(_) if !needs_iam => Ok(claimed_caller(authorization)),
            AuthMode::Enforced(principals) => {
                let headers: Vec<(String, String)> = req
                    .headers
                    .iter()
                    .map(|(n, v)| {
                        (
                            n.as_str().to_string(),
                            String::from_utf8_lossy(v.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                let signed = SignedRequest {
                    method: req.method,
                    path: req.path,
                    query: req.query,
                    headers: &headers,
                    body: req.body,
                };
                let identity = sigv4::verify(&signed, now_unix_secs, |key| {
                    principals.iter().find(|c| c.access_key_id == key).cloned()
                })?;
                identity.require_service(service)?;
                Ok(Caller {
                    access_key_id: Some(identity.access_key_id),
                    region: Some(identity.region),
                })
            }
        }
    }
}

/// Reads who a request says signed it, without checking.
fn claimed_caller(authorization: Option<&str>) -> Caller {
    match authorization.map(sigv4::parse_authorization) {
        Some(Ok(parsed)) => Caller {
            access_key_id: Some(parsed.access_key_id),
            region: Some(parsed.region),
        },
        _ => Caller {
            access_key_id: None,
            region: None,
        },
    }
}

impl From<&SigV4Error> for AwsError {
    fn from(e: &SigV4Error) -> Self {
        AwsError::from(e.clone())
    }
}
