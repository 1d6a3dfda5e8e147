//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain.

use cognate_core::api::domains::DescribeUserPoolDomainInput;
use cognate_core::{RequestContext, Service};
use serde_json::{json, Value};

use super::{answer, to_json};
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateUserPoolDomain" => answer(body, |input| svc.create_user_pool_domain(input)).await,
        "DescribeUserPoolDomain" => describe(svc, body).await,
        "UpdateUserPoolDomain" => answer(body, |input| svc.update_user_pool_domain(input)).await,
        "DeleteUserPoolDomain" => answer(body, |input| svc.delete_user_pool_domain(input)).await,
        _ => return None,
    })
}

async fn describe(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: DescribeUserPoolDomainInput = decode(body)?;
    // Cognito answers an unknown domain with an empty description, not an error.
    let description = match svc.describe_user_pool_domain(input).await? {
        Some(d) => to_json(&d)?,
        None => json!({}),
    };
    Ok(json!({ "DomainDescription": description }))
}
