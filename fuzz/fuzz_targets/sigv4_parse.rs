//! Arbitrary bytes into the SigV4 verifier: the `Authorization` parser on its own, `verify`
//! on an arbitrary request, and `sign` followed by `verify`, which must always accept.
//!
//! The input, read as lossy UTF-8 after a first "mode" byte, is a tiny HTTP-like request:
//! method, path and query on the first three lines, then `name:value` header lines, then an
//! empty line and the body.
#![no_main]

use cognate_crypto::sigv4::{self, Credentials, SignedRequest};
use libfuzzer_sys::fuzz_target;

const AKID: &str = "AKIDEXAMPLE";
const AMZ_DATE: &str = "20150830T123600Z";
/// `AMZ_DATE` in Unix seconds.
const NOW: i64 = 1_440_938_160;

fn lookup(key: &str) -> Option<Credentials> {
    (key == AKID).then(|| Credentials {
        access_key_id: AKID.to_owned(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
    })
}

/// An HTTP field name (RFC 9110 `token`): what a real server could hand us.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);

    let _ = sigv4::parse_authorization(&text);

    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.split('\n');
    let method = lines.next().unwrap_or_default();
    let path = lines.next().unwrap_or_default();
    let query = lines.next().unwrap_or_default();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    let req = SignedRequest {
        method,
        path,
        query,
        headers: &headers,
        body: body.as_bytes(),
    };

    // Anything at all, at a clock up to two hours either side of the request date.
    let now = NOW + i64::from(mode as i8) * 60;
    let _ = sigv4::verify(&req, now, lookup);

    // What `sign` produces, `verify` accepts: same request, real header names, no headers
    // that would contradict the ones the signer sets.
    let mut signable: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| is_token(name))
        .filter(|(name, _)| {
            !["authorization", "x-amz-date", "x-amz-content-sha256"]
                .iter()
                .any(|h| name.eq_ignore_ascii_case(h))
        })
        .cloned()
        .collect();
    signable.push(("Host".to_owned(), "cognito-idp.localhost".to_owned()));
    signable.push(("X-Amz-Date".to_owned(), AMZ_DATE.to_owned()));
    let creds = lookup(AKID).unwrap();
    let unsigned = SignedRequest {
        headers: &signable,
        ..req
    };
    let authorization = sigv4::sign(&unsigned, &creds, "us-east-1", "cognito-idp", AMZ_DATE);
    signable.push(("Authorization".to_owned(), authorization.clone()));
    let signed = SignedRequest {
        headers: &signable,
        ..req
    };
    if let Err(e) = sigv4::verify(&signed, NOW, lookup) {
        panic!("sign then verify refused: {e:?}\n{authorization}\n{signable:?}");
    }
});
