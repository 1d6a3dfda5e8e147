//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools.

use cognate_core::api::pools::PoolIdInput;
use cognate_core::{RequestContext, Service};
use serde_json::{json, Value};

use super::{answer, answer_as, answer_page, to_json};
use crate::error::AwsError;
use crate::json11::decode;

pub(super) async fn dispatch(
    svc: &Service,
    ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateUserPool" => {
            answer_as("UserPool", body, |input| svc.create_user_pool(ctx, input)).await
        }
        "DescribeUserPool" => describe(svc, body).await,
        "UpdateUserPool" => answer(body, |input| svc.update_user_pool(input)).await,
        "DeleteUserPool" => delete(svc, body).await,
        "ListUserPools" => answer_page("UserPools", body, |input| svc.list_user_pools(input)).await,
        _ => return None,
    })
}

// DescribeUserPool and DeleteUserPool check the pool id here: the engine takes the bare id.

async fn describe(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    input.validate()?;
    let pool = svc.describe_user_pool(input.id()).await?;
    Ok(json!({ "UserPool": to_json(&pool)? }))
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    input.validate()?;
    svc.delete_user_pool(input.id()).await?;
    Ok(json!({}))
}
