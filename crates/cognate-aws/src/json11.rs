//! The AWS JSON 1.1 protocol: decoding a request body into an operation's input, and
//! encoding answers and errors.
//!
//! A body that is not JSON, or whose members have the wrong JSON types, is a
//! `SerializationException`; constraint violations of well-formed input are the engine's
//! `InvalidParameterException`. An empty body is an empty object, as SDKs send for inputs
//! without members.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::AwsError;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Nesting deeper than this is refused before serde sees it, so hostile input cannot exhaust
/// the stack. Cognito's deepest input shape is far shallower.
const MAX_DEPTH: usize = 32;

pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, AwsError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    if nesting_depth(body) > MAX_DEPTH {
        return Err(AwsError::serialization("Request nesting is too deep."));
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| AwsError::serialization(format!("Could not parse request body: {e}")))?;
    if !value.is_object() {
        return Err(AwsError::serialization(
            "Start of structure or map found where not expected.",
        ));
    }
    // JSON null members are absent members in AWS JSON.
    let value = strip_nulls(value);
    serde_json::from_value(value).map_err(|e| AwsError::serialization(e.to_string()))
}

fn strip_nulls(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(strip_nulls).collect())
        }
        other => other,
    }
}

/// Greatest depth of brackets outside strings; cheap and conservative.
fn nesting_depth(body: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn response(status: StatusCode, body: Vec<u8>, request_id: &str) -> Response<Body> {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    resp
}

pub fn ok<T: Serialize>(output: &T, request_id: &str) -> Response<Body> {
    match serde_json::to_vec(output) {
        Ok(body) => response(StatusCode::OK, body, request_id),
        Err(e) => {
            tracing::error!(error = %e, "could not encode a response");
            error(&AwsError::internal(), request_id)
        }
    }
}

pub fn error(e: &AwsError, request_id: &str) -> Response<Body> {
    let body = serde_json::json!({ "__type": e.error_type, "message": e.message });
    let mut resp = response(e.status, body.to_string().into_bytes(), request_id);
    if let Ok(v) = HeaderValue::from_str(e.error_type) {
        resp.headers_mut().insert("x-amzn-errortype", v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct In {
        max_results: Option<i64>,
        #[allow(dead_code)]
        name: Option<String>,
    }

    #[test]
    fn empty_body_is_an_empty_input() {
        let v: In = decode(b"").unwrap();
        assert!(v.max_results.is_none());
    }

    #[test]
    fn malformed_and_mistyped_bodies_are_serialization_errors() {
        for body in [
            &b"{"[..],
            b"[]",
            b"\"x\"",
            b"{\"MaxResults\": \"ten\"}",
            &[0xff, 0xfe],
        ] {
            let e = decode::<In>(body).unwrap_err();
            assert_eq!(e.error_type, "SerializationException", "{body:?}");
        }
    }

    #[test]
    fn nulls_are_absent_members() {
        let v: In = decode(br#"{"MaxResults": null}"#).unwrap();
        assert!(v.max_results.is_none());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let body = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(
            decode::<In>(body.as_bytes()).unwrap_err().error_type,
            "SerializationException"
        );
    }
}
