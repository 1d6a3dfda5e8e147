//! Password recovery: ForgotPassword (the same members as ResendConfirmationCode, see
//! [`super::signup::ResendConfirmationCodeInput`]) and ConfirmForgotPassword.

use serde::Deserialize;

use super::clients::client_id;
use super::signup::{confirmation_code, password, secret_hash, ClientMetadata};
use super::users::username;
use super::validate::Validator;
use crate::Result;

pub use super::signup::ResendConfirmationCodeInput as ForgotPasswordInput;

#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordInput {
    pub client_id: Option<String>,
    pub secret_hash: Option<String>,
    pub username: Option<String>,
    pub confirmation_code: Option<String>,
    pub password: Option<String>,
    pub analytics_metadata: Option<serde_json::Value>,
    pub user_context_data: Option<serde_json::Value>,
    pub client_metadata: Option<ClientMetadata>,
}

impl ConfirmForgotPasswordInput {
    pub fn validate(&self) -> Result<()> {
        let mut v = Validator::new();
        client_id(&mut v, self.client_id.as_deref());
        secret_hash(&mut v, self.secret_hash.as_deref());
        username(&mut v, self.username.as_deref());
        confirmation_code(&mut v, self.confirmation_code.as_deref());
        v.required("Password", self.password.as_deref());
        password(&mut v, self.password.as_deref());
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_password_is_required() {
        let input = ConfirmForgotPasswordInput {
            client_id: Some("abc".into()),
            username: Some("alice".into()),
            confirmation_code: Some("123456".into()),
            ..Default::default()
        };
        let err = input.validate().unwrap_err().to_string();
        assert_eq!(
            err,
            "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
        );
    }
}
