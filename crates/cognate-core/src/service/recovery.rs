//! ForgotPassword and ConfirmForgotPassword.
//!
//! Rules kept here:
//! - ForgotPassword sends a one-hour code to the user's first verified recovery destination
//!   (`AccountRecoverySetting`, or a verified phone number, then a verified email); a user
//!   without one is `InvalidParameterException` "Cannot reset password for the user as there
//!   is no registered/verified email or phone_number", a disabled user `NotAuthorizedException`
//!   "User is disabled.", a user with a temporary password (FORCE_CHANGE_PASSWORD)
//!   `NotAuthorizedException` "User password cannot be reset in the current state.", an
//!   unknown one `UserNotFoundException` "Username/client id combination not found.";
//! - with `PreventUserExistenceErrors` on the client, an unknown or disabled user or one with
//!   nowhere to send answers a simulated `CodeDeliveryDetails` and nothing is sent, and
//!   ConfirmForgotPassword answers `CodeMismatchException` for an unknown or disabled user (the
//!   developer guide, "Managing user existence error responses");
//! - ConfirmForgotPassword checks the new password against the policy ("Password does not
//!   conform to policy: …") and the code (see `service::codes`), sets the password and makes the
//!   user CONFIRMED (a RESET_REQUIRED user included).
//!
//! Not here: the User migration trigger for unknown users, the Custom message and Post
//! confirmation triggers, password history.

use super::client_auth::check_secret_hash;
use super::codes::{
    self, hides_user_existence, recovery_attribute, simulated_delivery, CodeRequest,
};
use super::signup::{combination_not_found, user_disabled};
use super::Service;
use crate::api::recovery::{ConfirmForgotPasswordInput, ForgotPasswordInput};
use crate::api::signup::CodeDeliveryOutput;
use crate::messages::CodeMessage;
use crate::model::UserStatus;
use crate::password::{self, PasswordUse};
use crate::{Error, Result};

impl Service {
    pub async fn forgot_password(&self, input: ForgotPasswordInput) -> Result<CodeDeliveryOutput> {
        input.validate()?;
        let username = input.username.as_deref().unwrap_or_default();
        let (pool, user, hide) = match self
            .code_request(
                input.client_id.as_deref(),
                username,
                input.secret_hash.as_deref(),
                true,
            )
            .await?
        {
            CodeRequest::For { pool, user, hide } => (*pool, *user, hide),
            CodeRequest::Simulated(answer) => return Ok(answer),
        };
        let simulated = || CodeDeliveryOutput {
            code_delivery_details: simulated_delivery(&pool, username, true),
        };
        if user.status == UserStatus::ForceChangePassword {
            return Err(Error::NotAuthorized(
                "User password cannot be reset in the current state.".into(),
            ));
        }
        let Some(attribute) = recovery_attribute(&pool, &user) else {
            return if hide {
                Ok(simulated())
            } else {
                Err(Error::invalid(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number",
                ))
            };
        };
        let code_delivery_details = self
            .issue_and_send_code(
                &pool,
                &user,
                codes::purpose::FORGOT_PASSWORD,
                codes::FORGOT_PASSWORD_CODE_TTL_MS,
                CodeMessage::ForgotPassword,
                attribute,
            )
            .await?;
        Ok(CodeDeliveryOutput {
            code_delivery_details,
        })
    }

    pub async fn confirm_forgot_password(&self, input: ConfirmForgotPasswordInput) -> Result<()> {
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
        let new_password = input.password.unwrap_or_default();
        password::check(
            &pool.password_policy(),
            &new_password,
            PasswordUse::NewPassword,
        )?;
        let code = input.confirmation_code.as_deref().unwrap_or_default();
        self.redeem_code(&pool, &user, codes::purpose::FORGOT_PASSWORD, code)
            .await?;
        let creds = self.credentials(&user, new_password).await?;
        self.modify_resolved(user, &|u| {
            creds.apply(u);
            u.status = UserStatus::Confirmed;
            u.temporary_password_expires_ms = None;
            Ok(())
        })
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(dead_code)]
    fn futures_are_send(s: &Service) {
        fn is_send<T: Send>(_: T) {}
        is_send(s.forgot_password(Default::default()));
        is_send(s.confirm_forgot_password(Default::default()));
    }
}
