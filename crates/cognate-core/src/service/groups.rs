//! CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.
//!
//! A pool holds at most [`MAX_GROUPS_PER_POOL`] groups and a user belongs to at most
//! [`MAX_GROUPS_PER_USER`] (Cognito's quotas). Both are checked by counting before the write,
//! so two concurrent requests at the very edge of a quota can both pass; the quota is a guard
//! against runaway clients, not an invariant other code relies on. Adding a member twice and
//! removing a non-member are not errors, as in Cognito.

use super::users::list_limit;
use super::{page, Service};
use crate::api::groups::{
    AdminListGroupsForUserInput, GroupInput, GroupNameInput, GroupView, ListGroupsInput,
    ListUsersInGroupInput, MembershipInput,
};
use crate::api::users::UserView;
use crate::model::{Group, UserPool};
use crate::store::StoreError;
use crate::{Error, Result};

pub const MAX_GROUPS_PER_POOL: usize = 10_000;
pub const MAX_GROUPS_PER_USER: usize = 100;

impl Service {
    pub async fn create_group(&self, input: GroupInput) -> Result<GroupView> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let existing = self
            .store
            .list_groups(&pool.id, None, MAX_GROUPS_PER_POOL as u32)
            .await?;
        if existing.len() >= MAX_GROUPS_PER_POOL {
            return Err(Error::LimitExceeded(format!(
                "A user pool can have at most {MAX_GROUPS_PER_POOL} groups."
            )));
        }
        let now = self.now();
        let group = Group {
            pool_id: pool.id.clone(),
            name: input.group_name.unwrap_or_default(),
            description: input.description,
            role_arn: input.role_arn,
            precedence: input.precedence,
            created_ms: now,
            modified_ms: now,
        };
        match self.store.insert_group(&group).await {
            Ok(()) => Ok(GroupView::from(&group)),
            Err(StoreError::Conflict(_)) => Err(Error::GroupExists(
                "A group with the name already exists.".into(),
            )),
            Err(StoreError::NotFound) => Err(Error::pool_not_found(&pool.id)),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn get_group(&self, input: GroupNameInput) -> Result<GroupView> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let group = self
            .group(&pool, input.group_name.as_deref().unwrap_or_default())
            .await?;
        Ok(GroupView::from(&group))
    }

    /// Changes only the members the request carries.
    pub async fn update_group(&self, input: GroupInput) -> Result<GroupView> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let mut group = self
            .group(&pool, input.group_name.as_deref().unwrap_or_default())
            .await?;
        if input.description.is_some() {
            group.description = input.description;
        }
        if input.role_arn.is_some() {
            group.role_arn = input.role_arn;
        }
        if input.precedence.is_some() {
            group.precedence = input.precedence;
        }
        group.modified_ms = self.now();
        match self.store.update_group(&group).await {
            Ok(()) => Ok(GroupView::from(&group)),
            Err(StoreError::NotFound) => Err(Error::group_not_found()),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete_group(&self, input: GroupNameInput) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let name = input.group_name.as_deref().unwrap_or_default();
        if !self.store.delete_group(&pool.id, name).await? {
            return Err(Error::group_not_found());
        }
        Ok(())
    }

    pub async fn list_groups(
        &self,
        input: ListGroupsInput,
    ) -> Result<(Vec<GroupView>, Option<String>)> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = list_limit(input.limit);
        let after = page::decode(input.next_token.as_deref())?;
        let rows = self
            .store
            .list_groups(&pool.id, after.as_deref(), limit as u32 + 1)
            .await?;
        let (rows, next) = page::split(rows, limit, |g| g.name.clone());
        Ok((rows.iter().map(GroupView::from).collect(), next))
    }

    pub async fn admin_add_user_to_group(&self, input: MembershipInput) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        let group = self
            .group(&pool, input.group_name.as_deref().unwrap_or_default())
            .await?;
        let groups = self
            .store
            .list_groups_for_user(
                &pool.id,
                &user.username_key,
                None,
                MAX_GROUPS_PER_USER as u32 + 1,
            )
            .await?;
        let member = groups.iter().any(|g| g.name == group.name);
        if !member && groups.len() >= MAX_GROUPS_PER_USER {
            return Err(Error::LimitExceeded(format!(
                "A user can be a member of at most {MAX_GROUPS_PER_USER} groups."
            )));
        }
        match self
            .store
            .add_user_to_group(&pool.id, &group.name, &user.username_key)
            .await
        {
            Ok(()) => Ok(()),
            // The user or the group went away in between.
            Err(StoreError::NotFound) => Err(self
                .missing_member_or_group(&pool, &user.username_key)
                .await),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn admin_remove_user_from_group(&self, input: MembershipInput) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        let group = self
            .group(&pool, input.group_name.as_deref().unwrap_or_default())
            .await?;
        self.store
            .remove_user_from_group(&pool.id, &group.name, &user.username_key)
            .await?;
        Ok(())
    }

    pub async fn admin_list_groups_for_user(
        &self,
        input: AdminListGroupsForUserInput,
    ) -> Result<(Vec<GroupView>, Option<String>)> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        let limit = list_limit(input.limit);
        let after = page::decode(input.next_token.as_deref())?;
        let rows = self
            .store
            .list_groups_for_user(
                &pool.id,
                &user.username_key,
                after.as_deref(),
                limit as u32 + 1,
            )
            .await?;
        let (rows, next) = page::split(rows, limit, |g| g.name.clone());
        Ok((rows.iter().map(GroupView::from).collect(), next))
    }

    pub async fn list_users_in_group(
        &self,
        input: ListUsersInGroupInput,
    ) -> Result<(Vec<UserView>, Option<String>)> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let group = self
            .group(&pool, input.group_name.as_deref().unwrap_or_default())
            .await?;
        let limit = list_limit(input.limit);
        let after = page::decode(input.next_token.as_deref())?;
        let rows = self
            .store
            .list_users_in_group(&pool.id, &group.name, after.as_deref(), limit as u32 + 1)
            .await?;
        let (rows, next) = page::split(rows, limit, |u| u.username_key.clone());
        Ok((rows.iter().map(UserView::new).collect(), next))
    }

    async fn group(&self, pool: &UserPool, name: &str) -> Result<Group> {
        self.store
            .get_group(&pool.id, name)
            .await?
            .ok_or_else(Error::group_not_found)
    }

    async fn missing_member_or_group(&self, pool: &UserPool, username_key: &str) -> Error {
        match self.store.get_user(&pool.id, username_key).await {
            Ok(None) => Error::user_not_found(),
            Ok(Some(_)) => Error::group_not_found(),
            Err(e) => e.into(),
        }
    }
}
