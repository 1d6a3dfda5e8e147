//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use cognate_core::api::clients::{
    ClientIdInput, CreateUserPoolClientInput, ListUserPoolClientsInput, UpdateUserPoolClientInput,
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
        "CreateUserPoolClient" => create(svc, body).await,
        "DescribeUserPoolClient" => describe(svc, body).await,
        "UpdateUserPoolClient" => update(svc, body).await,
        "DeleteUserPoolClient" => delete(svc, body).await,
        "ListUserPoolClients" => list(svc, body).await,
        _ => return None,
    })
}

async fn create(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: CreateUserPoolClientInput = decode(body)?;
    let client = svc.create_user_pool_client(input).await?;
    Ok(json!({ "UserPoolClient": to_json(&client)? }))
}

async fn describe(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ClientIdInput = decode(body)?;
    let client = svc.describe_user_pool_client(input).await?;
    Ok(json!({ "UserPoolClient": to_json(&client)? }))
}

async fn update(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UpdateUserPoolClientInput = decode(body)?;
    let client = svc.update_user_pool_client(input).await?;
    Ok(json!({ "UserPoolClient": to_json(&client)? }))
}

async fn delete(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ClientIdInput = decode(body)?;
    svc.delete_user_pool_client(input).await?;
    Ok(json!({}))
}

async fn list(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ListUserPoolClientsInput = decode(body)?;
    let (clients, next) = svc.list_user_pool_clients(input).await?;
    let mut out = json!({ "UserPoolClients": to_json(&clients)? });
    if let Some(token) = next {
        out["NextToken"] = json!(token);
    }
    Ok(out)
}
