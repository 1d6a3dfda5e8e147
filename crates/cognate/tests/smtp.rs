//! Email through a real SMTP server: the server under test sends sign-up codes with `lettre`
//! to an SMTP server started here (mailin's protocol engine on a socket, with rustls for
//! STARTTLS and implicit TLS and a throwaway CA from rcgen). Plain SMTP with AUTH, STARTTLS,
//! implicit TLS, refused credentials and an untrusted certificate.

// Helpers here are not `#[test]` functions, so clippy's allow-*-in-tests does not reach them;
// a failed unwrap in one is a failed test, as it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognate::app::{start, RunningServer};
use common::{test_settings, TestServer};
use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use serde_json::{json, Value};

const USER: &str = "cognate";
const PASS: &str = "s3cret pass";

/// One message as the SMTP server received it.
#[derive(Debug, Clone, Default)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
    auth: Option<(String, String)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// No TLS at all; AUTH allowed in plain text.
    Plain,
    /// STARTTLS offered; AUTH only after it.
    StartTls,
    /// TLS from the first byte.
    Implicit,
}

/// Records what one connection delivers.
struct Recorder {
    inbox: Arc<Mutex<Vec<Received>>>,
    current: Received,
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.current.from = from.to_string();
        self.current.to.clear();
        self.current.data.clear();
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.current.to.push(to.to_string());
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.push_str(&String::from_utf8_lossy(buf));
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.inbox.lock().unwrap().push(self.current.clone());
        mailin::response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.auth_login(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        if (user, password) == (USER, PASS) {
            self.current.auth = Some((user.to_string(), password.to_string()));
            mailin::response::AUTH_OK
        } else {
            mailin::response::INVALID_CREDENTIALS
        }
    }
}

struct SmtpServer {
    addr: SocketAddr,
    inbox: Arc<Mutex<Vec<Received>>>,
    /// The CA that signed the server's certificate, as a PEM file.
    ca_file: PathBuf,
}

impl SmtpServer {
    fn received(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }
}

/// A CA and a certificate it signed for 127.0.0.1; returns the TLS config and the CA's PEM.
fn tls_identity() -> (Arc<ServerConfig>, String) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Cognate test CA");
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca, &ca_key).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key)
            .unwrap();
    (Arc::new(config), ca.pem())
}

/// Starts an SMTP server on an ephemeral port of 127.0.0.1; with `auth`, mail is accepted only
/// after AUTH PLAIN or LOGIN with [`USER`] and [`PASS`].
fn start_smtp(mode: Mode, auth: bool) -> SmtpServer {
    let (tls, ca_pem) = tls_identity();
    let ca_file = std::env::temp_dir().join(common::unique("cognate-smtp-ca-"));
    std::fs::write(&ca_file, ca_pem).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let mut builder = SessionBuilder::new("smtp.test");
    if mode == Mode::StartTls {
        builder.enable_start_tls();
    }
    if auth {
        builder
            .enable_auth(AuthMechanism::Plain)
            .enable_auth(AuthMechanism::Login);
        if mode == Mode::Plain {
            builder.insecure_enable_plaintext_auth();
        }
    }
    let shared = inbox.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (builder, tls, inbox) = (builder.clone(), tls.clone(), shared.clone());
            std::thread::spawn(move || {
                let _ = serve(stream, &builder, tls, inbox, mode);
            });
        }
    });
    SmtpServer {
        addr,
        inbox,
        ca_file,
    }
}

/// Runs one SMTP connection through mailin's session until it closes.
fn serve(
    stream: TcpStream,
    builder: &SessionBuilder,
    tls: Arc<ServerConfig>,
    inbox: Arc<Mutex<Vec<Received>>>,
    mode: Mode,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let remote = stream.peer_addr()?.ip();
    let recorder = Recorder {
        inbox,
        current: Received::default(),
    };
    let mut session = builder.build(remote, recorder);
    let wrap = |s: TcpStream| -> std::io::Result<StreamOwned<ServerConnection, TcpStream>> {
        let conn = ServerConnection::new(tls.clone()).map_err(std::io::Error::other)?;
        Ok(StreamOwned::new(conn, s))
    };
    if mode == Mode::Implicit {
        let mut secure = BufReader::new(wrap(stream)?);
        session.tls_active();
        write_response(secure.get_mut(), &session.greeting())?;
        run(&mut session, &mut secure)?;
        return Ok(());
    }
    let mut plain = BufReader::new(stream);
    write_response(plain.get_mut(), &session.greeting())?;
    if run(&mut session, &mut plain)? {
        let mut secure = BufReader::new(wrap(plain.into_inner())?);
        session.tls_active();
        run(&mut session, &mut secure)?;
    }
    Ok(())
}

/// Feeds lines to the session; true when the client asked for STARTTLS.
fn run<S: Read + Write>(
    session: &mut mailin::Session<Recorder>,
    stream: &mut BufReader<S>,
) -> std::io::Result<bool> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line)? == 0 {
            return Ok(false);
        }
        let res = session.process(&line);
        match res.action {
            Action::Reply => write_response(stream.get_mut(), &res)?,
            Action::Close => {
                write_response(stream.get_mut(), &res)?;
                return Ok(false);
            }
            Action::UpgradeTls => {
                write_response(stream.get_mut(), &res)?;
                return Ok(true);
            }
            Action::NoReply => {}
        }
    }
}

fn write_response(out: &mut dyn Write, res: &Response) -> std::io::Result<()> {
    res.write_to(out)?;
    out.flush()
}

/// A Cognate server whose email goes to `smtp_url`.
async fn cognate_with_smtp(smtp_url: &str) -> (RunningServer, TestServer) {
    let (mut args, data_dir) = test_settings(false);
    args.smtp_url = Some(smtp_url.to_string());
    args.smtp_from = Some("Cognate <auth@cognate.test>".to_string());
    let server = start(args.resolve().unwrap()).await.unwrap();
    let client = TestServer::remote(format!("http://{}", server.addr), data_dir);
    (server, client)
}

async fn stop(server: RunningServer, client: TestServer) {
    server.stop().await.unwrap();
    client.stop().await;
}

/// A pool that emails sign-up codes, and a client of it.
async fn email_pool(s: &TestServer) -> (String, String) {
    let pool = s.pool(json!({ "AutoVerifiedAttributes": ["email"] })).await;
    let out = s
        .ok(
            "CreateUserPoolClient",
            json!({ "UserPoolId": pool, "ClientName": "app" }),
        )
        .await;
    let client_id = out["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    (pool, client_id)
}

async fn sign_up(s: &TestServer, client_id: &str, username: &str, email: &str) -> (u16, Value) {
    s.call_unsigned(
        "SignUp",
        json!({ "ClientId": client_id, "Username": username, "Password": "Smtp-Pass1",
                "UserAttributes": [{ "Name": "email", "Value": email }] }),
    )
    .await
}

fn code_in(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    for (i, w) in chars.windows(6).enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 6);
        if w.iter().all(char::is_ascii_digit)
            && !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(char::is_ascii_digit)
        {
            return w.iter().collect();
        }
    }
    panic!("no code in {text:?}");
}

/// The message body (after the headers).
fn body_of(data: &str) -> &str {
    data.split_once("\r\n\r\n").map_or(data, |(_, b)| b)
}

/// Checks one delivered sign-up message and returns its code.
fn check_delivery(got: &Received, to: &str) -> String {
    assert_eq!(got.from, "auth@cognate.test", "{got:?}");
    assert_eq!(got.to, vec![to.to_string()]);
    assert!(
        got.data.contains("Subject: Your verification code\r\n"),
        "{}",
        got.data
    );
    assert!(
        got.data.contains("From: Cognate <auth@cognate.test>\r\n"),
        "{}",
        got.data
    );
    assert!(got.data.contains(&format!("To: {to}\r\n")), "{}", got.data);
    let body = body_of(&got.data);
    let code = code_in(body);
    assert_eq!(
        body.trim_end(),
        format!("Your verification code is {code}.")
    );
    code
}

async fn wait_for(server: &SmtpServer, n: usize) -> Vec<Received> {
    for _ in 0..100 {
        let got = server.received();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.received()
}

#[tokio::test]
async fn plain_smtp_with_auth_delivers_codes_that_confirm() {
    let smtp = start_smtp(Mode::Plain, true);
    let url = format!(
        "smtp://{USER}:s3cret%20pass@127.0.0.1:{}?starttls=false",
        smtp.addr.port()
    );
    let (server, s) = cognate_with_smtp(&url).await;
    let (pool, client_id) = email_pool(&s).await;
    let (status, out) = sign_up(&s, &client_id, "alice", "alice@example.com").await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["CodeDeliveryDetails"]["Destination"], "a***@e***");
    let got = wait_for(&smtp, 1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].auth, Some((USER.to_string(), PASS.to_string())));
    let code = check_delivery(&got[0], "alice@example.com");
    // The outbox (kept under --outbox) has the same message.
    let outbox = s.outbox().await;
    let copy = outbox.iter().find(|m| m["pool_id"] == pool).unwrap();
    assert_eq!(copy["body"], format!("Your verification code is {code}. "));
    let (status, out) = s
        .call_unsigned(
            "ConfirmSignUp",
            json!({ "ClientId": client_id, "Username": "alice", "ConfirmationCode": code }),
        )
        .await;
    assert_eq!(status, 200, "{out}");

    // SMS does not go through SMTP.
    let phone_pool = s
        .pool(json!({ "AutoVerifiedAttributes": ["phone_number"] }))
        .await;
    let out = s
        .ok(
            "CreateUserPoolClient",
            json!({ "UserPoolId": phone_pool, "ClientName": "app" }),
        )
        .await;
    let phone_client = out["UserPoolClient"]["ClientId"].as_str().unwrap();
    let (status, out) = s
        .call_unsigned(
            "SignUp",
            json!({ "ClientId": phone_client, "Username": "bob", "Password": "Smtp-Pass1",
                    "UserAttributes": [{ "Name": "phone_number", "Value": "+15555550100" }] }),
        )
        .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    let outbox = s.outbox().await;
    assert!(outbox
        .iter()
        .any(|m| m["pool_id"] == phone_pool && m["channel"] == "sms"));
    assert_eq!(smtp.received().len(), 1);
    stop(server, s).await;
}

#[tokio::test]
async fn starttls_with_a_private_ca() {
    let smtp = start_smtp(Mode::StartTls, true);
    let url = format!(
        "smtp://{USER}:s3cret%20pass@127.0.0.1:{}?starttls=true&ca_file={}",
        smtp.addr.port(),
        smtp.ca_file.display()
    );
    let (server, s) = cognate_with_smtp(&url).await;
    let (_, client_id) = email_pool(&s).await;
    let (status, out) = sign_up(&s, &client_id, "carol", "carol@example.com").await;
    assert_eq!(status, 200, "{out}");
    let got = wait_for(&smtp, 1).await;
    assert_eq!(got.len(), 1);
    // mailin accepts AUTH only over TLS here, so authenticating proves the upgrade happened.
    assert_eq!(got[0].auth, Some((USER.to_string(), PASS.to_string())));
    check_delivery(&got[0], "carol@example.com");
    stop(server, s).await;
}

#[tokio::test]
async fn implicit_tls() {
    let smtp = start_smtp(Mode::Implicit, true);
    let url = format!(
        "smtps://{USER}:s3cret%20pass@127.0.0.1:{}?ca_file={}",
        smtp.addr.port(),
        smtp.ca_file.display()
    );
    let (server, s) = cognate_with_smtp(&url).await;
    let (_, client_id) = email_pool(&s).await;
    let (status, out) = sign_up(&s, &client_id, "dan", "dan@example.com").await;
    assert_eq!(status, 200, "{out}");
    let got = wait_for(&smtp, 1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].auth, Some((USER.to_string(), PASS.to_string())));
    check_delivery(&got[0], "dan@example.com");
    stop(server, s).await;
}

#[tokio::test]
async fn refused_credentials_and_untrusted_certificates_fail_the_delivery() {
    let smtp = start_smtp(Mode::Plain, true);
    let url = format!(
        "smtp://{USER}:wrong@127.0.0.1:{}?starttls=false",
        smtp.addr.port()
    );
    let (server, s) = cognate_with_smtp(&url).await;
    let (pool, client_id) = email_pool(&s).await;
    let (status, out) = sign_up(&s, &client_id, "erin", "erin@example.com").await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "CodeDeliveryFailureException", "{out}");
    assert!(smtp.received().is_empty());
    // The user exists, unconfirmed, as after Cognito's delivery failures; a resend can retry.
    let got = s
        .ok(
            "AdminGetUser",
            json!({ "UserPoolId": pool, "Username": "erin" }),
        )
        .await;
    assert_eq!(got["UserStatus"], "UNCONFIRMED");
    stop(server, s).await;

    // STARTTLS required against a certificate nobody vouches for: nothing is sent.
    let tls_smtp = start_smtp(Mode::StartTls, true);
    let url = format!(
        "smtp://{USER}:s3cret%20pass@127.0.0.1:{}?starttls=true",
        tls_smtp.addr.port()
    );
    let (server, s) = cognate_with_smtp(&url).await;
    let (_, client_id) = email_pool(&s).await;
    let (status, out) = sign_up(&s, &client_id, "finn", "finn@example.com").await;
    assert_eq!(status, 400, "{out}");
    assert_eq!(out["__type"], "CodeDeliveryFailureException", "{out}");
    assert!(tls_smtp.received().is_empty());
    stop(server, s).await;
}
