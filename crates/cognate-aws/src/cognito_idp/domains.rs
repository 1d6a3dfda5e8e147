//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain.

use cognate_core::api::domains::{
    CreateUserPoolDomainInput, DeleteUserPoolDomainInput, DescribeUserPoolDomainInput,
    UpdateUserPoolDomainInput,
};
use cognate_core::{RequestContext, Service};
use serde_json::{json, Value};

use super::to_json;
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateUserPoolDomain" => create(svc, body).await,
        "DescribeUserPoolDomain" => describe(svc, body).await,
        "UpdateUserPoolDomain" => update(svc, body).await,
        "DeleteUserPoolDomain" => delete(svc, body).await,
        _ => return None,
    })
}

async fn create(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: CreateUserPoolDomainInput = decode(body)?;
    to_json(&svc.create_user_pool_domain(input).await?)
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

async fn update(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UpdateUserPoolDomainInput = decode(body)?;
    to_json(&svc.update_user_pool_domain(input).await?)
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: DeleteUserPoolDomainInput = decode(body)?;
    svc.delete_user_pool_domain(input).await?;
    Ok(json!({}))
}
