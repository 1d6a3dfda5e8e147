//! A minimal Cognito user pools client (AWS JSON 1.1 over HTTP/1.1): public actions unsigned, as
//! browsers and SDKs send them; administrative actions signed with SigV4 by dummy credentials
//! (Cognate runs with `--dev`, and the peers accept any signature).

use std::fmt;
use std::time::Duration;

use cognate_crypto::sigv4::{sign, Credentials, SignedRequest};
use serde_json::Value;

pub const REGION: &str = "us-east-1";

/// One failed call: HTTP status (0 when the request did not complete) and the AWS error.
#[derive(Debug, Clone)]
pub struct CallError {
    pub status: u16,
    pub kind: String,
    pub message: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status == 0 {
            write!(f, "{}: {}", self.kind, self.message)
        } else {
            write!(f, "HTTP {} {}: {}", self.status, self.kind, self.message)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    url: String,
    host: String,
    creds: Credentials,
}

impl Api {
    /// A client with its own connection pool (so each load worker keeps its own connection).
    pub fn new(base: &str) -> anyhow::Result<Api> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(4)
            .build()?;
        Ok(Api {
            http,
            url: format!("{base}/"),
            host: base.trim_start_matches("http://").to_string(),
            creds: Credentials {
                access_key_id: "AKIABENCHBENCHBENCH0".into(),
                secret_access_key: "benchsecretbenchsecretbenchsecretbench00".into(),
            },
        })
    }

    /// An administrative (IAM-signed) call.
    pub async fn admin(&self, action: &str, body: &Value) -> Result<Value, CallError> {
        self.call(action, body, true).await
    }

    /// A public (unsigned) call.
    pub async fn public(&self, action: &str, body: &Value) -> Result<Value, CallError> {
        self.call(action, body, false).await
    }

    async fn call(&self, action: &str, body: &Value, signed: bool) -> Result<Value, CallError> {
        let body = body.to_string().into_bytes();
        let target = format!("AWSCognitoIdentityProviderService.{action}");
        let mut req = self
            .http
            .post(&self.url)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", &target);
        if signed {
            let amz_date = amz_now();
            let headers = vec![
                ("host".to_string(), self.host.clone()),
                (
                    "content-type".to_string(),
                    "application/x-amz-json-1.1".to_string(),
                ),
                ("x-amz-target".to_string(), target.clone()),
                ("x-amz-date".to_string(), amz_date.clone()),
            ];
            let auth = sign(
                &SignedRequest {
                    method: "POST",
                    path: "/",
                    query: "",
                    headers: &headers,
                    body: &body,
                },
                &self.creds,
                REGION,
                "cognito-idp",
                &amz_date,
            );
            req = req
                .header("x-amz-date", amz_date)
                .header("authorization", auth);
        }
        let resp = req.body(body).send().await.map_err(transport)?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(transport)?;
        let value: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        if status == 200 {
            return Ok(value);
        }
        let kind = value
            .get("__type")
            .and_then(Value::as_str)
            .map(|t| t.rsplit('#').next().unwrap_or(t).to_string())
            .unwrap_or_else(|| "UnknownError".into());
        let message = value
            .get("message")
            .or_else(|| value.get("Message"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| truncate(&value.to_string(), 200));
        Err(CallError {
            status,
            kind,
            message,
        })
    }
}

fn transport(e: reqwest::Error) -> CallError {
    CallError {
        status: 0,
        kind: if e.is_timeout() {
            "Timeout".into()
        } else {
            "TransportError".into()
        },
        message: truncate(&e.to_string(), 200),
    }
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

fn amz_now() -> String {
    let now = time::OffsetDateTime::now_utc();
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

/// A string member of a JSON answer.
pub fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}
