//! (being written)

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use crate::error::AwsError;

pub(super) async fn dispatch(
    _svc: &Service,
    _ctx: &RequestContext,
    _action: &str,
    _body: &[u8],
) -> Option<Result<Value, AwsError>> {
    None
}
