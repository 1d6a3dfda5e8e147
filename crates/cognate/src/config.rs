//! Settings of `cognate serve`: flags, then `COGNATE_*` environment variables, then an optional
//! TOML file (`--config`), then defaults — in that order of precedence.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "COGNATE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Directory for the SQLite database and generated credentials.
    #[arg(long, env = "COGNATE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://FILE` or `postgres://...`; defaults to SQLite in the data directory.
    #[arg(long, env = "COGNATE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Base URL of this server as clients reach it; token issuers are `{public-url}/{poolId}`.
    #[arg(long, env = "COGNATE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Region of requests that are not signed.
    #[arg(long, env = "COGNATE_REGION")]
    pub region: Option<String>,
    /// Account id used in ARNs.
    #[arg(long, env = "COGNATE_ACCOUNT_ID")]
    pub account_id: Option<String>,
    /// Development mode: any credentials (or none) are accepted, and `/_dev/outbox` is served.
    #[arg(long, env = "COGNATE_DEV")]
    pub dev: bool,
    /// Serve `/_dev/outbox` without development mode (test setups that keep SigV4 on).
    #[arg(long, env = "COGNATE_OUTBOX")]
    pub outbox: bool,
    /// Log format: `text` or `json`.
    #[arg(long, env = "COGNATE_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// The master key that encrypts secrets at rest (32 bytes, raw or base64); created on first
    /// start. Every node sharing a database needs the same one. Default `{data-dir}/master.key`.
    #[arg(long, env = "COGNATE_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// Send email through this SMTP server: `smtp://[user:password@]host[:port]` (STARTTLS when
    /// offered; `?starttls=true` to require it, `?starttls=false` to never try), or `smtps://`
    /// for TLS from the start; `?ca_file=PATH` trusts a private CA. SMS still goes to the log.
    #[arg(long, env = "COGNATE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The From address of email sent through SMTP (default no-reply@verificationemail.com).
    #[arg(long, env = "COGNATE_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// Seconds between sweeps that delete expired challenge sessions, codes, refresh tokens
    /// and unconfirmed devices from the database (one at start, then one per interval);
    /// 0 turns sweeping off. Default 300.
    #[arg(long, env = "COGNATE_SWEEP_INTERVAL_SECS")]
    pub sweep_interval_secs: Option<u64>,
    /// A TOML file with any of these settings (same names, with underscores).
    #[arg(long, env = "COGNATE_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The same settings as read from a TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    region: Option<String>,
    account_id: Option<String>,
    dev: Option<bool>,
    outbox: Option<bool>,
    log_format: Option<String>,
    master_key_file: Option<PathBuf>,
    smtp_url: Option<String>,
    smtp_from: Option<String>,
    sweep_interval_secs: Option<u64>,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub public_url: String,
    pub region: String,
    pub account_id: String,
    pub dev: bool,
    pub outbox: bool,
    pub log_format: String,
    pub master_key_file: PathBuf,
    /// Where email goes when it is not only logged.
    pub smtp: Option<crate::smtp::SmtpConfig>,
    /// Seconds between sweeps of expired records; 0: no sweeping.
    pub sweep_interval_secs: u64,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:9229";
/// Often enough that expired rows never pile up, rarely enough to cost nothing.
pub const DEFAULT_SWEEP_INTERVAL_SECS: u64 = 300;

impl ServeArgs {
    pub fn resolve(self) -> Result<Settings> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        let listen = match self.listen.or(file.listen) {
            Some(l) => l,
            None => DEFAULT_LISTEN.parse().context("default listen address")?,
        };
        let data_dir = self
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./cognate-data"));
        let database_url = self
            .database_url
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("cognate.db").display()));
        let public_url = self
            .public_url
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_string();
        let smtp_from = self.smtp_from.or(file.smtp_from);
        let smtp = match self.smtp_url.or(file.smtp_url) {
            Some(url) => Some(crate::smtp::SmtpConfig::parse(&url, smtp_from.as_deref())?),
            None => None,
        };
        let master_key_file = self
            .master_key_file
            .or(file.master_key_file)
            .unwrap_or_else(|| data_dir.join("master.key"));
        Ok(Settings {
            listen,
            data_dir,
            database_url,
            public_url,
            region: self
                .region
                .or(file.region)
                .unwrap_or_else(|| "us-east-1".into()),
            account_id: self
                .account_id
                .or(file.account_id)
                .unwrap_or_else(|| "000000000000".into()),
            dev: self.dev || file.dev.unwrap_or(false),
            outbox: self.outbox || file.outbox.unwrap_or(false),
            log_format: self
                .log_format
                .or(file.log_format)
                .unwrap_or_else(|| "text".into()),
            master_key_file,
            smtp,
            sweep_interval_secs: self
                .sweep_interval_secs
                .or(file.sweep_interval_secs)
                .unwrap_or(DEFAULT_SWEEP_INTERVAL_SECS),
        })
    }
}

fn read_file(path: &Path) -> Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing config file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `args` resolved with `toml` as the config file (`name` keeps tests' files apart).
    fn resolve_with_file(name: &str, args: ServeArgs, toml: &str) -> Settings {
        let dir =
            std::env::temp_dir().join(format!("cognate-config-test-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cognate.toml");
        std::fs::write(&path, toml).unwrap();
        let settings = ServeArgs {
            config: Some(path),
            ..args
        }
        .resolve()
        .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        settings
    }

    #[test]
    fn sweep_interval_defaults_to_five_minutes() {
        let settings = ServeArgs::default().resolve().unwrap();
        assert_eq!(settings.sweep_interval_secs, 300);
    }

    #[test]
    fn sweep_interval_comes_from_the_flag_then_the_file() {
        let from_file = resolve_with_file(
            "sweep-file",
            ServeArgs::default(),
            "sweep_interval_secs = 0\n",
        );
        assert_eq!(from_file.sweep_interval_secs, 0);
        let flag = ServeArgs {
            sweep_interval_secs: Some(60),
            ..ServeArgs::default()
        };
        let from_flag = resolve_with_file("sweep-flag", flag, "sweep_interval_secs = 0\n");
        assert_eq!(from_flag.sweep_interval_secs, 60);
    }
}
