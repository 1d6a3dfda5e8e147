//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.
//!
//! Rules kept here:
//! - the public actions name an app client, and prove it with `SECRET_HASH` when the client
//!   has a secret (computed over the username as given);
//! - SignUp is refused in pools that let only administrators create users
//!   (`AllowAdminCreateUserOnly`): `NotAuthorizedException` "SignUp is not permitted for this
//!   user pool";
//! - the password meets the pool's policy ("Password did not conform with policy: …"); the
//!   attributes meet the schema, every required attribute is given ("Attributes did not
//!   conform to the schema: email: The attribute is required"), and the client may write each
//!   of them (`WriteAttributes`; never `*_verified` or `dev:*`): `NotAuthorizedException` "A
//!   client attempted to write unauthorized attribute";
//! - a taken username is `UsernameExistsException` "User already exists", decided by the
//!   store's insert, so of any number of concurrent sign-ups of one name exactly one wins. In
//!   pools whose usernames are emails or phone numbers the stored username is the generated
//!   `sub`; a second user with the same email or phone number is refused, and of concurrent
//!   sign-ups with one address each one that sees another after its insert withdraws, so at
//!   most one remains;
//! - a new user is UNCONFIRMED. When the pool auto-verifies an attribute the user has, a
//!   confirmation code (24 hours) is sent to it (the phone number when both are) and
//!   `CodeDeliveryDetails` says where; confirming with it makes the user CONFIRMED and marks
//!   that attribute verified (taking a verified alias from another user only with
//!   `ForceAliasCreation`);
//! - AdminConfirmSignUp confirms without a code and verifies nothing;
//! - with `PreventUserExistenceErrors` on the client, an unknown or disabled user is not
//!   revealed: ResendConfirmationCode answers a simulated delivery and ConfirmSignUp a code
//!   mismatch.
//!
//! Not here: the Pre sign-up, Custom message and Post confirmation triggers (ValidationData and
//! ClientMetadata are accepted for them), `Session` for sign-in right after confirmation, and
//! confirmation by link (`CONFIRM_WITH_LINK` pools get the code message).

use super::client_auth::check_secret_hash;
use super::codes::{
    self, confirmation_attribute, hides_user_existence, simulated_delivery, verifies_any,
    CodeRequest,
};
use super::users::{attribute_list, exists_message, Held};
use super::Service;
use crate::api::signup::{
    AdminConfirmSignUpInput, CodeDeliveryOutput, ConfirmSignUpInput, ResendConfirmationCodeInput,
    SignUpInput, SignUpOutput,
};
use crate::api::Validator;
use crate::attributes::{check_write, schema_error, Write};
use crate::messages::CodeMessage;
use crate::model::{Attribute, User, UserPool, UserPoolClient, UserStatus};
use crate::password::{self, PasswordUse};
use crate::store::StoreError;
use crate::{ids, Error, Result};

/// Attributes an app client can never write.
const NEVER_WRITABLE: &[&str] = &["sub", "email_verified", "phone_number_verified"];

/// Factors that sign a user in without a password (choice-based authentication).
const PASSWORDLESS_FACTORS: &[&str] = &["EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

pub(crate) fn combination_not_found() -> Error {
    Error::UserNotFound("Username/client id combination not found.".into())
}

pub(crate) fn user_disabled() -> Error {
    Error::NotAuthorized("User is disabled.".into())
}

fn user_exists() -> Error {
    Error::UsernameExists("User already exists".into())
}

fn cannot_confirm(status: UserStatus) -> Error {
    Error::NotAuthorized(format!(
        "User cannot be confirmed. Current status is {}",
        status.as_str()
    ))
}

/// `NotAuthorizedException` unless the client may write every attribute in `attrs`.
fn check_client_writes(client: &UserPoolClient, attrs: &[Attribute]) -> Result<()> {
    let allowed = |name: &str| {
        if NEVER_WRITABLE.contains(&name) || name.starts_with("dev:") {
            return false;
        }
        match &client.settings.write_attributes {
            Some(list) => list.iter().any(|a| a == name),
            None => true,
        }
    };
    if attrs.iter().all(|a| allowed(&a.name)) {
        Ok(())
    } else {
        Err(Error::NotAuthorized(
            "A client attempted to write unauthorized attribute".into(),
        ))
    }
}

/// Every required attribute of the schema has a value.
fn check_required(pool: &UserPool, attrs: &[Attribute]) -> Result<()> {
    let problems: Vec<(String, String)> = pool
        .schema()
        .iter()
        .filter(|e| e.is_required() && e.name() != "sub")
        .filter(|e| {
            !attrs
                .iter()
                .any(|a| a.name == e.name() && !a.value.is_empty())
        })
        .map(|e| {
            (
                e.name().to_string(),
                "The attribute is required".to_string(),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(schema_error(Write::Create, &problems))
    }
}

/// Whether the pool lets users sign in without a password, so SignUp may omit one.
fn allows_passwordless(pool: &UserPool) -> bool {
    pool.settings
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|s| s.allowed_first_auth_factors.as_ref())
        .is_some_and(|f| f.iter().any(|x| PASSWORDLESS_FACTORS.contains(&x.as_str())))
}

impl Service {
    pub async fn sign_up(&self, input: SignUpInput) -> Result<SignUpOutput> {
        input.validate()?;
        let (pool, client) = self
            .app_client(input.client_id.as_deref().unwrap_or_default())
            .await?;
        let given_username = input.username.clone().unwrap_or_default();
        check_secret_hash(&client, &given_username, input.secret_hash.as_deref())?;
        let admin_only = pool
            .settings
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.allow_admin_create_user_only)
            .unwrap_or(false);
        if admin_only {
            return Err(Error::NotAuthorized(
                "SignUp is not permitted for this user pool".into(),
            ));
        }
        match &input.password {
            Some(p) => password::check(&pool.password_policy(), p, PasswordUse::SignUp)?,
            None if allows_passwordless(&pool) => {}
            None => {
                Validator::new()
                    .required::<String>("Password", None)
                    .finish()?;
            }
        }
        let given = attribute_list(input.user_attributes);
        let mut attrs = check_write(&pool, &given, Write::Create)?;
        check_client_writes(&client, &attrs)?;
        let sub = self.with_rng(ids::new_uuid);
        let username = self.creation_username(&pool, &given_username, &sub, &mut attrs)?;
        check_required(&pool, &attrs)?;
        let now = self.now();
        let mut user = User {
            pool_id: pool.id.clone(),
            username_key: pool.username_key(&username),
            username,
            sub: sub.clone(),
            status: UserStatus::Unconfirmed,
            enabled: true,
            attributes: Vec::new(),
            password_hash: None,
            temporary_password_expires_ms: None,
            created_ms: now,
            modified_ms: now,
            version: 0,
            srp_verifier: None,
        };
        for a in &attrs {
            user.set_attribute(&a.name, Some(a.value.clone()));
        }
        // Checked here as well as by the insert, so that a taken name costs no password hash.
        if self
            .store
            .get_user(&pool.id, &user.username_key)
            .await?
            .is_some()
        {
            return Err(user_exists());
        }
        self.refuse_conflicts(&pool, &user).await?;
        if let Some(p) = input.password {
            self.credentials(&user, p).await?.apply(&mut user);
        }
        match self.store.insert_user(&user).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => return Err(user_exists()),
            Err(StoreError::NotFound) => return Err(Error::pool_not_found(&pool.id)),
            Err(e) => return Err(e.into()),
        }
        if let Err(e) = self.refuse_conflicts(&pool, &user).await {
            // Another sign-up took the same email or phone number meanwhile: withdraw.
            self.store.delete_user(&pool.id, &user.username_key).await?;
            return Err(e);
        }
        self.record_active(&pool.id, &user.sub).await;
        let code_delivery_details = match confirmation_attribute(&pool, &user) {
            Some(attribute) => Some(
                self.issue_and_send_code(
                    &pool,
                    &user,
                    codes::purpose::SIGN_UP,
                    codes::SIGN_UP_CODE_TTL_MS,
                    CodeMessage::SignUp,
                    attribute,
                )
                .await?,
            ),
            None => None,
        };
        Ok(SignUpOutput {
            user_confirmed: false,
            code_delivery_details,
            user_sub: sub,
        })
    }

    /// Refuses a new user whose sign-in values another user holds: the email or phone number
    /// of a pool that signs in with them (`UsernameExistsException`), or a preferred-username
    /// alias (`AliasExistsException`). Unverified email and phone aliases are not sign-in
    /// values yet, so they conflict only when confirmed.
    async fn refuse_conflicts(&self, pool: &UserPool, user: &User) -> Result<()> {
        for c in self.conflicts(pool, user).await? {
            match c.held {
                Held::UsernameAttribute => {
                    return Err(Error::UsernameExists(exists_message(&c.attr)))
                }
                Held::Alias => return Err(Error::AliasExists(exists_message(&c.attr))),
                Held::VerifiedAlias => {}
            }
        }
        Ok(())
    }

    pub async fn confirm_sign_up(&self, input: ConfirmSignUpInput) -> Result<()> {
        input.validate()?;
        let (pool, client) = self
            .app_client(input.client_id.as_deref().unwrap_or_default())
            .await?;
        let username = input.username.as_deref().unwrap_or_default();
        check_secret_hash(&client, username, input.secret_hash.as_deref())?;
        let hide = hides_user_existence(&client);
        let Some(user) = self.find_user(&pool, username).await? else {
            return Err(if hide {
                codes::mismatch()
            } else {
                combination_not_found()
            });
        };
        if !user.enabled {
            return Err(if hide {
                codes::mismatch()
            } else {
                user_disabled()
            });
        }
        if user.status != UserStatus::Unconfirmed {
            return Err(cannot_confirm(user.status));
        }
        let code = input.confirmation_code.as_deref().unwrap_or_default();
        let hash = self
            .check_code(&pool, &user, codes::purpose::SIGN_UP, code)
            .await?;
        // The attribute the code went to becomes verified; if that makes it a sign-in alias
        // another user holds, the alias moves only when the caller forces it.
        let verified = confirmation_attribute(&pool, &user);
        let mut takeovers = Vec::new();
        if let Some(attr) = verified {
            let mut next = user.clone();
            next.set_attribute(&format!("{attr}_verified"), Some("true".into()));
            for c in self.conflicts(&pool, &next).await? {
                if c.held == Held::VerifiedAlias && c.attr == attr {
                    if input.force_alias_creation.unwrap_or(false) {
                        takeovers.push(c);
                    } else {
                        return Err(Error::AliasExists(exists_message(&c.attr)));
                    }
                }
            }
        }
        self.use_code(&pool, &user, codes::purpose::SIGN_UP, &hash)
            .await?;
        for c in takeovers {
            let flag = format!("{}_verified", c.attr);
            self.modify_resolved(c.other, &|u| {
                u.set_attribute(&flag, Some("false".into()));
                Ok(())
            })
            .await?;
        }
        self.modify_resolved(user, &|u| {
            if u.status != UserStatus::Unconfirmed {
                return Err(cannot_confirm(u.status));
            }
            u.status = UserStatus::Confirmed;
            if let Some(attr) = verified {
                u.set_attribute(&format!("{attr}_verified"), Some("true".into()));
            }
            Ok(())
        })
        .await?;
        Ok(())
    }

    pub async fn resend_confirmation_code(
        &self,
        input: ResendConfirmationCodeInput,
    ) -> Result<CodeDeliveryOutput> {
        input.validate()?;
        let username = input.username.as_deref().unwrap_or_default();
        let (pool, user, hide) = match self
            .code_request(
                input.client_id.as_deref(),
                username,
                input.secret_hash.as_deref(),
                false,
            )
            .await?
        {
            CodeRequest::For { pool, user, hide } => (*pool, *user, hide),
            CodeRequest::Simulated(answer) => return Ok(answer),
        };
        let simulated = || CodeDeliveryOutput {
            code_delivery_details: simulated_delivery(&pool, username, false),
        };
        if user.status != UserStatus::Unconfirmed {
            return Err(Error::invalid("User is already confirmed."));
        }
        if !verifies_any(&pool) {
            return Err(Error::invalid(
                "Cannot resend codes. Auto verification not turned on.",
            ));
        }
        let Some(attribute) = confirmation_attribute(&pool, &user) else {
            return if hide {
                Ok(simulated())
            } else {
                Err(Error::invalid(
                    "There is no email or phone_number to deliver the code to.",
                ))
            };
        };
        let code_delivery_details = self
            .issue_and_send_code(
                &pool,
                &user,
                codes::purpose::SIGN_UP,
                codes::SIGN_UP_CODE_TTL_MS,
                CodeMessage::ResendCode,
                attribute,
            )
            .await?;
        Ok(CodeDeliveryOutput {
            code_delivery_details,
        })
    }

    pub async fn admin_confirm_sign_up(&self, input: AdminConfirmSignUpInput) -> Result<()> {
        input.validate()?;
        let pool = self
            .pool(input.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let user = self
            .user(&pool, input.username.as_deref().unwrap_or_default())
            .await?;
        self.modify_resolved(user, &|u| {
            if u.status != UserStatus::Unconfirmed {
                return Err(cannot_confirm(u.status));
            }
            u.status = UserStatus::Confirmed;
            Ok(())
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pool::{Policies, SignInPolicy};
    use crate::model::{ClientSettings, PoolSettings, SchemaAttribute};
    use crate::service::pools::build_schema;

    #[allow(dead_code)]
    fn futures_are_send(s: &Service) {
        fn is_send<T: Send>(_: T) {}
        is_send(s.sign_up(Default::default()));
        is_send(s.confirm_sign_up(Default::default()));
        is_send(s.resend_confirmation_code(Default::default()));
        is_send(s.admin_confirm_sign_up(Default::default()));
    }

    fn attr(name: &str, value: &str) -> Attribute {
        Attribute {
            name: name.into(),
            value: value.into(),
        }
    }

    fn client(write: Option<&[&str]>) -> UserPoolClient {
        UserPoolClient {
            pool_id: "us-east-1_test".into(),
            client_id: "c".into(),
            name: "n".into(),
            secret: None,
            created_ms: 0,
            modified_ms: 0,
            settings: ClientSettings {
                write_attributes: write.map(|w| w.iter().map(|s| s.to_string()).collect()),
                ..Default::default()
            },
        }
    }

    fn pool(schema: Vec<SchemaAttribute>) -> UserPool {
        UserPool::for_tests(PoolSettings {
            schema_attributes: Some(build_schema(&schema).unwrap()),
            ..Default::default()
        })
    }

    #[test]
    fn clients_write_only_what_they_may() {
        let open = client(None);
        assert!(check_client_writes(&open, &[attr("email", "a@x.io")]).is_ok());
        let err = check_client_writes(&open, &[attr("email_verified", "true")]).unwrap_err();
        assert_eq!(
            err,
            Error::NotAuthorized("A client attempted to write unauthorized attribute".into())
        );
        let narrow = client(Some(&["email"]));
        assert!(check_client_writes(&narrow, &[attr("email", "a@x.io")]).is_ok());
        assert!(check_client_writes(&narrow, &[attr("name", "A")]).is_err());
    }

    #[test]
    fn missing_required_attributes_are_listed_in_cognito_words() {
        let required = |n: &str| SchemaAttribute {
            name: Some(n.into()),
            required: Some(true),
            ..Default::default()
        };
        let p = pool(vec![required("email"), required("name")]);
        assert!(check_required(&p, &[attr("email", "a@x.io"), attr("name", "A")]).is_ok());
        let err = check_required(&p, &[attr("name", "A")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Attributes did not conform to the schema: email: The attribute is required"
        );
        let err = check_required(&p, &[attr("email", "")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Attributes did not conform to the schema: name: The attribute is required\nemail: The attribute is required"
        );
    }

    #[test]
    fn passwords_may_be_omitted_only_with_a_passwordless_first_factor() {
        let mut p = pool(vec![]);
        assert!(!allows_passwordless(&p));
        p.settings.policies = Some(Policies {
            sign_in_policy: Some(SignInPolicy {
                allowed_first_auth_factors: Some(vec!["PASSWORD".into(), "EMAIL_OTP".into()]),
            }),
            ..Default::default()
        });
        assert!(allows_passwordless(&p));
    }
}
