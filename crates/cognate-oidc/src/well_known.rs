//! The JWKS and the discovery document.
//!
//! Cognito's discovery document
//! (`https://cognito-idp.{region}.amazonaws.com/{poolId}/.well-known/openid-configuration`)
//! lists, with its keys in alphabetical order: `authorization_endpoint`, `end_session_endpoint`
//! (added in 2024, pointing at the domain's `/logout`), `id_token_signing_alg_values_supported`
//! `["RS256"]`, `issuer`, `jwks_uri`, `response_types_supported` `["code","token"]`,
//! `scopes_supported` `["openid","email","phone","profile"]`, `subject_types_supported`
//! `["public"]`, `token_endpoint`, `token_endpoint_auth_methods_supported`
//! `["client_secret_basic","client_secret_post"]` and `userinfo_endpoint`. An unknown pool is
//! a 404 with `{"message":"User pool {id} does not exist."}`.
//!
//! Both may be cached by clients and proxies, the discovery document (which changes with the
//! pool's domain) for five minutes and the JWKS for one: a node signs with a new key as soon as
//! it rotates, and a verifier that meets the new `kid` refetches the JWKS, so a proxy must not
//! serve an old one for long.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cognate_core::{Error, Service};
use serde_json::{json, Value};

const JWKS_CACHE_CONTROL: &str = "public, max-age=60";
const DISCOVERY_CACHE_CONTROL: &str = "public, max-age=300";

pub(crate) async fn jwks(
    State(service): State<Arc<Service>>,
    Path(pool_id): Path<String>,
) -> Response {
    if !valid_pool_id(&pool_id) {
        return error(Error::pool_not_found(&pool_id));
    }
    match service.jwks(&pool_id).await {
        Ok(keys) => cacheable(keys, JWKS_CACHE_CONTROL),
        Err(e) => error(e),
    }
}

pub(crate) async fn openid_configuration(
    State(service): State<Arc<Service>>,
    Path(pool_id): Path<String>,
) -> Response {
    if !valid_pool_id(&pool_id) {
        return error(Error::pool_not_found(&pool_id));
    }
    match service.oidc_endpoints(&pool_id).await {
        Ok(e) => cacheable(
            json!({
            "authorization_endpoint": e.authorization_endpoint,
            "end_session_endpoint": e.end_session_endpoint,
            "id_token_signing_alg_values_supported": ["RS256"],
            "issuer": e.issuer,
            "jwks_uri": e.jwks_uri,
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint": e.token_endpoint,
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "userinfo_endpoint": e.userinfo_endpoint,
            }),
            DISCOVERY_CACHE_CONTROL,
        ),
        Err(e) => error(e),
    }
}

/// Cognito's `UserPoolId` pattern, `[\w-]+_[0-9a-zA-Z]+`, at most 55 characters: anything else
/// cannot be a pool, and is answered without asking the store.
fn valid_pool_id(id: &str) -> bool {
    let Some((region, suffix)) = id.rsplit_once('_') else {
        return false;
    };
    id.len() <= 55
        && !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !suffix.is_empty()
        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
}

fn cacheable(body: Value, cache_control: &'static str) -> Response {
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

/// The one mapping of engine errors for these documents: a missing pool is a 404, a fault of
/// the server a 500 whose detail goes only to the log.
fn error(e: Error) -> Response {
    let status = match &e {
        Error::ResourceNotFound(_) => StatusCode::NOT_FOUND,
        Error::Internal(detail) => {
            tracing::error!(error = %detail, "well-known document failed");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "message": "Internal server error" })),
            )
                .into_response();
        }
        _ => StatusCode::BAD_REQUEST,
    };
    (status, Json(json!({ "message": e.to_string() }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids_are_checked_before_the_store_is_asked() {
        assert!(valid_pool_id("us-east-1_AbC123xYz"));
        assert!(!valid_pool_id("us-east-1"));
        assert!(!valid_pool_id("us-east-1_"));
        assert!(!valid_pool_id("_abc"));
        assert!(!valid_pool_id("us-east-1_abc.def"));
        assert!(!valid_pool_id(&format!("us-east-1_{}", "a".repeat(50))));
    }

    #[tokio::test]
    async fn errors_map_to_status_and_message() {
        let r = error(Error::pool_not_found("us-east-1_x"));
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = error(Error::internal("database on fire"));
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(r.into_body(), 1024)
            .await
            .unwrap_or_default();
        assert_eq!(&body[..], br#"{"message":"Internal server error"}"#);
    }
}
