//! Nothing acknowledged is lost: the real `cognate` binary, in a child process, acknowledges a
//! run of writes, is killed with SIGKILL right after the last 200 OK (no graceful shutdown, no
//! chance to flush anything), restarts on the same data, and must still have every write.
//!
//! Runs on SQLite in a temporary data directory always, and on PostgreSQL too when
//! `COGNATE_TEST_DATABASE_URL` is set.

// Helpers here are not `#[test]` functions, which clippy's allow-*-in-tests covers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cognate_crypto::sigv4::Credentials;
use common::{unique, TestServer};
use serde_json::json;

/// Acknowledged writes per run.
const WRITES: usize = 50;

/// The binary running in a child process, and a signed client of it. Dropping it kills the
/// process, so a failed assertion leaves nothing running.
struct Process {
    child: Child,
    client: TestServer,
    creds: Credentials,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Starts `cognate serve` on `data_dir` and waits until it is ready. Its admin credentials are
/// the ones it generated into (or found in) `{data_dir}/credentials` on first start.
async fn spawn(data_dir: &Path, database_url: Option<&str>) -> Process {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognate"));
    cmd.arg("serve")
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data_dir);
    if let Some(url) = database_url {
        cmd.arg("--database-url").arg(url);
    }
    for (key, _) in std::env::vars() {
        if key.starts_with("COGNATE_") {
            cmd.env_remove(key);
        }
    }
    let mut child = cmd
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("cognate exited before it was ready: {status}");
        }
        let ready = http.get(format!("{base}/health/ready")).send().await;
        if matches!(&ready, Ok(r) if r.status().is_success()) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "cognate was not ready within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let creds = cognate::credentials::load_or_create(data_dir).unwrap();
    Process {
        child,
        client: TestServer::remote(base, data_dir.to_path_buf()),
        creds,
    }
}

async fn writes_survive_sigkill(database_url: Option<&str>) {
    let data_dir: PathBuf = std::env::temp_dir().join(unique("cognate-durability-"));
    let mut first = spawn(&data_dir, database_url).await;
    assert!(
        data_dir.join("credentials").exists(),
        "the server wrote no credentials file"
    );

    let mut pools = Vec::with_capacity(WRITES);
    for i in 0..WRITES {
        let name = unique(&format!("durable{i}-"));
        let (status, out) = first
            .client
            .call_with(
                "CreateUserPool",
                json!({ "PoolName": name, "UserPoolTags": { "write": i.to_string() } }),
                Some(&first.creds),
            )
            .await;
        assert_eq!(status, 200, "write {i} answered {out}");
        pools.push((out["UserPool"]["Id"].as_str().unwrap().to_string(), name));
    }
    // SIGKILL, right after the last acknowledgement.
    first.child.kill().unwrap();
    first.child.wait().unwrap();

    let second = spawn(&data_dir, database_url).await;
    assert_eq!(
        second.creds.access_key_id, first.creds.access_key_id,
        "credentials changed across the restart"
    );
    for (i, (id, name)) in pools.iter().enumerate() {
        let (status, out) = second
            .client
            .call_with(
                "DescribeUserPool",
                json!({ "UserPoolId": id }),
                Some(&second.creds),
            )
            .await;
        assert_eq!(status, 200, "acknowledged write {i} ({id}) was lost: {out}");
        assert_eq!(out["UserPool"]["Name"], name.as_str());
        assert_eq!(out["UserPool"]["UserPoolTags"]["write"], i.to_string());
    }
    drop(second);
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    writes_survive_sigkill(None).await;
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    match std::env::var("COGNATE_TEST_DATABASE_URL") {
        Ok(url) => writes_survive_sigkill(Some(&url)).await,
        Err(_) => eprintln!("COGNATE_TEST_DATABASE_URL is not set: PostgreSQL run skipped"),
    }
}
