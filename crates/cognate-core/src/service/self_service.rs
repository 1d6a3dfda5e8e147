//! GetUser, UpdateUserAttributes, DeleteUserAttributes, GetUserAttributeVerificationCode,
//! VerifyUserAttribute, DeleteUser, ChangePassword, GlobalSignOut (all authorised by the
//! user's access token, see [`Service::authenticate_access_token`]); AdminUserGlobalSignOut
//! (IAM); RevokeToken (the client's credentials).
//!
//! Rules kept here:
//! - an app client reads and writes only what its `ReadAttributes` / `WriteAttributes` allow
//!   (by default every attribute but developer-only ones, and every one but `sub` and the
//!   verification flags); writing another is `NotAuthorizedException` "A client attempted to
//!   write unauthorized attribute";
//! - a changed email or phone number is no longer verified, and when the pool auto-verifies
//!   it a code goes to the new value (`CodeDeliveryDetailsList`). When the pool also lists it
//!   in `AttributesRequireVerificationBeforeUpdate` and the current value is verified, the
//!   current value stays (and keeps signing in) until the new one is verified: the new value
//!   waits beside the codes, as the code record of purpose `verify:<attribute>#pending` whose
//!   hash column holds the value, expiring with the code (24 hours) and going with the user;
//! - VerifyUserAttribute redeems the `verify:<attribute>` code (see `service::codes` for the
//!   code rules), then applies a pending value if there is one, and marks the attribute
//!   verified — refused with `AliasExistsException` if another user holds it as a verified
//!   alias;
//! - ChangePassword checks the new password against the policy, then the previous one, with
//!   the same lockout as sign-in (a stolen access token must not allow unlimited guessing);
//! - GlobalSignOut / AdminUserGlobalSignOut revoke every refresh token of the user, and so
//!   every access token of those families; RevokeToken revokes one family. RevokeToken answers
//!   with the errors its API declares: `UnauthorizedException` for a client that cannot prove
//!   itself (unknown id, missing or wrong secret) or a token of another client,
//!   `UnsupportedOperationException` when the client has token revocation off,
//!   `UnsupportedTokenTypeException` for an ID or access token; an unknown refresh token is
//!   revoked already, as RFC 7009 has it, and answers success.

use cognate_crypto::digest::constant_time_eq;

use super::auth::{apply_attributes, incorrect, unauthorized_attribute, writable};
use super::codes::{purpose, ATTRIBUTE_CODE_TTL_MS};
use super::tokens::{readable, refresh_token_hash};
use super::users::{exists_message, Held, WRITE_ATTEMPTS};
use super::Service;
use crate::api::self_service::{
    AccessTokenInput, ChangePasswordInput, DeleteUserAttributesInput,
    GetUserAttributeVerificationCodeInput, GetUserOutput, RevokeTokenInput,
    UpdateUserAttributesInput, VerifyUserAttributeInput,
};
use crate::api::signup::CodeDeliveryDetails;
use crate::api::users::UserInput;
use crate::attributes::{self, check_write, Write};
use crate::messages::CodeMessage;
use crate::model::{Attribute, CodeRecord, User, UserPool, UserPoolClient};
use crate::password::{self, PasswordUse};
use crate::store::StoreError;
use crate::{Error, Result};

/// The attributes that have a verification flag.
const VERIFIABLE: &[&str] = &["email", "phone_number"];

fn flag_of(attribute: &str) -> String {
    format!("{attribute}_verified")
}

fn pending_purpose(attribute: &str) -> String {
    format!("{}#pending", purpose::verify(attribute))
}

fn concurrent() -> Error {
    Error::ConcurrentModification("The user was modified by another request; try again.".into())
}

fn verifiable(attribute: &str) -> Result<()> {
    if VERIFIABLE.contains(&attribute) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "Attribute {attribute} cannot be verified: only email and phone_number can."
        )))
    }
}

fn lists(list: Option<&Vec<String>>, name: &str) -> bool {
    list.is_some_and(|l| l.iter().any(|a| a == name))
}

/// Whether a change of `attribute` waits for verification before it takes effect.
fn verify_before_update(pool: &UserPool, user: &User, attribute: &str) -> bool {
    let s = &pool.settings;
    VERIFIABLE.contains(&attribute)
        && lists(
            s.user_attribute_update_settings
                .as_ref()
                .and_then(|u| u.attributes_require_verification_before_update.as_ref()),
            attribute,
        )
        && lists(s.auto_verified_attributes.as_ref(), attribute)
        && user.attribute(&flag_of(attribute)) == Some("true")
}

impl Service {
    /// The app client an access token was issued to.
    async fn token_client(
        &self,
        pool: &UserPool,
        claims: &serde_json::Value,
    ) -> Result<UserPoolClient> {
        let client_id = claims["client_id"].as_str().unwrap_or_default();
        self.store
            .get_client(&pool.id, client_id)
            .await?
            .ok_or_else(|| Error::NotAuthorized("Invalid Access Token".into()))
    }

    pub async fn get_user(&self, input: AccessTokenInput) -> Result<GetUserOutput> {
        input.validate()?;
        let (pool, user, claims) = self.authenticate_access_token(input.token()).await?;
        let client = self.token_client(&pool, &claims).await?;
        Ok(GetUserOutput {
            username: user.username.clone(),
            user_attributes: user
                .attributes_with_sub()
                .into_iter()
                .filter(|a| readable(&client, &a.name))
                .collect(),
            mfa_options: None,
            preferred_mfa_setting: None,
            user_mfa_setting_list: None,
        })
    }

    pub async fn update_user_attributes(
        &self,
        input: UpdateUserAttributesInput,
    ) -> Result<Vec<CodeDeliveryDetails>> {
        input.validate()?;
        let token = input.access_token.clone().unwrap_or_default();
        let (pool, user, claims) = self.authenticate_access_token(&token).await?;
        let client = self.token_client(&pool, &claims).await?;
        let given = input.user_attributes.unwrap_or_default();
        if let Some(a) = given.iter().find(|a| a.value.is_none()) {
            return Err(Error::invalid(format!(
                "Attribute value for {} must not be null",
                a.name()
            )));
        }
        let given: Vec<Attribute> = given
            .into_iter()
            .map(|a| Attribute {
                name: a.name.unwrap_or_default(),
                value: a.value.unwrap_or_default(),
            })
            .collect();
        if given.iter().any(|a| !writable(&client, &a.name)) {
            return Err(unauthorized_attribute());
        }
        let changes = check_write(&pool, &given, Write::Update)?;
        let cleared: Vec<String> = changes
            .iter()
            .filter(|a| a.value.is_empty())
            .map(|a| a.name.clone())
            .collect();
        attributes::check_delete(&pool, &cleared)?;
        // Changes of verified values the pool wants verified first wait; the rest apply now.
        let (pending, immediate): (Vec<Attribute>, Vec<Attribute>) =
            changes.into_iter().partition(|a| {
                !a.value.is_empty()
                    && user.attribute(&a.name) != Some(a.value.as_str())
                    && verify_before_update(&pool, &user, &a.name)
            });
        let before = user.clone();
        let user = self.write_attributes(&pool, user, &immediate).await?;
        let mut sent = Vec::new();
        for attribute in VERIFIABLE {
            let changed = immediate.iter().any(|a| {
                a.name == *attribute
                    && !a.value.is_empty()
                    && before.attribute(attribute) != Some(a.value.as_str())
            });
            if changed && lists(pool.settings.auto_verified_attributes.as_ref(), attribute) {
                // A new value replaces any value still waiting.
                self.drop_pending(&pool, &user, attribute).await?;
                sent.push(
                    self.send_verification(
                        &pool,
                        &user,
                        attribute,
                        CodeMessage::UpdateUserAttribute,
                    )
                    .await?,
                );
            }
        }
        for a in &pending {
            self.store
                .put_code(&CodeRecord {
                    pool_id: pool.id.clone(),
                    username_key: user.username_key.clone(),
                    purpose: pending_purpose(&a.name),
                    code_hash: a.value.clone(),
                    created_ms: self.now(),
                    expires_ms: self.now().saturating_add(ATTRIBUTE_CODE_TTL_MS),
                    attempts: 0,
                })
                .await?;
            sent.push(
                self.send_verification(&pool, &user, &a.name, CodeMessage::UpdateUserAttribute)
                    .await?,
            );
        }
        Ok(sent)
    }

    pub async fn delete_user_attributes(&self, input: DeleteUserAttributesInput) -> Result<()> {
        input.validate()?;
        let token = input.access_token.clone().unwrap_or_default();
        let (pool, user, claims) = self.authenticate_access_token(&token).await?;
        let client = self.token_client(&pool, &claims).await?;
        let names = input.user_attribute_names.unwrap_or_default();
        if names.iter().any(|n| !writable(&client, n)) {
            return Err(unauthorized_attribute());
        }
        attributes::check_delete(&pool, &names)?;
        let cleared: Vec<Attribute> = names
            .iter()
            .map(|n| Attribute {
                name: n.clone(),
                value: String::new(),
            })
            .collect();
        let user = self.write_attributes(&pool, user, &cleared).await?;
        for name in &names {
            if VERIFIABLE.contains(&name.as_str()) {
                self.drop_pending(&pool, &user, name).await?;
            }
        }
        Ok(())
    }

    pub async fn get_user_attribute_verification_code(
        &self,
        input: GetUserAttributeVerificationCodeInput,
    ) -> Result<CodeDeliveryDetails> {
        input.validate()?;
        let token = input.access_token.clone().unwrap_or_default();
        let (pool, user, _) = self.authenticate_access_token(&token).await?;
        let attribute = input.attribute_name.as_deref().unwrap_or_default();
        verifiable(attribute)?;
        self.send_verification(&pool, &user, attribute, CodeMessage::VerifyUserAttribute)
            .await
    }

    pub async fn verify_user_attribute(&self, input: VerifyUserAttributeInput) -> Result<()> {
        input.validate()?;
        let token = input.access_token.clone().unwrap_or_default();
        let (pool, user, _) = self.authenticate_access_token(&token).await?;
        let attribute = input.attribute_name.as_deref().unwrap_or_default();
        verifiable(attribute)?;
        let pending = self.pending_value(&pool, &user, attribute).await?;
        if pending.is_none() && user.attribute(attribute).is_none_or(str::is_empty) {
            return Err(Error::invalid(format!(
                "The user has no {attribute} to verify."
            )));
        }
        let hash = self
            .check_code(
                &pool,
                &user,
                &purpose::verify(attribute),
                input.code.as_deref().unwrap_or_default(),
            )
            .await?;
        // A verified value must not be another user's verified alias.
        let mut preview = user.clone();
        if let Some(value) = &pending {
            preview.set_attribute(attribute, Some(value.clone()));
        }
        preview.set_attribute(&flag_of(attribute), Some("true".into()));
        if let Some(c) = self
            .conflicts(&pool, &preview)
            .await?
            .into_iter()
            .find(|c| c.attr == attribute && c.held != Held::Alias)
        {
            return Err(Error::AliasExists(exists_message(&c.attr)));
        }
        self.use_code(&pool, &user, &purpose::verify(attribute), &hash)
            .await?;
        let flag = flag_of(attribute);
        self.modify_resolved(user.clone(), &|u| {
            if let Some(value) = &pending {
                u.set_attribute(attribute, Some(value.clone()));
            }
            u.set_attribute(&flag, Some("true".into()));
            Ok(())
        })
        .await?;
        if let Some(value) = pending {
            self.consume_pending(&pool, &user, attribute, &value)
                .await?;
        }
        Ok(())
    }

    pub async fn delete_user(&self, input: AccessTokenInput) -> Result<()> {
        input.validate()?;
        let (pool, user, _) = self.authenticate_access_token(input.token()).await?;
        if !self.store.delete_user(&pool.id, &user.username_key).await? {
            return Err(Error::user_not_found());
        }
        Ok(())
    }

    pub async fn change_password(&self, input: ChangePasswordInput) -> Result<()> {
        input.validate()?;
        let token = input.access_token.clone().unwrap_or_default();
        let (pool, user, _) = self.authenticate_access_token(&token).await?;
        let proposed = input.proposed_password.unwrap_or_default();
        password::check(&pool.password_policy(), &proposed, PasswordUse::NewPassword)?;
        if user.password_hash.is_some() {
            let failures = self
                .store
                .get_sign_in_failures(&pool.id, &user.username_key)
                .await?;
            let gate = self.sign_in_gate(&user, failures)?;
            let previous = input.previous_password.ok_or_else(incorrect)?;
            if !self.password_matches(&user, previous).await? {
                return Err(self.first_factor_failed(&pool, &user).await);
            }
            if gate.had_failures {
                self.store
                    .clear_sign_in_failures(&pool.id, &user.username_key)
                    .await?;
            }
        }
        let creds = self.credentials(&user, proposed).await?;
        self.modify_resolved(user, &|u| {
            creds.apply(u);
            Ok(())
        })
        .await?;
        Ok(())
    }

    pub async fn global_sign_out(&self, input: AccessTokenInput) -> Result<()> {
        input.validate()?;
        let (pool, user, _) = self.authenticate_access_token(input.token()).await?;
        self.store
            .revoke_user_refresh_tokens(&pool.id, &user.username_key, self.now())
            .await?;
        Ok(())
    }

    pub async fn admin_user_global_sign_out(&self, input: UserInput) -> Result<()> {
        input.validate()?;
        let pool = self.pool(input.pool_id()).await?;
        let user = self.user(&pool, input.username()).await?;
        self.store
            .revoke_user_refresh_tokens(&pool.id, &user.username_key, self.now())
            .await?;
        Ok(())
    }

    pub async fn revoke_token(&self, input: RevokeTokenInput) -> Result<()> {
        input.validate()?;
        let unauthorized = || Error::UnauthorizedClient("Client authentication failed.".into());
        let client = self
            .store
            .find_client(input.client_id.as_deref().unwrap_or_default())
            .await?
            .ok_or_else(unauthorized)?;
        if let Some(secret) = &client.secret {
            let given = input.client_secret.as_deref().unwrap_or_default();
            if !constant_time_eq(secret.as_bytes(), given.as_bytes()) {
                return Err(unauthorized());
            }
        }
        if client.settings.enable_token_revocation == Some(false) {
            return Err(Error::UnsupportedOperation(
                "Token revocation is not enabled for this app client.".into(),
            ));
        }
        let token = input.token.as_deref().unwrap_or_default();
        if token.split('.').count() == 3 {
            return Err(Error::UnsupportedTokenType(
                "Only refresh tokens can be revoked.".into(),
            ));
        }
        let hash = refresh_token_hash(token);
        let Some(record) = self.store.get_refresh_token(&hash).await? else {
            return Ok(());
        };
        if record.client_id != client.client_id {
            return Err(unauthorized());
        }
        self.store.revoke_refresh_token(&hash, self.now()).await?;
        Ok(())
    }

    // --- helpers ---

    /// Writes attribute changes (an empty value deletes, with its verification flag), after
    /// checking that no other user holds a sign-in value they set; retries on concurrent
    /// writes.
    async fn write_attributes(
        &self,
        pool: &UserPool,
        mut current: User,
        changes: &[Attribute],
    ) -> Result<User> {
        if changes.is_empty() {
            return Ok(current);
        }
        for attempt in 0..WRITE_ATTEMPTS {
            if attempt > 0 {
                current = self
                    .store
                    .get_user(&current.pool_id, &current.username_key)
                    .await?
                    .ok_or_else(Error::user_not_found)?;
            }
            let mut next = current.clone();
            apply_attributes(&mut next, changes);
            for a in changes.iter().filter(|a| a.value.is_empty()) {
                if VERIFIABLE.contains(&a.name.as_str()) {
                    next.set_attribute(&flag_of(&a.name), None);
                }
            }
            let touched = |attr: &str| {
                let flag = flag_of(attr);
                changes.iter().any(|a| a.name == attr || a.name == flag)
            };
            if let Some(c) = self
                .conflicts(pool, &next)
                .await?
                .into_iter()
                .find(|c| touched(&c.attr))
            {
                return Err(Error::AliasExists(exists_message(&c.attr)));
            }
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

    /// Issues a `verify:<attribute>` code and sends it to the value being verified: the value
    /// waiting for verification if there is one, else the current one.
    async fn send_verification(
        &self,
        pool: &UserPool,
        user: &User,
        attribute: &str,
        kind: CodeMessage,
    ) -> Result<CodeDeliveryDetails> {
        let mut target = user.clone();
        if let Some(value) = self.pending_value(pool, user, attribute).await? {
            target.set_attribute(attribute, Some(value));
        }
        if target.attribute(attribute).is_none_or(str::is_empty) {
            return Err(Error::invalid(format!(
                "The user has no {attribute} to send a code to."
            )));
        }
        let code = self
            .issue_code(
                pool,
                user,
                &purpose::verify(attribute),
                ATTRIBUTE_CODE_TTL_MS,
            )
            .await?;
        self.send_code(pool, &target, kind, &code, Some(attribute))
            .await
    }

    /// The value of `attribute` waiting for verification, if any (and not expired).
    async fn pending_value(
        &self,
        pool: &UserPool,
        user: &User,
        attribute: &str,
    ) -> Result<Option<String>> {
        Ok(self
            .store
            .get_code(&pool.id, &user.username_key, &pending_purpose(attribute))
            .await?
            .filter(|r| r.expires_ms > self.now())
            .map(|r| r.code_hash))
    }

    async fn consume_pending(
        &self,
        pool: &UserPool,
        user: &User,
        attribute: &str,
        value: &str,
    ) -> Result<()> {
        self.store
            .consume_code(
                &pool.id,
                &user.username_key,
                &pending_purpose(attribute),
                value,
            )
            .await?;
        Ok(())
    }

    /// Forgets a value waiting for verification.
    async fn drop_pending(&self, pool: &UserPool, user: &User, attribute: &str) -> Result<()> {
        if let Some(value) = self
            .store
            .get_code(&pool.id, &user.username_key, &pending_purpose(attribute))
            .await?
            .map(|r| r.code_hash)
        {
            self.consume_pending(pool, user, attribute, &value).await?;
        }
        Ok(())
    }
}
