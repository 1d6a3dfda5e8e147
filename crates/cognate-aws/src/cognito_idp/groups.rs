//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.

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
        "CreateGroup" => answer_as("Group", body, |input| svc.create_group(input)).await,
        "GetGroup" => answer_as("Group", body, |input| svc.get_group(input)).await,
        "UpdateGroup" => answer_as("Group", body, |input| svc.update_group(input)).await,
        "DeleteGroup" => answer(body, |input| svc.delete_group(input)).await,
        "ListGroups" => answer_page("Groups", body, |input| svc.list_groups(input)).await,
        "AdminAddUserToGroup" => answer(body, |input| svc.admin_add_user_to_group(input)).await,
        "AdminRemoveUserFromGroup" => {
            answer(body, |input| svc.admin_remove_user_from_group(input)).await
        }
        "AdminListGroupsForUser" => {
            answer_page("Groups", body, |input| {
                svc.admin_list_groups_for_user(input)
            })
            .await
        }
        "ListUsersInGroup" => {
            answer_page("Users", body, |input| svc.list_users_in_group(input)).await
        }
        _ => return None,
    })
}
