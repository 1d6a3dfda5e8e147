//! AddCustomAttributes, GetCSVHeader, GetUserPoolMfaConfig, SetUserPoolMfaConfig, TagResource,
//! UntagResource, ListTagsForResource.

use cognate_core::{RequestContext, Service};
use serde_json::Value;

use super::{answer, answer_as};
use crate::error::AwsError;

pub(super) async fn dispatch(
    svc: &Service,
    _ctx: &RequestContext,
    action: &str,
    body: &[u8],
) -> Option<Result<Value, AwsError>> {
    Some(match action {
        "AddCustomAttributes" => answer(body, |input| svc.add_custom_attributes(input)).await,
        "GetCSVHeader" => answer(body, |input| svc.get_csv_header(input)).await,
        "GetUserPoolMfaConfig" => answer(body, |input| svc.get_user_pool_mfa_config(input)).await,
        "SetUserPoolMfaConfig" => answer(body, |input| svc.set_user_pool_mfa_config(input)).await,
        "TagResource" => answer(body, |input| svc.tag_resource(input)).await,
        "UntagResource" => answer(body, |input| svc.untag_resource(input)).await,
        "ListTagsForResource" => {
            answer_as("Tags", body, |input| svc.list_tags_for_resource(input)).await
        }
        _ => return None,
    })
}
