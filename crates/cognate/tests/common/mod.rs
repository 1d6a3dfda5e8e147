//! A real server started in-process on an ephemeral port, and a signed JSON 1.1 client for it.
//!
//! The store is SQLite in a fresh temporary directory, or the PostgreSQL database named by
//! `COGNATE_TEST_DATABASE_URL` when that is set (CI runs the suite once each way). Every test
//! creates its own pools, so tests never see each other's data even on a shared database.
// Test helpers, not `#[test]` functions, so clippy's allow-*-in-tests does not reach them; a
// failed unwrap here is a failed test, as it should be.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use cognate::app::{start, start_with_clock, RunningServer};
use cognate::config::ServeArgs;
use cognate_core::clock::{Clock, ManualClock};
use cognate_crypto::sigv4::{sign, Credentials, SignedRequest};
use serde_json::{json, Value};

pub const ACCESS_KEY: &str = "AKIATESTTESTTESTTEST";
pub const SECRET_KEY: &str = "testsecretkeytestsecretkeytestsecretkey0";
pub const REGION: &str = "us-east-1";

pub struct TestServer {
    pub server: Option<RunningServer>,
    pub base: String,
    pub data_dir: PathBuf,
    http: reqwest::Client,
    /// The server's clock when the test controls it (`start_with_clock`); requests are then
    /// signed at its time.
    pub clock: Option<Arc<ManualClock>>,
}

pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}{}x{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

/// Settings for a test server: ephemeral port, temp data dir, test credentials on file.
pub fn test_settings(dev: bool) -> (ServeArgs, PathBuf) {
    let data_dir = std::env::temp_dir().join(unique("cognate-test-"));
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(
        data_dir.join("credentials"),
        format!(
            "[cognate]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        ),
    )
    .unwrap();
    let args = ServeArgs {
        listen: Some("127.0.0.1:0".parse().unwrap()),
        data_dir: Some(data_dir.clone()),
        database_url: std::env::var("COGNATE_TEST_DATABASE_URL").ok(),
        dev,
        outbox: true,
        ..Default::default()
    };
    (args, data_dir)
}

impl TestServer {
    /// A server that enforces SigV4 (the default mode).
    pub async fn start() -> TestServer {
        Self::start_with(false).await
    }

    pub async fn start_dev() -> TestServer {
        Self::start_with(true).await
    }

    async fn start_with(dev: bool) -> TestServer {
        let (args, data_dir) = test_settings(dev);
        let server = start(args.resolve().unwrap()).await.unwrap();
        Self::serving(server, data_dir, None)
    }

    /// The client of a server started in-process.
    fn serving(
        server: RunningServer,
        data_dir: PathBuf,
        clock: Option<Arc<ManualClock>>,
    ) -> TestServer {
        let base = format!("http://{}", server.addr);
        TestServer {
            server: Some(server),
            base,
            data_dir,
            http: reqwest::Client::new(),
            clock,
        }
    }

    /// A server (SigV4 enforced) whose clock only moves when the test advances it; it starts
    /// at the real time, and signed calls are signed at the clock's time.
    pub async fn start_with_clock() -> TestServer {
        let (args, data_dir) = test_settings(false);
        let clock = Arc::new(ManualClock::new(
            cognate_core::clock::SystemClock.now_millis(),
        ));
        let server = start_with_clock(args.resolve().unwrap(), clock.clone(), false)
            .await
            .unwrap();
        Self::serving(server, data_dir, Some(clock))
    }

    /// Moves the server's clock on (servers from `start_with_clock` only).
    pub fn advance(&self, millis: i64) {
        self.clock
            .as_ref()
            .expect("advance needs a server from start_with_clock")
            .advance(millis);
    }

    /// Calls a cognito-idp action signed with the test principal; returns status and body.
    pub async fn call(&self, action: &str, body: Value) -> (u16, Value) {
        self.call_with(action, body, Some(&creds())).await
    }

    /// Calls without any signature.
    pub async fn call_unsigned(&self, action: &str, body: Value) -> (u16, Value) {
        self.call_with(action, body, None).await
    }

    pub async fn call_with(
        &self,
        action: &str,
        body: Value,
        signer: Option<&Credentials>,
    ) -> (u16, Value) {
        let body = body.to_string().into_bytes();
        let (status, text) = self
            .raw(
                &format!("AWSCognitoIdentityProviderService.{action}"),
                body,
                signer,
            )
            .await;
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    /// A client of a server running elsewhere (e.g. the real binary in a child process); `stop`
    /// only removes `data_dir`.
    pub fn remote(base: String, data_dir: PathBuf) -> TestServer {
        TestServer {
            server: None,
            base,
            data_dir,
            http: reqwest::Client::new(),
            clock: None,
        }
    }

    /// Sends raw bytes with an X-Amz-Target, optionally signed.
    pub async fn raw(
        &self,
        target: &str,
        body: Vec<u8>,
        signer: Option<&Credentials>,
    ) -> (u16, String) {
        let amz_date = match &self.clock {
            Some(clock) => amz_date(clock.now_millis()),
            None => amz_now(),
        };
        self.raw_at(target, body, signer, "cognito-idp", &amz_date)
            .await
    }

    /// As [`raw`](Self::raw), signed (if at all) for `service` at `amz_date`.
    pub async fn raw_at(
        &self,
        target: &str,
        body: Vec<u8>,
        signer: Option<&Credentials>,
        service: &str,
        amz_date: &str,
    ) -> (u16, String) {
        let host = self.base.trim_start_matches("http://").to_string();
        let amz_date = amz_date.to_string();
        let mut headers = vec![
            ("host".to_string(), host),
            (
                "content-type".to_string(),
                "application/x-amz-json-1.1".to_string(),
            ),
            ("x-amz-target".to_string(), target.to_string()),
            ("x-amz-date".to_string(), amz_date.clone()),
        ];
        if let Some(c) = signer {
            let auth = sign(
                &SignedRequest {
                    method: "POST",
                    path: "/",
                    query: "",
                    headers: &headers,
                    body: &body,
                },
                c,
                REGION,
                service,
                &amz_date,
            );
            headers.push(("authorization".to_string(), auth));
        }
        let mut req = self.http.post(format!("{}/", self.base)).body(body);
        for (k, v) in headers.iter().filter(|(k, _)| k != "host") {
            req = req.header(k, v);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, text)
    }

    /// Calls an action that must succeed; returns its output.
    pub async fn ok(&self, action: &str, body: Value) -> Value {
        let (status, out) = self.call(action, body.clone()).await;
        assert_eq!(status, 200, "{action} {body} answered {out}");
        out
    }

    /// Calls an action that must fail with `error_type`; returns the message.
    pub async fn err(&self, action: &str, body: Value, error_type: &str) -> String {
        let (status, out) = self.call(action, body.clone()).await;
        assert_eq!(status, 400, "{action} {body} answered {status} {out}");
        assert_eq!(out["__type"], error_type, "{action} {body} answered {out}");
        out["message"].as_str().unwrap_or_default().to_string()
    }

    /// Calls an action unsigned; it must be refused as AWS refuses a call that needs SigV4:
    /// HTTP 403, MissingAuthenticationTokenException.
    pub async fn assert_needs_signature(&self, action: &str, body: Value) {
        let (status, out) = self.call_unsigned(action, body.clone()).await;
        assert_eq!(status, 403, "{action} {body} answered {out}");
        assert_eq!(out["__type"], "MissingAuthenticationTokenException");
    }

    /// Creates a pool with `extra` members merged into the request; returns its id.
    pub async fn pool(&self, extra: Value) -> String {
        let body = merged(json!({ "PoolName": unique("pool") }), extra);
        let out = self.ok("CreateUserPool", body).await;
        out["UserPool"]["Id"].as_str().unwrap().to_string()
    }

    pub async fn outbox(&self) -> Vec<Value> {
        let resp = self
            .http
            .get(format!("{}/_dev/outbox", self.base))
            .send()
            .await
            .unwrap();
        resp.json().await.unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.stop().await.unwrap();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Merges the members of `extra` into `base`.
pub fn merged(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

pub fn creds() -> Credentials {
    Credentials {
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: SECRET_KEY.into(),
    }
}

pub fn amz_now() -> String {
    amz_date(cognate_core::clock::SystemClock.now_millis())
}

/// `X-Amz-Date` of an instant in epoch milliseconds.
pub fn amz_date(millis: i64) -> String {
    let now =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).unwrap();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}
