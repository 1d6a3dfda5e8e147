//! One-time codes: issuing, redeeming and delivering the 6-digit codes of sign-up
//! confirmation, password reset, attribute verification and MFA.
//!
//! Rules kept here:
//! - a code is 6 random digits from the engine's random source, stored only as the SHA-256 of
//!   `pool id ‖ user sub ‖ purpose ‖ code` (so equal codes of different users or purposes
//!   never share a hash, and a user re-created under the same name never inherits a code);
//! - one code per (pool, user, purpose): issuing replaces the previous one;
//! - a wrong guess answers `CodeMismatchException` "Invalid verification code provided, please
//!   try again." and is counted in the store (atomically, so it holds across nodes); after
//!   [`MAX_WRONG_ATTEMPTS`] wrong guesses the code is dead and every try, right or wrong,
//!   answers `LimitExceededException` "Attempt limit exceeded, please try after some time."
//!   until a new code is requested;
//! - an expired or missing code answers `ExpiredCodeException` "Invalid code provided, please
//!   request a code again.";
//! - a code is used once: redeeming deletes it by its hash, which only one of any number of
//!   concurrent callers can do (the others get `ExpiredCodeException`);
//! - sending is throttled per user and purpose: at most [`MAX_SENDS_PER_WINDOW`] codes in a
//!   window of [`SEND_WINDOW_MS`] that starts with the first one, then
//!   `LimitExceededException` until the window ends. Cognito documents "between 5 and 20
//!   attempts" an hour to request or enter a password reset code; the counter lives in the
//!   store beside the codes (purpose `{purpose}#sent`), so it holds across nodes and goes
//!   with the user.
//!
//! Where a code goes: sign-up and resend codes to the pool's auto-verified attribute (the phone
//! number first when both are, as Cognito documents), password-reset codes by the pool's
//! `AccountRecoverySetting` (or, without one, a verified phone number, then a verified email),
//! attribute and MFA codes to the attribute the caller names.

use cognate_crypto::digest::{constant_time_eq, sha256_hex};
use rand::Rng;

use super::Service;
use crate::api::signup::CodeDeliveryDetails;
use crate::messages::{channel_of, code_templates, mask, medium, render, CodeMessage};
use crate::model::{CodeRecord, User, UserPool, UserPoolClient};
use crate::sender::{Channel, OutboundMessage};
use crate::store::StoreError;
use crate::{Error, Result};

pub const HOUR_MS: i64 = 3_600_000;
/// Sign-up confirmation codes and attribute verification codes last 24 hours.
pub const SIGN_UP_CODE_TTL_MS: i64 = 24 * HOUR_MS;
pub const ATTRIBUTE_CODE_TTL_MS: i64 = 24 * HOUR_MS;
/// Password-reset codes last one hour.
pub const FORGOT_PASSWORD_CODE_TTL_MS: i64 = HOUR_MS;
/// Wrong guesses after which a code is dead.
pub const MAX_WRONG_ATTEMPTS: i64 = 5;
/// Codes of one purpose a user may be sent per window.
pub const MAX_SENDS_PER_WINDOW: i64 = 10;
pub const SEND_WINDOW_MS: i64 = HOUR_MS;

/// The purposes of codes, as stored.
pub mod purpose {
    pub const SIGN_UP: &str = "signup";
    pub const FORGOT_PASSWORD: &str = "forgot_password";

    /// Verification of `email` or `phone_number`.
    pub fn verify(attribute: &str) -> String {
        format!("verify:{attribute}")
    }
}

pub(crate) fn mismatch() -> Error {
    Error::CodeMismatch("Invalid verification code provided, please try again.".into())
}

pub(crate) fn expired() -> Error {
    Error::ExpiredCode("Invalid code provided, please request a code again.".into())
}

pub(crate) fn attempts_exceeded() -> Error {
    Error::LimitExceeded("Attempt limit exceeded, please try after some time.".into())
}

fn code_hash(pool: &UserPool, user: &User, purpose: &str, code: &str) -> String {
    sha256_hex(format!("{}\n{}\n{}\n{}", pool.id, user.sub, purpose, code).as_bytes())
}

/// Whether the client hides whether a user exists (`PreventUserExistenceErrors`).
pub(crate) fn hides_user_existence(client: &UserPoolClient) -> bool {
    client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED")
}

fn has_value(user: &User, attribute: &str) -> bool {
    user.attribute(attribute).is_some_and(|v| !v.is_empty())
}

fn is_verified(user: &User, attribute: &str) -> bool {
    has_value(user, attribute) && user.attribute(&format!("{attribute}_verified")) == Some("true")
}

fn auto_verifies(pool: &UserPool, attribute: &str) -> bool {
    pool.settings
        .auto_verified_attributes
        .iter()
        .flatten()
        .any(|a| a == attribute)
}

/// Where a sign-up confirmation code goes: the auto-verified phone number, else the
/// auto-verified email; `None` when the pool verifies neither or the user lacks them.
pub(crate) fn confirmation_attribute(pool: &UserPool, user: &User) -> Option<&'static str> {
    ["phone_number", "email"]
        .into_iter()
        .find(|a| auto_verifies(pool, a) && has_value(user, a))
}

/// Whether the pool verifies any attribute at sign-up.
pub(crate) fn verifies_any(pool: &UserPool) -> bool {
    auto_verifies(pool, "email") || auto_verifies(pool, "phone_number")
}

/// The recovery mechanisms of the pool in priority order: `verified_email`,
/// `verified_phone_number` or `admin_only`. Without an `AccountRecoverySetting`, Cognito's
/// legacy order: a verified phone number, then a verified email.
fn recovery_mechanisms(pool: &UserPool) -> Vec<String> {
    let mut set: Vec<(i64, String)> = pool
        .settings
        .account_recovery_setting
        .as_ref()
        .and_then(|s| s.recovery_mechanisms.as_ref())
        .map(|m| m.iter().map(|o| (o.priority, o.name.clone())).collect())
        .unwrap_or_default();
    if set.is_empty() {
        return vec!["verified_phone_number".into(), "verified_email".into()];
    }
    set.sort_by_key(|(p, _)| *p);
    set.into_iter().map(|(_, n)| n).collect()
}

/// Where a password-reset code goes: the first recovery mechanism the user has verified.
/// `None` when there is none (or the pool resets passwords by administrators only).
pub(crate) fn recovery_attribute(pool: &UserPool, user: &User) -> Option<&'static str> {
    for mechanism in recovery_mechanisms(pool) {
        let attribute = match mechanism.as_str() {
            "verified_email" => "email",
            "verified_phone_number" => "phone_number",
            _ => return None,
        };
        if is_verified(user, attribute) {
            return Some(attribute);
        }
    }
    None
}

/// Where AdminResetUserPassword's code goes. The API reference: a message is sent "if the user
/// pool has phone verification selected and a verified phone number exists for the user, or if
/// email verification is selected and a verified email exists"; so the first recovery
/// mechanism the user has verified and the pool auto-verifies, else nothing.
pub(crate) fn admin_reset_attribute(pool: &UserPool, user: &User) -> Option<&'static str> {
    recovery_mechanisms(pool)
        .iter()
        .filter_map(|m| match m.as_str() {
            "verified_email" => Some("email"),
            "verified_phone_number" => Some("phone_number"),
            _ => None,
        })
        .find(|a| auto_verifies(pool, a) && is_verified(user, a))
}

/// What ForgotPassword and ResendConfirmationCode answer for a user they will not reveal
/// (unknown, disabled, nowhere to send) when the client prevents user existence errors: a
/// plausible destination decided by the name's form and the pool's settings, the same for the
/// same name every time, and nothing sent.
pub(crate) fn simulated_delivery(
    pool: &UserPool,
    username: &str,
    recovery: bool,
) -> CodeDeliveryDetails {
    let details = |channel: Channel, destination: String| CodeDeliveryDetails {
        destination,
        delivery_medium: medium(channel),
        attribute_name: match channel {
            Channel::Email => "email".into(),
            Channel::Sms => "phone_number".into(),
        },
    };
    if crate::attributes::is_email(username) {
        return details(Channel::Email, mask(Channel::Email, username));
    }
    if crate::attributes::is_phone_number(username) {
        return details(Channel::Sms, mask(Channel::Sms, username));
    }
    let prefers_email = if recovery {
        recovery_mechanisms(pool).first().map(String::as_str) == Some("verified_email")
            || !auto_verifies(pool, "phone_number")
    } else {
        !auto_verifies(pool, "phone_number")
    };
    let seed = sha256_hex(format!("{}\n{username}", pool.id).as_bytes());
    let bytes = seed.as_bytes();
    if prefers_email {
        let letter = |b: u8| char::from(b'a' + b % 26);
        details(
            Channel::Email,
            format!("{}***@{}***", letter(bytes[0]), letter(bytes[1])),
        )
    } else {
        let digits: String = bytes[..4]
            .iter()
            .map(|b| char::from(b'0' + b % 10))
            .collect();
        details(Channel::Sms, format!("+*******{digits}"))
    }
}

impl Service {
    /// A new code for `user` and `purpose`, valid for `ttl_ms`; replaces the previous one.
    /// Counts against the send limit ([`MAX_SENDS_PER_WINDOW`]).
    pub(crate) async fn issue_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: &str,
        ttl_ms: i64,
    ) -> Result<String> {
        self.count_send(pool, user, purpose).await?;
        let code = self.with_rng(|rng| format!("{:06}", rng.gen_range(0..1_000_000u32)));
        let now = self.now();
        let record = CodeRecord {
            pool_id: pool.id.clone(),
            username_key: user.username_key.clone(),
            purpose: purpose.to_string(),
            code_hash: code_hash(pool, user, purpose, &code),
            created_ms: now,
            expires_ms: now.saturating_add(ttl_ms),
            attempts: 0,
        };
        match self.store.put_code(&record).await {
            Ok(()) => Ok(code),
            Err(StoreError::NotFound) => Err(Error::user_not_found()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks `code` and uses it up. See the module doc for the answers.
    pub(crate) async fn redeem_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: &str,
        code: &str,
    ) -> Result<()> {
        let hash = self.check_code(pool, user, purpose, code).await?;
        self.use_code(pool, user, purpose, &hash).await
    }

    /// Checks `code` without using it up (a wrong guess is counted); returns its hash for
    /// [`Service::use_code`]. For actions that have more to check before the code is spent.
    pub(crate) async fn check_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: &str,
        code: &str,
    ) -> Result<String> {
        let Some(record) = self
            .store
            .get_code(&pool.id, &user.username_key, purpose)
            .await?
        else {
            return Err(expired());
        };
        if record.attempts >= MAX_WRONG_ATTEMPTS {
            return Err(attempts_exceeded());
        }
        if record.expires_ms <= self.now() {
            return Err(expired());
        }
        let hash = code_hash(pool, user, purpose, code);
        if !constant_time_eq(hash.as_bytes(), record.code_hash.as_bytes()) {
            match self
                .store
                .add_code_attempt(&pool.id, &user.username_key, purpose)
                .await
            {
                Ok(_) | Err(StoreError::NotFound) => {}
                Err(e) => return Err(e.into()),
            }
            return Err(mismatch());
        }
        Ok(hash)
    }

    /// Spends a code [`Service::check_code`] accepted; `ExpiredCodeException` if another
    /// request spent or replaced it meanwhile.
    pub(crate) async fn use_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: &str,
        hash: &str,
    ) -> Result<()> {
        if self
            .store
            .consume_code(&pool.id, &user.username_key, purpose, hash)
            .await?
        {
            Ok(())
        } else {
            Err(expired())
        }
    }

    /// Counts one code sent to `user` for `purpose`; `LimitExceededException` past the limit.
    async fn count_send(&self, pool: &UserPool, user: &User, purpose: &str) -> Result<()> {
        let key = format!("{purpose}#sent");
        let now = self.now();
        let current = self
            .store
            .get_code(&pool.id, &user.username_key, &key)
            .await?;
        let sent = match current {
            Some(window) if window.expires_ms > now => {
                match self
                    .store
                    .add_code_attempt(&pool.id, &user.username_key, &key)
                    .await
                {
                    Ok(n) => n,
                    // The window went (with its user) in between: start again.
                    Err(StoreError::NotFound) => 1,
                    Err(e) => return Err(e.into()),
                }
            }
            _ => {
                let window = CodeRecord {
                    pool_id: pool.id.clone(),
                    username_key: user.username_key.clone(),
                    purpose: key,
                    // Not a hash of anything: no code can match it.
                    code_hash: "-".into(),
                    created_ms: now,
                    expires_ms: now.saturating_add(SEND_WINDOW_MS),
                    attempts: 1,
                };
                match self.store.put_code(&window).await {
                    Ok(()) => 1,
                    Err(StoreError::NotFound) => return Err(Error::user_not_found()),
                    Err(e) => return Err(e.into()),
                }
            }
        };
        if sent > MAX_SENDS_PER_WINDOW {
            return Err(attempts_exceeded());
        }
        Ok(())
    }

    /// Issues a fresh code for `purpose` and sends it to the user's `attribute`: what every
    /// action that mails or texts a code does.
    pub(crate) async fn issue_and_send_code(
        &self,
        pool: &UserPool,
        user: &User,
        purpose: &str,
        ttl_ms: i64,
        kind: CodeMessage,
        attribute: &str,
    ) -> Result<CodeDeliveryDetails> {
        let code = self.issue_code(pool, user, purpose, ttl_ms).await?;
        self.send_code(pool, user, kind, &code, Some(attribute))
            .await
    }

    /// Composes the message carrying `code` from the pool's templates and hands it to the
    /// sender. `channel_attribute` names where it goes (`email` or `phone_number`); without it,
    /// sign-up and resend codes go to [`confirmation_attribute`] and password-reset codes to
    /// [`recovery_attribute`]. A failed delivery is `CodeDeliveryFailureException`.
    pub(crate) async fn send_code(
        &self,
        pool: &UserPool,
        user: &User,
        kind: CodeMessage,
        code: &str,
        channel_attribute: Option<&str>,
    ) -> Result<CodeDeliveryDetails> {
        let attribute = match channel_attribute {
            Some(a) => Some(a),
            None => match kind {
                CodeMessage::SignUp | CodeMessage::ResendCode => confirmation_attribute(pool, user),
                CodeMessage::ForgotPassword => recovery_attribute(pool, user),
                _ => None,
            },
        };
        let nowhere =
            || Error::invalid("There is no email or phone_number to deliver the code to.");
        let attribute = attribute.ok_or_else(nowhere)?;
        let channel = channel_of(attribute)
            .ok_or_else(|| Error::invalid(format!("Codes cannot be delivered to {attribute}.")))?;
        let recipient = user
            .attribute(attribute)
            .filter(|v| !v.is_empty())
            .ok_or_else(nowhere)?
            .to_string();
        let (subject, body) = code_templates(pool, kind, channel);
        let shown = super::users::sign_in_name(pool, user);
        let message = OutboundMessage {
            pool_id: pool.id.clone(),
            username: user.username.clone(),
            channel,
            recipient: recipient.clone(),
            subject: subject.map(|s| render(s, &shown, code)),
            body: render(body, &shown, code),
            reason: kind.reason().into(),
            sent_at_ms: self.now(),
        };
        if let Err(e) = self.sender.send(message).await {
            tracing::warn!(pool = %pool.id, error = %e, "code not delivered");
            return Err(Error::CodeDeliveryFailure(
                "Unable to deliver the code to the user.".into(),
            ));
        }
        Ok(CodeDeliveryDetails {
            destination: mask(channel, &recipient),
            delivery_medium: medium(channel),
            attribute_name: attribute.to_string(),
        })
    }
}

/// The user a public code request (ResendConfirmationCode, ForgotPassword) is for, once its
/// client and `SECRET_HASH` check out. When the client hides user existence, an unknown or
/// disabled user is answered with a simulated delivery rather than an error, so the answer
/// does not tell whether the user exists.
pub(crate) enum CodeRequest {
    For {
        pool: Box<UserPool>,
        user: Box<User>,
        hide: bool,
    },
    Simulated(crate::api::signup::CodeDeliveryOutput),
}

impl Service {
    pub(crate) async fn code_request(
        &self,
        client_id: Option<&str>,
        username: &str,
        secret_hash: Option<&str>,
        for_reset: bool,
    ) -> Result<CodeRequest> {
        let (pool, client) = self.app_client(client_id.unwrap_or_default()).await?;
        super::client_auth::check_secret_hash(&client, username, secret_hash)?;
        let hide = hides_user_existence(&client);
        match self.find_user(&pool, username).await? {
            Some(user) if user.enabled => Ok(CodeRequest::For {
                pool: Box::new(pool),
                user: Box::new(user),
                hide,
            }),
            _ if hide => Ok(CodeRequest::Simulated(
                crate::api::signup::CodeDeliveryOutput {
                    code_delivery_details: simulated_delivery(&pool, username, for_reset),
                },
            )),
            None => Err(super::signup::combination_not_found()),
            Some(_) => Err(super::signup::user_disabled()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pool::{AccountRecoverySetting, RecoveryOption};
    use crate::model::{Attribute, UserStatus};

    fn pool(auto: &[&str]) -> UserPool {
        let mut p = UserPool::for_tests(Default::default());
        p.settings.auto_verified_attributes = Some(auto.iter().map(|a| a.to_string()).collect());
        p
    }

    fn user(attrs: &[(&str, &str)]) -> User {
        User {
            pool_id: "us-east-1_test".into(),
            username: "u".into(),
            username_key: "u".into(),
            sub: "s".into(),
            status: UserStatus::Unconfirmed,
            enabled: true,
            attributes: attrs
                .iter()
                .map(|(n, v)| Attribute {
                    name: (*n).into(),
                    value: (*v).into(),
                })
                .collect(),
            password_hash: None,
            temporary_password_expires_ms: None,
            created_ms: 0,
            modified_ms: 0,
            version: 0,
            srp_verifier: None,
        }
    }

    #[test]
    fn sign_up_codes_prefer_the_phone_when_both_are_auto_verified() {
        let both = user(&[("email", "a@x.io"), ("phone_number", "+15550001111")]);
        assert_eq!(
            confirmation_attribute(&pool(&["email", "phone_number"]), &both),
            Some("phone_number")
        );
        assert_eq!(
            confirmation_attribute(&pool(&["email"]), &both),
            Some("email")
        );
        let email_only = user(&[("email", "a@x.io")]);
        assert_eq!(
            confirmation_attribute(&pool(&["email", "phone_number"]), &email_only),
            Some("email")
        );
        assert_eq!(confirmation_attribute(&pool(&[]), &both), None);
    }

    #[test]
    fn recovery_follows_the_setting_then_the_legacy_order() {
        let verified = user(&[
            ("email", "a@x.io"),
            ("email_verified", "true"),
            ("phone_number", "+15550001111"),
            ("phone_number_verified", "true"),
        ]);
        let mut p = pool(&[]);
        assert_eq!(recovery_attribute(&p, &verified), Some("phone_number"));
        p.settings.account_recovery_setting = Some(AccountRecoverySetting {
            recovery_mechanisms: Some(vec![
                RecoveryOption {
                    priority: 2,
                    name: "verified_phone_number".into(),
                },
                RecoveryOption {
                    priority: 1,
                    name: "verified_email".into(),
                },
            ]),
        });
        assert_eq!(recovery_attribute(&p, &verified), Some("email"));
        let unverified_email = user(&[
            ("email", "a@x.io"),
            ("email_verified", "false"),
            ("phone_number", "+15550001111"),
            ("phone_number_verified", "true"),
        ]);
        assert_eq!(
            recovery_attribute(&p, &unverified_email),
            Some("phone_number")
        );
        assert_eq!(recovery_attribute(&p, &user(&[("email", "a@x.io")])), None);
        p.settings.account_recovery_setting = Some(AccountRecoverySetting {
            recovery_mechanisms: Some(vec![RecoveryOption {
                priority: 1,
                name: "admin_only".into(),
            }]),
        });
        assert_eq!(recovery_attribute(&p, &verified), None);
    }

    #[test]
    fn simulated_deliveries_follow_the_name_and_are_stable() {
        let p = pool(&["email"]);
        let d = simulated_delivery(&p, "bob@example.com", true);
        assert_eq!(d.destination, "b***@e***");
        assert_eq!(d.delivery_medium, "EMAIL");
        let d = simulated_delivery(&p, "+15550001234", false);
        assert_eq!(
            (d.destination.as_str(), d.delivery_medium),
            ("+*******1234", "SMS")
        );
        let a = simulated_delivery(&p, "nobody", false);
        assert_eq!(a, simulated_delivery(&p, "nobody", false));
        assert_eq!(a.delivery_medium, "EMAIL");
        assert_eq!(a.attribute_name, "email");
        let sms = simulated_delivery(&pool(&["phone_number"]), "nobody", false);
        assert_eq!(sms.delivery_medium, "SMS");
        assert!(sms.destination.starts_with("+*******"));
    }

    #[test]
    fn hashes_bind_the_code_to_pool_user_and_purpose() {
        let p = pool(&[]);
        let u = user(&[]);
        let mut other = user(&[]);
        other.sub = "t".into();
        let h = code_hash(&p, &u, purpose::SIGN_UP, "123456");
        assert_eq!(h.len(), 64);
        assert_ne!(h, code_hash(&p, &other, purpose::SIGN_UP, "123456"));
        assert_ne!(h, code_hash(&p, &u, purpose::FORGOT_PASSWORD, "123456"));
        assert_ne!(h, code_hash(&p, &u, purpose::SIGN_UP, "123457"));
    }
}
