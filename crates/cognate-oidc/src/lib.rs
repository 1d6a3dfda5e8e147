//! OAuth 2.0 and OpenID Connect for Cognate's user pools. For now the two public, unauthenticated
//! documents every token verifier reads:
//!
//! - `GET /{poolId}/.well-known/jwks.json`: the pool's signing keys (see
//!   [`cognate_core::service::keys`]);
//! - `GET /{poolId}/.well-known/openid-configuration`: the discovery document (issuer,
//!   `jwks_uri`, the OAuth 2.0 endpoints of the pool's domain).
//!
//! This crate translates; the engine decides which keys and URLs there are.

mod well_known;

use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use cognate_core::Service;

/// The OIDC routes, to merge into the server's router ahead of any catch-all.
pub fn routes(service: Arc<Service>) -> Router {
    Router::new()
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .with_state(service)
}
