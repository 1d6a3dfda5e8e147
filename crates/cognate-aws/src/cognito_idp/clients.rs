//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::{answer, answer_as, answer_page};
use crate::error::AwsError;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "CreateUserPoolClient" => {
            answer_as("UserPoolClient", body, |input| {
                svc.create_user_pool_client(input)
            })
            .await
        }
        "DescribeUserPoolClient" => {
            answer_as("UserPoolClient", body, |input| {
                svc.describe_user_pool_client(input)
            })
            .await
        }
        "UpdateUserPoolClient" => {
            answer_as("UserPoolClient", body, |input| {
                svc.update_user_pool_client(input)
            })
            .await
        }
        "DeleteUserPoolClient" => answer(body, |input| svc.delete_user_pool_client(input)).await,
        "ListUserPoolClients" => {
            answer_page("UserPoolClients", body, |input| {
                svc.list_user_pool_clients(input)
            })
            .await
        }
        _ => return None,
    })
}
