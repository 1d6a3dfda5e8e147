//! The AWS endpoint: `POST /` with an `X-Amz-Target` header, dispatched to the service the
//! target names. Every answer carries an `x-amzn-RequestId`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, Uri};
use axum::routing::post;
use axum::Router;
use cognate_core::{RequestContext, Service};

use crate::auth::{AuthMode, RawRequest};
use crate::cognito_idp;
use crate::error::AwsError;
use crate::json11;

#[derive(Clone)]
pub struct AwsState {
    pub service: Arc<Service>,
    pub auth: Arc<AuthMode>,
}

pub fn routes(state: AwsState) -> Router {
    Router::new().route("/", post(handle)).with_state(state)
}

async fn handle(
    State(state): State<AwsState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let request_id = state.service.new_request_id();
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(action) = target.strip_prefix(cognito_idp::TARGET_PREFIX) else {
        return json11::error(&AwsError::unknown_operation(target), &request_id);
    };
    let raw = RawRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers: &headers,
        body: &body,
    };
    let now = state.service.now_millis() / 1000;
    let caller = match state.auth.authenticate(
        &raw,
        cognito_idp::SIGNING_SERVICE,
        cognito_idp::needs_iam(action),
        now,
    ) {
        Ok(c) => c,
        Err(e) => return json11::error(&e, &request_id),
    };
    let ctx = RequestContext {
        region: caller
            .region
            .unwrap_or_else(|| state.service.config().default_region.clone()),
    };
    let result = cognito_idp::dispatch(&state.service, &ctx, action, &body).await;
    match result {
        Some(Ok(output)) => json11::ok(&output, &request_id),
        Some(Err(e)) => {
            tracing::debug!(action, error_type = e.error_type, message = %e.message, "request refused");
            json11::error(&e, &request_id)
        }
        None => json11::error(&AwsError::unknown_operation(target), &request_id),
    }
}
