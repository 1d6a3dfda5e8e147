//! Email delivery over SMTP, and the sender that decides where each message goes.
//!
//! `--smtp-url` (`COGNATE_SMTP_URL`) names the server:
//! - `smtp://[user[:password]@]host[:port]`: plain SMTP, port 25 by default, upgraded with
//!   STARTTLS when the server offers it; `?starttls=true` requires the upgrade (the message is
//!   not sent otherwise), `?starttls=false` never attempts it;
//! - `smtps://…`: TLS from the first byte (implicit TLS), port 465 by default;
//! - `?ca_file=/path/ca.pem` trusts that CA besides the public roots (a private mail relay);
//! - user and password are percent-decoded, and are sent (AUTH PLAIN or LOGIN) only when given.
//!
//! `--smtp-from` (`COGNATE_SMTP_FROM`) is the sender address, by default Cognito's
//! `no-reply@verificationemail.com`.
//!
//! [`RoutingSender`] sends email through SMTP when it is configured and SMS through the log
//! sender (Cognate has no SMS gateway of its own); under `--dev` or `--outbox` every message
//! is also kept in the outbox, so tests and local tools read codes there whichever way the
//! message left. Email that went over SMTP is not written to the log: its body holds codes.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use async_trait::async_trait;
use cognate_core::sender::{Channel, LogSender, OutboundMessage, Sender};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use percent_encoding::percent_decode_str;

/// Cognito's sender address when a pool sends with the default email configuration.
pub const DEFAULT_FROM: &str = "no-reply@verificationemail.com";

/// How long one delivery may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
    /// `?starttls=true`: STARTTLS or nothing.
    StartTlsRequired,
    /// The default for `smtp://`: STARTTLS when offered.
    StartTlsOpportunistic,
    /// `?starttls=false`: plain text.
    None,
}

/// A parsed `--smtp-url`. The password is kept out of `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("ca_file", &self.ca_file)
            .field("from", &self.from)
            .finish()
    }
}

fn decoded(s: &str) -> Result<String> {
    Ok(percent_decode_str(s)
        .decode_utf8()
        .context("the SMTP URL's credentials are not UTF-8")?
        .into_owned())
}

impl SmtpConfig {
    /// Reads `--smtp-url` and `--smtp-from`.
    pub fn parse(smtp_url: &str, from: Option<&str>) -> Result<SmtpConfig> {
        let url = url::Url::parse(smtp_url).context("--smtp-url is not a URL")?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => bail!("--smtp-url must be smtp:// or smtps://, not {other}://"),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| anyhow!("--smtp-url has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let mut starttls: Option<bool> = None;
        let mut ca_file = None;
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "starttls" => {
                    starttls = Some(match value.as_ref() {
                        "true" => true,
                        "false" => false,
                        v => bail!("--smtp-url: starttls must be true or false, not {v}"),
                    })
                }
                "ca_file" => ca_file = Some(PathBuf::from(value.as_ref())),
                other => bail!("--smtp-url: unknown parameter {other}"),
            }
        }
        let security = match (implicit, starttls) {
            (true, Some(_)) => bail!("--smtp-url: starttls does not apply to smtps://"),
            (true, None) => Security::ImplicitTls,
            (false, Some(true)) => Security::StartTlsRequired,
            (false, Some(false)) => Security::None,
            (false, None) => Security::StartTlsOpportunistic,
        };
        let username = Some(decoded(url.username())?).filter(|u| !u.is_empty());
        let password = url.password().map(decoded).transpose()?;
        if password.is_some() && username.is_none() {
            bail!("--smtp-url has a password but no user");
        }
        let from = from.unwrap_or(DEFAULT_FROM).to_string();
        from.parse::<Mailbox>()
            .with_context(|| format!("--smtp-from {from:?} is not an email address"))?;
        Ok(SmtpConfig {
            port: url.port().unwrap_or(if implicit { 465 } else { 25 }),
            host,
            security,
            username,
            password,
            ca_file,
            from,
        })
    }
}

/// Sends email through one SMTP server, reusing connections.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    pub fn new(config: &SmtpConfig) -> Result<SmtpSender> {
        let tls = || -> Result<TlsParameters> {
            let mut builder = TlsParameters::builder(config.host.clone());
            if let Some(path) = &config.ca_file {
                let pem = std::fs::read(path)
                    .with_context(|| format!("reading the SMTP CA file {}", path.display()))?;
                let cert = Certificate::from_pem(&pem)
                    .with_context(|| format!("the SMTP CA file {} is not PEM", path.display()))?;
                builder = builder.add_root_certificate(cert);
            }
            builder.build_rustls().context("setting up TLS for SMTP")
        };
        let security = match config.security {
            Security::ImplicitTls => Tls::Wrapper(tls()?),
            Security::StartTlsRequired => Tls::Required(tls()?),
            Security::StartTlsOpportunistic => Tls::Opportunistic(tls()?),
            Security::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(security)
            .timeout(Some(TIMEOUT));
        if let Some(user) = &config.username {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                config.password.clone().unwrap_or_default(),
            ));
        }
        Ok(SmtpSender {
            transport: builder.build(),
            from: config.from.parse().context("--smtp-from")?,
        })
    }

    fn compose(&self, message: &OutboundMessage) -> Result<Message, String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|e| format!("recipient {:?}: {e}", message.recipient))?;
        // Cognito's templates may hold HTML; a body with tags is sent as HTML.
        let html = message.body.contains("</") || message.body.contains("<br");
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone().unwrap_or_default())
            .header(if html {
                ContentType::TEXT_HTML
            } else {
                ContentType::TEXT_PLAIN
            })
            .body(message.body.clone())
            .map_err(|e| format!("composing the email: {e}"))
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(&self, message: OutboundMessage) -> Result<(), String> {
        if message.channel != Channel::Email {
            return Err("the SMTP sender delivers email only".into());
        }
        let email = self.compose(&message)?;
        self.transport
            .send(email)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP delivery failed: {e}"))
    }
}

/// Email through SMTP when configured, everything else (and all email otherwise) through the
/// log sender; under `--dev`/`--outbox` a copy of every message in the outbox as well.
pub struct RoutingSender {
    smtp: Option<SmtpSender>,
    log: Arc<LogSender>,
    keep_outbox: bool,
}

impl RoutingSender {
    pub fn new(smtp: Option<SmtpSender>, log: Arc<LogSender>, keep_outbox: bool) -> Self {
        RoutingSender {
            smtp,
            log,
            keep_outbox,
        }
    }
}

#[async_trait]
impl Sender for RoutingSender {
    async fn send(&self, message: OutboundMessage) -> Result<(), String> {
        let Some(smtp) = self
            .smtp
            .as_ref()
            .filter(|_| message.channel == Channel::Email)
        else {
            return self.log.send(message).await;
        };
        if self.keep_outbox {
            self.log.send(message.clone()).await?;
        }
        let (pool, reason) = (message.pool_id.clone(), message.reason.clone());
        let result = smtp.send(message).await;
        match &result {
            Ok(()) => tracing::info!(pool = %pool, reason = %reason, "email sent over SMTP"),
            Err(e) => tracing::warn!(pool = %pool, reason = %reason, error = %e, "email not sent"),
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_host_port_security_and_credentials() {
        let c = SmtpConfig::parse("smtp://mail.example.com", None).unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.security),
            ("mail.example.com", 25, Security::StartTlsOpportunistic)
        );
        assert_eq!((c.username, c.password), (None, None));
        assert_eq!(c.from, DEFAULT_FROM);
        let c = SmtpConfig::parse(
            "smtp://ap%40x.io:p%3Ass@127.0.0.1:2525?starttls=true",
            Some("Cognate <auth@example.com>"),
        )
        .unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.security),
            ("127.0.0.1", 2525, Security::StartTlsRequired)
        );
        assert_eq!(c.username.as_deref(), Some("ap@x.io"));
        assert_eq!(c.password.as_deref(), Some("p:ss"));
        assert!(!format!("{c:?}").contains("p:ss"));
        let c = SmtpConfig::parse("smtp://h:1?starttls=false", None).unwrap();
        assert_eq!(c.security, Security::None);
        let c = SmtpConfig::parse("smtps://h?ca_file=/tmp/ca.pem", None).unwrap();
        assert_eq!((c.port, c.security), (465, Security::ImplicitTls));
        assert_eq!(c.ca_file, Some(PathBuf::from("/tmp/ca.pem")));
    }

    #[test]
    fn bad_urls_are_refused_at_start() {
        for bad in [
            "http://h",
            "smtp://",
            "smtp://h?starttls=maybe",
            "smtps://h?starttls=true",
            "smtp://h?tls=yes",
            "smtp://:secret@h",
        ] {
            assert!(SmtpConfig::parse(bad, None).is_err(), "{bad}");
        }
        assert!(SmtpConfig::parse("smtp://h", Some("not an address")).is_err());
    }
}
