//! AdminCreateUser, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes,
//! AdminDeleteUserAttributes, AdminEnableUser, AdminDisableUser, AdminSetUserPassword,
//! AdminResetUserPassword, ListUsers.
//!
//! Invariants kept here:
//! - a user row is written whole: inserted once (version 0), then replaced only by
//!   `update_user` at `version + 1` if nobody wrote in between; a read-modify-write that loses
//!   that race reads again, up to [`WRITE_ATTEMPTS`] times, then answers
//!   `ConcurrentModificationException`;
//! - a username is looked up by `pool.username_key`, so case-insensitive pools find "ALICE" as
//!   "alice"; in pools with `UsernameAttributes` the stored username is the generated `sub` and
//!   the email or phone number is what the user signs in with;
//! - a verified email or phone alias, a preferred-username alias and a username attribute each
//!   belong to one user at most (`AliasExistsException`, or on creation
//!   `UsernameExistsException` for username attributes);
//! - passwords are hashed on the CPU pool, never on the executor, and never stored in clear.
//!
//! Not here: verification codes when an email changes in an auto-verified pool
//! (`AttributesRequireVerificationBeforeUpdate`). The code AdminResetUserPassword sends comes
//! from `service::codes`.

use super::{codes, page, Service};
use crate::api::users::{
    AdminCreateUserInput, AdminDeleteUserAttributesInput, AdminGetUserOutput,
    AdminSetUserPasswordInput, AdminUpdateUserAttributesInput, AttributeType, ListUsersInput,
    UserInput, UserView,
};
use crate::attributes::{self, check_write, is_email, is_phone_number, Write};
use crate::messages::{invitation_destinations, CodeMessage};
use crate::model::{Attribute, User, UserPool, UserStatus};
use crate::password::{self, PasswordUse};
use crate::store::StoreError;
use crate::{filter, ids, Error, Result};

/// A change to a user, applied again if a concurrent write forces a retry. A trait object
/// rather than a generic closure, so that the futures that hold one stay `Send`.
pub(crate) type Change<'a> = dyn Fn(&mut User) -> Result<()> + Send + Sync + 'a;

/// How many times a read-modify-write of a user is tried before giving up.
pub const WRITE_ATTEMPTS: usize = 3;

const DAY_MS: i64 = 86_400_000;

/// The attributes that can be verified, with their verification flags.
const VERIFIABLE: &[(&str, &str)] = &[
    ("email", "email_verified"),
    ("phone_number", "phone_number_verified"),
];

/// Why another user holds a value this user wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// A verified email or phone alias; ForceAliasCreation may take it over.
    VerifiedAlias,
    /// A preferred-username alias.
    Alias,
    /// The email or phone number of a pool that signs in with them.
    UsernameAttribute,
}

pub(crate) struct Conflict {
    pub(crate) attr: String,
    pub(crate) held: Held,
    pub(crate) other: User,
}

pub(crate) fn exists_message(attr: &str) -> String {
    format!("An account with the given {attr} already exists.")
}

pub(crate) fn attribute_list(list: Option<Vec<AttributeType>>) -> Vec<Attribute> {
    list.unwrap_or_default()
        .into_iter()
        .map(|a| Attribute {
            name: a.name.unwrap_or_default(),
            value: a.value.unwrap_or_default(),
        })
        .collect()
}

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|a| a == name)
}

fn temporary_expiry(pool: &UserPool, now: i64) -> i64 {
    let days = pool
        .password_policy()
        .temporary_password_validity_days
        .unwrap_or(7);
    now.saturating_add(days.saturating_mul(DAY_MS))
}

/// What the user signs in with: in pools with username attributes, their email or phone
/// number; elsewhere the username.
pub(crate) fn sign_in_name(pool: &UserPool, user: &User) -> String {
    let username_attrs = pool.settings.username_attributes.as_deref().unwrap_or(&[]);
    username_attrs
        .iter()
        .filter_map(|a| user.attribute(a))
        .find(|v| !v.is_empty())
        .unwrap_or(&user.username)
        .to_string()
}

/// A `*_verified` flag set without the attribute it verifies.
fn check_verifiable(user: &User, touched: &[Attribute]) -> Result<()> {
    for (attr, flag) in VERIFIABLE {
        let flagged = touched
            .iter()
            .any(|a| a.name == *flag && !a.value.is_empty());
        if flagged && user.attribute(attr).is_none_or(str::is_empty) {
            return Err(Error::invalid(if *attr == "email" {
                "Email is required to verify/un-verify an email"
            } else {
                "Phone Number is required to verify/un-verify a phone number"
            }));
        }
    }
    Ok(())
}

/// Removes an attribute, with its verification flag when it has one.
fn remove_attribute(user: &mut User, name: &str) {
    user.set_attribute(name, None);
    if let Some((_, flag)) = VERIFIABLE.iter().find(|(a, _)| *a == name) {
        user.set_attribute(flag, None);
    }
}

impl Service {
    pub async fn admin_create_user(&self, input: AdminCreateUserInput) -> Result<UserView> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        if input.message_action.as_deref() == Some("RESEND") {
            return self.resend_invitation(&pool, input).await;
        }
        let given_username = input.username.clone().unwrap_or_default();
        let mut attrs = check_write(&pool, &attribute_list(input.user_attributes), Write::Create)?;
        let sub = self.with_rng(ids::new_uuid);
        let username = self.creation_username(&pool, &given_username, &sub, &mut attrs)?;
        let now = self.now();
        let mut user = User {
            pool_id: pool.id.clone(),
            username_key: pool.username_key(&username),
            username,
            sub,
            status: UserStatus::ForceChangePassword,
            enabled: true,
            attributes: Vec::new(),
            password_hash: None,
            temporary_password_expires_ms: Some(temporary_expiry(&pool, now)),
            created_ms: now,
            modified_ms: now,
            version: 0,
            srp_verifier: None,
        };
        for a in &attrs {
            user.set_attribute(&a.name, Some(a.value.clone()));
        }
        check_verifiable(&user, &attrs)?;
        // Checked here as well as by the insert, so that nothing below (an alias taken over)
        // happens for a request that is bound to fail.
        if self
            .store
            .get_user(&pool.id, &user.username_key)
            .await?
            .is_some()
        {
            return Err(username_exists());
        }
        let policy = pool.password_policy();
        let temporary = match input.temporary_password {
            Some(p) => {
                password::check(&policy, &p, PasswordUse::TemporaryPassword)?;
                p
            }
            None => self.with_rng(|rng| password::generate(&policy, rng)),
        };
        let destinations = if input.message_action.as_deref() == Some("SUPPRESS") {
            Vec::new()
        } else {
            invitation_destinations(&user, input.desired_delivery_mediums.as_deref())?
        };
        let force = input.force_alias_creation.unwrap_or(false);
        let mut takeovers = Vec::new();
        for c in self.conflicts(&pool, &user).await? {
            match c.held {
                Held::UsernameAttribute => {
                    return Err(Error::UsernameExists(exists_message(&c.attr)))
                }
                Held::VerifiedAlias if force => takeovers.push(c),
                _ => return Err(Error::AliasExists(exists_message(&c.attr))),
            }
        }
        self.credentials(&user, temporary.clone())
            .await?
            .apply(&mut user);
        for c in takeovers {
            let flag = format!("{}_verified", c.attr);
            self.modify_resolved(c.other, &|u| {
                u.set_attribute(&flag, Some("false".into()));
                Ok(())
            })
            .await?;
        }
        match self.store.insert_user(&user).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(username_exists()),
            Err(StoreError::NotFound) => return Err(Error::pool_not_found(&pool.id)),
            Err(e) => return Err(e.into()),
        }
        let shown = sign_in_name(&pool, &user);
        self.send_invitation(&pool, &user, &shown, &temporary, &destinations)
            .await;
        Ok(UserView::new(&user))
    }

    /// The username to store for a new user, after Cognito's rules on sign-in attributes:
    /// with username attributes, `given` must be one of them, becomes that attribute's value
    /// and the username is the `sub`; with alias attributes, `given` must not look like one.
    pub(crate) fn creation_username(
        &self,
        pool: &UserPool,
        given: &str,
        sub: &str,
        attrs: &mut Vec<Attribute>,
    ) -> Result<String> {
        let settings = &pool.settings;
        let username_attrs = settings.username_attributes.as_deref().unwrap_or(&[]);
        let alias_attrs = settings.alias_attributes.as_deref().unwrap_or(&[]);
        if !username_attrs.is_empty() {
            let email = has(username_attrs, "email");
            let phone = has(username_attrs, "phone_number");
            let attr = if email && is_email(given) {
                "email"
            } else if phone && is_phone_number(given) {
                "phone_number"
            } else {
                return Err(Error::invalid(match (email, phone) {
                    (true, true) => "Username should be either an email or a phone number.",
                    (true, false) => "Username should be an email.",
                    _ => "Username should be a phone number.",
                }));
            };
            match attrs.iter_mut().find(|a| a.name == attr) {
                Some(a) => a.value = given.to_string(),
                None => attrs.push(Attribute {
                    name: attr.into(),
                    value: given.to_string(),
                }),
            }
            return Ok(sub.to_string());
        }
        if has(alias_attrs, "email") && is_email(given) {
            return Err(Error::invalid(
                "Username cannot be of email format, since user pool is configured for email alias.",
            ));
        }
        if has(alias_attrs, "phone_number") && is_phone_number(given) {
            return Err(Error::invalid(
                "Username cannot be of phone number format, since user pool is configured for phone_number alias.",
            ));
        }
        Ok(given.to_string())
    }

    /// MessageAction RESEND: a new temporary password for a user who has not signed in yet,
    /// and the invitation again.
    async fn resend_invitation(
        &self,
        pool: &UserPool,
        input: AdminCreateUserInput,
    ) -> Result<UserView> {
        let user = self
            .user(pool, input.username.as_deref().unwrap_or_default())
            .await?;
        let not_pending = || {
            Error::UnsupportedUserState(
                "Resend not possible. User status is not FORCE_CHANGE_PASSWORD.".into(),
            )
        };
        if user.status != UserStatus::ForceChangePassword {
            return Err(not_pending());
        }
        let policy = pool.password_policy();
        let temporary = match input.temporary_password {
            Some(p) => {
                password::check(&policy, &p, PasswordUse::TemporaryPassword)?;
                p
            }
            None => self.with_rng(|rng| password::generate(&policy, rng)),
        };
        let destinations =
            invitation_destinations(&user, input.desired_delivery_mediums.as_deref())?;
        let creds = self.credentials(&user, temporary.clone()).await?;
        let expires = temporary_expiry(pool, self.now());
        let user = self
            .modify_resolved(user, &|u| {
                if u.status != UserStatus::ForceChangePassword {
                    return Err(not_pending());
                }
                creds.apply(u);
                u.temporary_password_expires_ms = Some(expires);
                Ok(())
            })
            .await?;
        let shown = sign_in_name(pool, &user);
        self.send_invitation(pool, &user, &shown, &temporary, &destinations)
            .await;
        Ok(UserView::new(&user))
    }

    pub async fn admin_get_user(&self, input: UserInput) -> Result<AdminGetUserOutput> {
        input.validate()?;
        let pool = self.pool(input.pool_id()).await?;
        let user = self.user(&pool, input.username()).await?;
        Ok(AdminGetUserOutput::new(&user))
    }

    pub async fn admin_delete_user(&self, input: UserInput) -> Result<()> {
        input.validate()?;
        let pool = self.pool(input.pool_id()).await?;
        let user = self.user(&pool, input.username()).await?;
        if !self.store.delete_user(&pool.id, &user.username_key).await? {
            return Err(Error::user_not_found());
        }
        Ok(())
    }

    pub async fn admin_update_user_attributes(
        &self,
        input: AdminUpdateUserAttributesInput,
    ) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let given = input.user_attributes.unwrap_or_default();
        if let Some(a) = given.iter().find(|a| a.value.is_none()) {
            return Err(Error::invalid(format!(
                "Attribute value for {} must not be null",
                a.name()
            )));
        }
        let changes = check_write(&pool, &attribute_list(Some(given)), Write::Update)?;
        let cleared: Vec<String> = changes
            .iter()
            .filter(|a| a.value.is_empty())
            .map(|a| a.name.clone())
            .collect();
        attributes::check_delete(&pool, &cleared)?;
        let mut current = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        for attempt in 0..WRITE_ATTEMPTS {
            if attempt > 0 {
                current = self.reload(&current).await?;
            }
            let mut next = current.clone();
            for a in &changes {
                if a.value.is_empty() {
                    remove_attribute(&mut next, &a.name);
                    continue;
                }
                let changed = current.attribute(&a.name) != Some(a.value.as_str());
                next.set_attribute(&a.name, Some(a.value.clone()));
                if let Some((_, flag)) = VERIFIABLE.iter().find(|(n, _)| *n == a.name) {
                    if changed && !changes.iter().any(|c| c.name == *flag) {
                        next.set_attribute(flag, Some("false".into()));
                    }
                }
            }
            check_verifiable(&next, &changes)?;
            // Only values this request sets or verifies are checked: what the user already
            // held is not this request's business.
            let conflicts = self.conflicts(&pool, &next).await?;
            if let Some(c) = conflicts.iter().find(|c| touches(&changes, &c.attr)) {
                return Err(Error::AliasExists(exists_message(&c.attr)));
            }
            next.modified_ms = self.now();
            next.version = current.version + 1;
            match self.store.update_user(&next, current.version).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict(_)) => continue,
                Err(StoreError::NotFound) => return Err(Error::user_not_found()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(concurrent())
    }

    pub async fn admin_delete_user_attributes(
        &self,
        input: AdminDeleteUserAttributesInput,
    ) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let names = input.user_attribute_names.unwrap_or_default();
        attributes::check_delete(&pool, &names)?;
        self.modify_user(&pool, input.username.as_deref().unwrap_or_default(), &|u| {
            for name in &names {
                remove_attribute(u, name);
            }
            Ok(())
        })
        .await?;
        Ok(())
    }

    pub async fn admin_enable_user(&self, input: UserInput) -> Result<()> {
        self.set_enabled(input, true).await
    }

    pub async fn admin_disable_user(&self, input: UserInput) -> Result<()> {
        self.set_enabled(input, false).await
    }

    async fn set_enabled(&self, input: UserInput, enabled: bool) -> Result<()> {
        input.validate()?;
        let pool = self.pool(input.pool_id()).await?;
        self.modify_user(&pool, input.username(), &|u| {
            u.enabled = enabled;
            Ok(())
        })
        .await?;
        Ok(())
    }

    /// `Permanent` makes the user CONFIRMED with this password; otherwise it is a temporary
    /// password to be changed at the next sign-in (FORCE_CHANGE_PASSWORD), valid for the
    /// pool's `TemporaryPasswordValidityDays`.
    pub async fn admin_set_user_password(&self, input: AdminSetUserPasswordInput) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        let new_password = input.password.unwrap_or_default();
        password::check(
            &pool.password_policy(),
            &new_password,
            PasswordUse::NewPassword,
        )?;
        let creds = self.credentials(&user, new_password).await?;
        let permanent = input.permanent.unwrap_or(false);
        let expires = temporary_expiry(&pool, self.now());
        self.modify_resolved(user, &|u| {
            creds.apply(u);
            if permanent {
                u.status = UserStatus::Confirmed;
                u.temporary_password_expires_ms = None;
            } else {
                u.status = UserStatus::ForceChangePassword;
                u.temporary_password_expires_ms = Some(expires);
            }
            Ok(())
        })
        .await?;
        Ok(())
    }

    /// Puts the user in RESET_REQUIRED and, as the API reference describes, sends a
    /// password-reset code (for ConfirmForgotPassword) to a verified email or phone number that
    /// the pool verifies (`AutoVerifiedAttributes`), in the order of its recovery setting.
    pub async fn admin_reset_user_password(&self, input: UserInput) -> Result<()> {
        input.validate()?;
        let pool = self.pool(input.pool_id()).await?;
        let cannot_reset =
            || Error::NotAuthorized("User password cannot be reset in the current state.".into());
        let user = self.modify_user(&pool, input.username(), &|u| {
            if matches!(
                u.status,
                UserStatus::Unconfirmed | UserStatus::ForceChangePassword
            ) {
                return Err(cannot_reset());
            }
            let verified = VERIFIABLE.iter().any(|(attr, flag)| {
                u.attribute(attr).is_some_and(|v| !v.is_empty())
                    && u.attribute(flag) == Some("true")
            });
            if !verified {
                return Err(Error::invalid(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number",
                ));
            }
            u.status = UserStatus::ResetRequired;
            Ok(())
        })
        .await?;
        if let Some(attribute) = codes::admin_reset_attribute(&pool, &user) {
            self.issue_and_send_code(
                &pool,
                &user,
                codes::purpose::FORGOT_PASSWORD,
                codes::FORGOT_PASSWORD_CODE_TTL_MS,
                CodeMessage::ForgotPassword,
                attribute,
            )
            .await?;
        }
        Ok(())
    }

    pub async fn list_users(
        &self,
        input: ListUsersInput,
    ) -> Result<(Vec<UserView>, Option<String>)> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let filter = filter::parse(
            input.filter.as_deref().unwrap_or(""),
            pool.case_insensitive(),
        )?;
        if let Some(names) = &input.attributes_to_get {
            if let Some(unknown) = names
                .iter()
                .find(|n| attributes::schema_entry(&pool, n).is_none())
            {
                return Err(Error::invalid(format!(
                    "Invalid attribute name in AttributesToGet: {unknown}"
                )));
            }
        }
        let limit = list_limit(input.limit);
        let after = page::decode(input.pagination_token.as_deref())?;
        let rows = self
            .store
            .list_users(
                &pool.id,
                filter.as_ref(),
                after.as_deref(),
                limit as u32 + 1,
            )
            .await?;
        let (rows, next) = page::split(rows, limit, |u| u.username_key.clone());
        let names = input.attributes_to_get.as_deref();
        Ok((
            rows.iter().map(|u| UserView::new(u).only(names)).collect(),
            next,
        ))
    }

    // --- helpers shared by the user and group actions ---

    /// Reads a user again by its key (after a lost write race).
    async fn reload(&self, user: &User) -> Result<User> {
        self.store
            .get_user(&user.pool_id, &user.username_key)
            .await?
            .ok_or_else(Error::user_not_found)
    }

    /// Resolves `username` and applies `change` to the user, retrying on concurrent writes.
    pub(crate) async fn modify_user(
        &self,
        pool: &UserPool,
        username: &str,
        change: &Change<'_>,
    ) -> Result<User> {
        let user = self.user(pool, username).await?;
        self.modify_resolved(user, change).await
    }

    /// Applies `change` to `user` and writes it at the next version; if another write got
    /// there first, reads the user again and reapplies `change`.
    pub(crate) async fn modify_resolved(
        &self,
        mut current: User,
        change: &Change<'_>,
    ) -> Result<User> {
        for attempt in 0..WRITE_ATTEMPTS {
            if attempt > 0 {
                current = self.reload(&current).await?;
            }
            let mut next = current.clone();
            change(&mut next)?;
            next.modified_ms = self.now();
            next.version = current.version + 1;
            match self.store.update_user(&next, current.version).await {
                Ok(()) => return Ok(next),
                Err(StoreError::Conflict(_)) => continue,
                Err(StoreError::NotFound) => return Err(Error::user_not_found()),
                Err(e) => return Err(e.into()),
            }
        }
        Err(concurrent())
    }

    /// Users of the pool whose attribute `name` is `value`; in case-insensitive pools the
    /// lowercase form of an email or preferred username is looked up too.
    async fn users_with_attribute(
        &self,
        pool: &UserPool,
        name: &str,
        value: &str,
    ) -> Result<Vec<User>> {
        let mut found = self
            .store
            .find_users_by_attribute(&pool.id, name, value)
            .await?;
        let lowered = value.to_lowercase();
        if pool.case_insensitive() && name != "phone_number" && lowered != value {
            for u in self
                .store
                .find_users_by_attribute(&pool.id, name, &lowered)
                .await?
            {
                if !found.iter().any(|f| f.username_key == u.username_key) {
                    found.push(u);
                }
            }
        }
        Ok(found)
    }

    /// Other users holding a sign-in value `user` would hold.
    pub(crate) async fn conflicts(&self, pool: &UserPool, user: &User) -> Result<Vec<Conflict>> {
        let settings = &pool.settings;
        let mut wanted: Vec<(&str, Held)> = Vec::new();
        for attr in settings.username_attributes.iter().flatten() {
            wanted.push((attr, Held::UsernameAttribute));
        }
        for attr in settings.alias_attributes.iter().flatten() {
            match VERIFIABLE.iter().find(|(a, _)| a == attr) {
                Some((_, flag)) if user.attribute(flag) != Some("true") => {}
                Some(_) => wanted.push((attr, Held::VerifiedAlias)),
                None => wanted.push((attr, Held::Alias)),
            }
        }
        let mut out = Vec::new();
        for (attr, held) in wanted {
            let Some(value) = user.attribute(attr).filter(|v| !v.is_empty()) else {
                continue;
            };
            let flag = VERIFIABLE.iter().find(|(a, _)| *a == attr).map(|(_, f)| *f);
            for other in self.users_with_attribute(pool, attr, value).await? {
                if other.username_key == user.username_key {
                    continue;
                }
                if held == Held::VerifiedAlias
                    && flag.is_some_and(|f| other.attribute(f) != Some("true"))
                {
                    continue;
                }
                out.push(Conflict {
                    attr: attr.to_string(),
                    held,
                    other,
                });
            }
        }
        Ok(out)
    }
}

/// Whether `changes` set `attr` or its verification flag.
fn touches(changes: &[Attribute], attr: &str) -> bool {
    let flag = format!("{attr}_verified");
    changes.iter().any(|a| a.name == attr || a.name == flag)
}

fn username_exists() -> Error {
    Error::UsernameExists("User account already exists".into())
}

fn concurrent() -> Error {
    Error::ConcurrentModification("The user was modified by another request; try again.".into())
}

/// A list action's page size: `Limit` when it is 1–60, else the default 60.
pub(crate) fn list_limit(limit: Option<i64>) -> usize {
    match limit {
        Some(n) if (1..=60).contains(&n) => n as usize,
        _ => 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The protocol layer runs these futures on a multi-threaded executor; a closure or
    /// iterator held across an await can silently make them `!Send`. This fails to compile
    /// if that happens.
    #[allow(dead_code)]
    fn futures_are_send(s: &Service) {
        fn is_send<T: Send>(_: T) {}
        is_send(s.admin_create_user(Default::default()));
        is_send(s.admin_get_user(Default::default()));
        is_send(s.admin_delete_user(Default::default()));
        is_send(s.admin_update_user_attributes(Default::default()));
        is_send(s.admin_delete_user_attributes(Default::default()));
        is_send(s.admin_enable_user(Default::default()));
        is_send(s.admin_disable_user(Default::default()));
        is_send(s.admin_set_user_password(Default::default()));
        is_send(s.admin_reset_user_password(Default::default()));
        is_send(s.list_users(Default::default()));
        is_send(s.create_group(Default::default()));
        is_send(s.get_group(Default::default()));
        is_send(s.update_group(Default::default()));
        is_send(s.delete_group(Default::default()));
        is_send(s.list_groups(Default::default()));
        is_send(s.admin_add_user_to_group(Default::default()));
        is_send(s.admin_remove_user_from_group(Default::default()));
        is_send(s.admin_list_groups_for_user(Default::default()));
        is_send(s.list_users_in_group(Default::default()));
    }

    #[test]
    fn list_limits_default_to_sixty() {
        assert_eq!(list_limit(None), 60);
        assert_eq!(list_limit(Some(0)), 60);
        assert_eq!(list_limit(Some(1)), 1);
        assert_eq!(list_limit(Some(60)), 60);
    }

    #[test]
    fn touched_attributes_include_verification_flags() {
        let a = |n: &str| Attribute {
            name: n.into(),
            value: "x".into(),
        };
        assert!(touches(&[a("email")], "email"));
        assert!(touches(&[a("email_verified")], "email"));
        assert!(!touches(&[a("name")], "email"));
    }
}
