//! Reads requests signed by botocore (a JSON array on stdin, from `botocore_crosscheck.py`),
//! runs `cognate_crypto::sigv4::verify` on each, and compares with the expected outcome.

use std::io::Read;
use std::process::ExitCode;

use cognate_crypto::sigv4::{verify, Credentials, SignedRequest};
use serde_json::Value;

fn text(case: &Value, key: &str) -> String {
    case[key].as_str().unwrap_or_default().to_owned()
}

fn main() -> ExitCode {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let cases: Vec<Value> = serde_json::from_str(&input).expect("a JSON array of cases");
    let mut failures = 0;
    for case in &cases {
        let headers: Vec<(String, String)> = case["headers"]
            .as_array()
            .expect("headers")
            .iter()
            .map(|pair| {
                let field = |i: usize| pair[i].as_str().expect("header field").to_owned();
                (field(0), field(1))
            })
            .collect();
        let body: Vec<u8> = case["body"]
            .as_array()
            .expect("body")
            .iter()
            .map(|b| b.as_u64().expect("byte") as u8)
            .collect();
        let (method, path, query) = (
            text(case, "method"),
            text(case, "path"),
            text(case, "query"),
        );
        let req = SignedRequest {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: &body,
        };
        let (akid, secret) = (text(case, "access_key_id"), text(case, "secret_access_key"));
        let lookup = |key: &str| {
            (key == akid).then(|| Credentials {
                access_key_id: akid.clone(),
                secret_access_key: secret.clone(),
            })
        };
        let outcome = match verify(&req, case["now"].as_i64().expect("now"), lookup) {
            Ok(identity) => format!("ok {}/{}", identity.region, identity.service),
            Err(e) => e.aws_type().to_owned(),
        };
        let expected = text(case, "expect");
        let pass = outcome.starts_with(&expected);
        if !pass {
            failures += 1;
        }
        println!(
            "{} {:<40} expected {:<28} got {}",
            if pass { "PASS" } else { "FAIL" },
            text(case, "name"),
            expected,
            outcome
        );
    }
    println!("{} cases, {failures} failed", cases.len());
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
