//! The invitation AdminCreateUser sends: composed from the pool's
//! `AdminCreateUserConfig.InviteMessageTemplate` (or Cognito's default texts), with
//! `{username}` and `{####}` (the temporary password) filled in, and handed to the
//! [`Sender`](crate::sender::Sender) by email and/or SMS.
//!
//! Where it goes (API reference, AdminCreateUser): `DesiredDeliveryMediums` names the channels,
//! and each named channel needs its attribute (`email`, `phone_number`) on the user, else the
//! request is refused before anything is written. Without `DesiredDeliveryMediums` Cognito's
//! default is SMS; a user without a phone number then gets the email instead, and a user with
//! neither gets nothing. A template without the `{####}` placeholder is not delivered, as
//! Cognito documents.
//!
//! The verification codes (sign-up, resend, forgot password, attribute verification) are
//! composed here too, from the pool's `VerificationMessageTemplate` (falling back to the legacy
//! `SmsVerificationMessage`/`EmailVerificationMessage`/`EmailVerificationSubject`, then to
//! Cognito's default texts), and so are MFA codes, from `SmsAuthenticationMessage` and the
//! email MFA template. The service decides where a code goes (`service::codes`); this module
//! only words it and masks the destination for `CodeDeliveryDetails` the way Cognito does
//! (`a***@e***`, `+*******1234`).

use crate::model::{User, UserPool};
use crate::sender::{Channel, OutboundMessage};
use crate::service::Service;
use crate::{Error, Result};

/// Cognito's invitation texts for a pool without a template.
pub const DEFAULT_EMAIL_SUBJECT: &str = "Your temporary password";
pub const DEFAULT_EMAIL_MESSAGE: &str =
    "Your username is {username} and temporary password is {####}.";
pub const DEFAULT_SMS_MESSAGE: &str =
    "Your username is {username} and temporary password is {####}";

/// Cognito's verification texts for a pool without a template (email subject, email body and
/// SMS body; the trailing space is Cognito's).
pub const DEFAULT_VERIFICATION_SUBJECT: &str = "Your verification code";
pub const DEFAULT_VERIFICATION_MESSAGE: &str = "Your verification code is {####}. ";
/// Texts of MFA codes for a pool that sets none. Cognito's default `SmsAuthenticationMessage`;
/// the email MFA defaults follow it (not confirmed against AWS's own text).
pub const DEFAULT_AUTHENTICATION_MESSAGE: &str = "Your authentication code is {####}. ";
pub const DEFAULT_AUTHENTICATION_SUBJECT: &str = "Your authentication code";

/// Which message carries a code. The names are Cognito's `CustomMessage_*` trigger sources,
/// and are what [`OutboundMessage::reason`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMessage {
    /// SignUp's confirmation code.
    SignUp,
    /// ResendConfirmationCode.
    ResendCode,
    /// ForgotPassword and AdminResetUserPassword.
    ForgotPassword,
    /// A changed email or phone number (UpdateUserAttributes, AdminUpdateUserAttributes).
    UpdateUserAttribute,
    /// GetUserAttributeVerificationCode.
    VerifyUserAttribute,
    /// An MFA or one-time sign-in code.
    Authentication,
}

impl CodeMessage {
    pub fn reason(self) -> &'static str {
        match self {
            CodeMessage::SignUp => "SignUp",
            CodeMessage::ResendCode => "ResendCode",
            CodeMessage::ForgotPassword => "ForgotPassword",
            CodeMessage::UpdateUserAttribute => "UpdateUserAttribute",
            CodeMessage::VerifyUserAttribute => "VerifyUserAttribute",
            CodeMessage::Authentication => "Authentication",
        }
    }
}

/// The subject (email only) and body templates of a code message on `channel`, before the
/// placeholders are filled.
pub fn code_templates(
    pool: &UserPool,
    kind: CodeMessage,
    channel: Channel,
) -> (Option<&str>, &str) {
    let s = &pool.settings;
    if kind == CodeMessage::Authentication {
        return match channel {
            Channel::Sms => (
                None,
                pool.mfa
                    .sms_mfa_configuration
                    .as_ref()
                    .and_then(|c| c.sms_authentication_message.as_deref())
                    .or(s.sms_authentication_message.as_deref())
                    .unwrap_or(DEFAULT_AUTHENTICATION_MESSAGE),
            ),
            Channel::Email => {
                let email = pool.mfa.email_mfa_configuration.as_ref();
                (
                    Some(
                        email
                            .and_then(|c| c.subject.as_deref())
                            .unwrap_or(DEFAULT_AUTHENTICATION_SUBJECT),
                    ),
                    email
                        .and_then(|c| c.message.as_deref())
                        .unwrap_or(DEFAULT_AUTHENTICATION_MESSAGE),
                )
            }
        };
    }
    let t = s.verification_message_template.as_ref();
    match channel {
        Channel::Sms => (
            None,
            t.and_then(|t| t.sms_message.as_deref())
                .or(s.sms_verification_message.as_deref())
                .unwrap_or(DEFAULT_VERIFICATION_MESSAGE),
        ),
        Channel::Email => (
            Some(
                t.and_then(|t| t.email_subject.as_deref())
                    .or(s.email_verification_subject.as_deref())
                    .unwrap_or(DEFAULT_VERIFICATION_SUBJECT),
            ),
            t.and_then(|t| t.email_message.as_deref())
                .or(s.email_verification_message.as_deref())
                .unwrap_or(DEFAULT_VERIFICATION_MESSAGE),
        ),
    }
}

/// `alice@example.com` → `a***@e***`, as Cognito shows an email address it sent a code to.
pub fn mask_email(address: &str) -> String {
    let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// `+15555551212` → `+*******1212`: every digit but the last four hidden.
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let shown = digits.len().saturating_sub(4);
    let mut out = String::from("+");
    out.extend(std::iter::repeat_n('*', shown));
    out.extend(&digits[shown..]);
    out
}

/// The masked form of a destination attribute's value.
pub fn mask(channel: Channel, value: &str) -> String {
    match channel {
        Channel::Email => mask_email(value),
        Channel::Sms => mask_phone(value),
    }
}

/// The channel that delivers to an attribute (`email` or `phone_number`).
pub fn channel_of(attribute: &str) -> Option<Channel> {
    match attribute {
        "email" => Some(Channel::Email),
        "phone_number" => Some(Channel::Sms),
        _ => None,
    }
}

/// `DeliveryMediumType` of a channel.
pub fn medium(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "EMAIL",
        Channel::Sms => "SMS",
    }
}

/// Where an invitation goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub channel: Channel,
    pub recipient: String,
}

/// The destinations for `user` given the request's `DesiredDeliveryMediums`.
pub fn invitation_destinations(
    user: &User,
    desired: Option<&[String]>,
) -> Result<Vec<Destination>> {
    let email = user.attribute("email").filter(|v| !v.is_empty());
    let phone = user.attribute("phone_number").filter(|v| !v.is_empty());
    let to = |channel, recipient: &str| Destination {
        channel,
        recipient: recipient.to_string(),
    };
    let Some(desired) = desired.filter(|d| !d.is_empty()) else {
        return Ok(match (phone, email) {
            (Some(p), _) => vec![to(Channel::Sms, p)],
            (None, Some(e)) => vec![to(Channel::Email, e)],
            (None, None) => Vec::new(),
        });
    };
    let mut out = Vec::new();
    if desired.iter().any(|m| m == "EMAIL") {
        let e = email.ok_or_else(|| {
            Error::invalid("No email provided but desired delivery medium was Email")
        })?;
        out.push(to(Channel::Email, e));
    }
    if desired.iter().any(|m| m == "SMS") {
        let p = phone.ok_or_else(|| {
            Error::invalid("No phone_number provided but desired delivery medium was Sms")
        })?;
        out.push(to(Channel::Sms, p));
    }
    Ok(out)
}

/// Fills a template's placeholders.
pub fn render(template: &str, username: &str, code: &str) -> String {
    template
        .replace("{username}", username)
        .replace("{####}", code)
}

impl Service {
    /// Sends the invitation to each destination. `shown_username` is what the user signs in
    /// with (in pools whose usernames are emails or phone numbers, that value rather than the
    /// generated username). Delivery failures are logged, not returned: the user exists either
    /// way, and RESEND delivers again.
    pub(crate) async fn send_invitation(
        &self,
        pool: &UserPool,
        user: &User,
        shown_username: &str,
        temporary_password: &str,
        destinations: &[Destination],
    ) {
        let template = pool
            .settings
            .admin_create_user_config
            .as_ref()
            .and_then(|c| c.invite_message_template.as_ref());
        for d in destinations {
            let (subject, body) = match d.channel {
                Channel::Email => (
                    Some(
                        template
                            .and_then(|t| t.email_subject.as_deref())
                            .unwrap_or(DEFAULT_EMAIL_SUBJECT),
                    ),
                    template
                        .and_then(|t| t.email_message.as_deref())
                        .unwrap_or(DEFAULT_EMAIL_MESSAGE),
                ),
                Channel::Sms => (
                    None,
                    template
                        .and_then(|t| t.sms_message.as_deref())
                        .unwrap_or(DEFAULT_SMS_MESSAGE),
                ),
            };
            if !body.contains("{####}") {
                tracing::warn!(pool = %pool.id, "invitation template lacks {{####}}; not sent");
                continue;
            }
            let message = OutboundMessage {
                pool_id: pool.id.clone(),
                username: user.username.clone(),
                channel: d.channel,
                recipient: d.recipient.clone(),
                subject: subject.map(|s| render(s, shown_username, temporary_password)),
                body: render(body, shown_username, temporary_password),
                reason: "AdminCreateUser".into(),
                sent_at_ms: self.now(),
            };
            if let Err(e) = self.sender.send(message).await {
                tracing::warn!(pool = %pool.id, error = %e, "invitation not delivered");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attribute, UserStatus};

    fn user(attrs: &[(&str, &str)]) -> User {
        User {
            pool_id: "p".into(),
            username: "u".into(),
            username_key: "u".into(),
            sub: "s".into(),
            status: UserStatus::ForceChangePassword,
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
    fn without_mediums_sms_is_preferred_then_email_then_nothing() {
        let both = user(&[("email", "a@x.io"), ("phone_number", "+15550001111")]);
        let d = invitation_destinations(&both, None).unwrap();
        assert_eq!(
            d,
            vec![Destination {
                channel: Channel::Sms,
                recipient: "+15550001111".into()
            }]
        );
        let email_only = user(&[("email", "a@x.io")]);
        let d = invitation_destinations(&email_only, None).unwrap();
        assert_eq!(
            d,
            vec![Destination {
                channel: Channel::Email,
                recipient: "a@x.io".into()
            }]
        );
        assert!(invitation_destinations(&user(&[]), None)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn each_desired_medium_needs_its_attribute() {
        let email_only = user(&[("email", "a@x.io")]);
        let err = invitation_destinations(&email_only, Some(&["SMS".into()])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No phone_number provided but desired delivery medium was Sms"
        );
        let err = invitation_destinations(&user(&[]), Some(&["EMAIL".into()])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No email provided but desired delivery medium was Email"
        );
        let both = user(&[("email", "a@x.io"), ("phone_number", "+15550001111")]);
        let d = invitation_destinations(&both, Some(&["EMAIL".into(), "SMS".into()])).unwrap();
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn destinations_are_masked_like_cognito() {
        assert_eq!(mask_email("alice@example.com"), "a***@e***");
        assert_eq!(mask_email("u@y.io"), "u***@y***");
        assert_eq!(mask_phone("+15555551212"), "+*******1212");
        assert_eq!(mask_phone("+447700900123"), "+********0123");
        assert_eq!(mask_phone("+1234"), "+1234");
    }

    fn pool() -> UserPool {
        UserPool::for_tests(Default::default())
    }

    #[test]
    fn code_texts_come_from_the_template_then_legacy_fields_then_defaults() {
        use crate::model::pool::VerificationMessageTemplate;
        let mut p = pool();
        assert_eq!(
            code_templates(&p, CodeMessage::SignUp, Channel::Email),
            (
                Some(DEFAULT_VERIFICATION_SUBJECT),
                DEFAULT_VERIFICATION_MESSAGE
            )
        );
        p.settings.sms_verification_message = Some("legacy {####}".into());
        assert_eq!(
            code_templates(&p, CodeMessage::ForgotPassword, Channel::Sms),
            (None, "legacy {####}")
        );
        p.settings.verification_message_template = Some(VerificationMessageTemplate {
            sms_message: Some("sms {####}".into()),
            email_message: Some("mail {####}".into()),
            email_subject: Some("subject".into()),
            ..Default::default()
        });
        assert_eq!(
            code_templates(&p, CodeMessage::ResendCode, Channel::Sms),
            (None, "sms {####}")
        );
        assert_eq!(
            code_templates(&p, CodeMessage::VerifyUserAttribute, Channel::Email),
            (Some("subject"), "mail {####}")
        );
        assert_eq!(
            code_templates(&p, CodeMessage::Authentication, Channel::Sms),
            (None, DEFAULT_AUTHENTICATION_MESSAGE)
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            render(DEFAULT_EMAIL_MESSAGE, "alice", "Xy7!abcdEFGH"),
            "Your username is alice and temporary password is Xy7!abcdEFGH."
        );
    }
}
