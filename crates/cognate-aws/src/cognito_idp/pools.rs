//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools.

use cognate_core::api::pools::{
    CreateUserPoolInput, ListUserPoolsInput, PoolIdInput, UpdateUserPoolInput,
};
use cognate_core::{RequestContext, Service};
use serde_json::{json, Value};

use super::to_json;
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateUserPool" => create(svc, ctx, body).await,
        "DescribeUserPool" => describe(svc, body).await,
        "UpdateUserPool" => update(svc, body).await,
        "DeleteUserPool" => delete(svc, body).await,
        "ListUserPools" => list(svc, body).await,
        _ => return None,
    })
}

async fn create(svc: &Service, ctx: &RequestContext, body: &[u8]) -> Result<Value, AwsError> {
    let input: CreateUserPoolInput = decode(body)?;
    let pool = svc.create_user_pool(ctx, input).await?;
    Ok(json!({ "UserPool": to_json(&pool)? }))
}

async fn describe(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    input.validate()?;
    let pool = svc.describe_user_pool(input.id()).await?;
    Ok(json!({ "UserPool": to_json(&pool)? }))
}

async fn update(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UpdateUserPoolInput = decode(body)?;
    svc.update_user_pool(input).await?;
    Ok(json!({}))
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    input.validate()?;
    svc.delete_user_pool(input.id()).await?;
    Ok(json!({}))
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListUserPoolsInput = decode(body)?;
    let (pools, next) = svc.list_user_pools(input).await?;
    let mut out = json!({ "UserPools": to_json(&pools)? });
    if let Some(token) = next {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}
