//! AddCustomAttributes, GetCSVHeader, GetUserPoolMfaConfig, SetUserPoolMfaConfig, TagResource,
//! UntagResource, ListTagsForResource.

use cognate_core::api::pool_extras::{
    AddCustomAttributesInput, ResourceArnInput, SetUserPoolMfaConfigInput, TagResourceInput,
    UntagResourceInput,
};
use cognate_core::api::pools::PoolIdInput;
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
        "AddCustomAttributes" => add_custom_attributes(svc, body).await,
        "GetCSVHeader" => get_csv_header(svc, body).await,
        "GetUserPoolMfaConfig" => get_mfa_config(svc, body).await,
        "SetUserPoolMfaConfig" => set_mfa_config(svc, body).await,
        "TagResource" => tag(svc, body).await,
        "UntagResource" => untag(svc, body).await,
        "ListTagsForResource" => list_tags(svc, body).await,
        _ => return None,
    })
}

async fn add_custom_attributes(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: AddCustomAttributesInput = decode(body)?;
    svc.add_custom_attributes(input).await?;
    Ok(json!({}))
}

async fn get_csv_header(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    to_json(&svc.get_csv_header(input).await?)
}

async fn get_mfa_config(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: PoolIdInput = decode(body)?;
    to_json(&svc.get_user_pool_mfa_config(input).await?)
}

async fn set_mfa_config(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: SetUserPoolMfaConfigInput = decode(body)?;
    to_json(&svc.set_user_pool_mfa_config(input).await?)
}

async fn tag(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: TagResourceInput = decode(body)?;
    svc.tag_resource(input).await?;
    Ok(json!({}))
}

async fn untag(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: UntagResourceInput = decode(body)?;
    svc.untag_resource(input).await?;
    Ok(json!({}))
}

async fn list_tags(svc: &Service, body: &[u8]) -> Result<Value, AwsError> {
    let input: ResourceArnInput = decode(body)?;
    let tags = svc.list_tags_for_resource(input).await?;
    Ok(json!({ "Tags": tags }))
}
