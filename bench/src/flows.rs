//! The pool every server is set up with, and the workloads run against it.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use cognate_crypto::srp::{self, client as srp_client};
use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::api::{str_at, Api, CallError};
use crate::procfs;

pub const PASSWORD: &str = "Bench-pass-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    SignUp,
    SignIn,
    /// USER_SRP_AUTH: InitiateAuth, then RespondToAuthChallenge PASSWORD_VERIFIER.
    SrpSignIn,
    Refresh,
    GetUser,
}

impl Flow {
    pub const ALL: [Flow; 5] = [
        Flow::SignUp,
        Flow::SignIn,
        Flow::SrpSignIn,
        Flow::Refresh,
        Flow::GetUser,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Flow::SignUp => "SignUp",
            Flow::SignIn => "InitiateAuth USER_PASSWORD_AUTH",
            Flow::SrpSignIn => "USER_SRP_AUTH sign-in (2 calls)",
            Flow::Refresh => "InitiateAuth REFRESH_TOKEN_AUTH",
            Flow::GetUser => "GetUser",
        }
    }

    pub fn parse(s: &str) -> Result<Flow> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "signup" => Flow::SignUp,
            "signin" => Flow::SignIn,
            "srp" => Flow::SrpSignIn,
            "refresh" => Flow::Refresh,
            "getuser" => Flow::GetUser,
            other => {
                return Err(anyhow!(
                    "unknown flow {other:?} (signup, signin, srp, refresh, getuser)"
                ))
            }
        })
    }
}

/// A pool with an app client and confirmed users, ready for the workloads.
#[derive(Debug, Clone)]
pub struct Pool {
    pub pool_id: String,
    pub client_id: String,
    pub users: Vec<String>,
    /// How the users were made (the peers differ).
    pub how: String,
}

/// Tokens of one signed-in user.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

fn call_err(action: &str, e: &CallError) -> anyhow::Error {
    anyhow!("{action}: {e}")
}

/// Creates the pool (minimal password policy), the client (USER_PASSWORD_AUTH, USER_SRP_AUTH
/// and REFRESH_TOKEN_AUTH, no secret) and `n_users` confirmed users.
pub async fn setup(api: &Api, tag: &str, n_users: usize) -> Result<Pool> {
    let pool = api
        .admin(
            "CreateUserPool",
            &json!({
                "PoolName": format!("bench-{tag}"),
                "Policies": { "PasswordPolicy": {
                    "MinimumLength": 6,
                    "RequireUppercase": false,
                    "RequireLowercase": false,
                    "RequireNumbers": false,
                    "RequireSymbols": false
                }}
            }),
        )
        .await
        .map_err(|e| call_err("CreateUserPool", &e))?;
    let pool_id = str_at(&pool, &["UserPool", "Id"])
        .ok_or_else(|| anyhow!("CreateUserPool answered no UserPool.Id: {pool}"))?
        .to_string();
    let client = api
        .admin(
            "CreateUserPoolClient",
            &json!({
                "UserPoolId": pool_id,
                "ClientName": "bench",
                "GenerateSecret": false,
                "ExplicitAuthFlows": [
                    "ALLOW_USER_PASSWORD_AUTH",
                    "ALLOW_USER_SRP_AUTH",
                    "ALLOW_REFRESH_TOKEN_AUTH"
                ]
            }),
        )
        .await
        .map_err(|e| call_err("CreateUserPoolClient", &e))?;
    let client_id = str_at(&client, &["UserPoolClient", "ClientId"])
        .ok_or_else(|| anyhow!("CreateUserPoolClient answered no ClientId: {client}"))?
        .to_string();

    let users: Vec<String> = (0..n_users).map(|i| format!("user-{tag}-{i:04}")).collect();
    // AdminCreateUser + AdminSetUserPassword(Permanent) where the server has them, otherwise
    // SignUp + AdminConfirmSignUp.
    let how = match make_user_admin(api, &pool_id, &users[0]).await {
        Ok(()) => "AdminCreateUser + AdminSetUserPassword(Permanent)",
        Err(admin_err) => {
            make_user_signup(api, &pool_id, &client_id, &users[0])
                .await
                .map_err(|e| anyhow!("no way to make a user: {admin_err}; {e}"))?;
            "SignUp + AdminConfirmSignUp"
        }
    };
    let admin = how.starts_with("Admin");
    let mut set = JoinSet::new();
    for chunk in users[1..].chunks(users.len().div_ceil(8).max(1)) {
        let (api, pool_id, client_id, chunk) = (
            api.clone(),
            pool_id.clone(),
            client_id.clone(),
            chunk.to_vec(),
        );
        set.spawn(async move {
            for u in &chunk {
                if admin {
                    make_user_admin(&api, &pool_id, u).await?;
                } else {
                    make_user_signup(&api, &pool_id, &client_id, u).await?;
                }
            }
            Ok::<(), anyhow::Error>(())
        });
    }
    while let Some(r) = set.join_next().await {
        r.context("setup task")??;
    }
    Ok(Pool {
        pool_id,
        client_id,
        users,
        how: how.to_string(),
    })
}

async fn make_user_admin(api: &Api, pool_id: &str, user: &str) -> Result<()> {
    api.admin(
        "AdminCreateUser",
        &json!({
            "UserPoolId": pool_id,
            "Username": user,
            "TemporaryPassword": "Temp-pass-1",
            "MessageAction": "SUPPRESS"
        }),
    )
    .await
    .map_err(|e| call_err("AdminCreateUser", &e))?;
    api.admin(
        "AdminSetUserPassword",
        &json!({ "UserPoolId": pool_id, "Username": user, "Password": PASSWORD, "Permanent": true }),
    )
    .await
    .map_err(|e| call_err("AdminSetUserPassword", &e))?;
    Ok(())
}

async fn make_user_signup(api: &Api, pool_id: &str, client_id: &str, user: &str) -> Result<()> {
    api.public(
        "SignUp",
        &json!({ "ClientId": client_id, "Username": user, "Password": PASSWORD }),
    )
    .await
    .map_err(|e| call_err("SignUp", &e))?;
    api.admin(
        "AdminConfirmSignUp",
        &json!({ "UserPoolId": pool_id, "Username": user }),
    )
    .await
    .map_err(|e| call_err("AdminConfirmSignUp", &e))?;
    Ok(())
}

/// Signs every user in once; the tokens feed the refresh and GetUser workloads.
pub async fn collect_tokens(api: &Api, pool: &Pool) -> Result<Vec<Tokens>, CallError> {
    let mut set = JoinSet::new();
    for (i, chunk) in pool
        .users
        .chunks(pool.users.len().div_ceil(8).max(1))
        .enumerate()
    {
        let (api, client_id, chunk) = (api.clone(), pool.client_id.clone(), chunk.to_vec());
        set.spawn(async move {
            let mut out = Vec::new();
            for u in &chunk {
                let auth = sign_in(&api, &client_id, u).await?;
                let access = str_at(&auth, &["AuthenticationResult", "AccessToken"]);
                let refresh = str_at(&auth, &["AuthenticationResult", "RefreshToken"]);
                match (access, refresh) {
                    (Some(a), Some(r)) => out.push(Tokens {
                        access: a.to_string(),
                        refresh: r.to_string(),
                    }),
                    _ => return Err(bad_answer("InitiateAuth", &auth)),
                }
            }
            Ok((i, out))
        });
    }
    let mut parts = Vec::new();
    while let Some(r) = set.join_next().await {
        match r {
            Ok(Ok(part)) => parts.push(part),
            Ok(Err(e)) => return Err(e),
            Err(e) => {
                return Err(CallError {
                    status: 0,
                    kind: "TaskError".into(),
                    message: e.to_string(),
                })
            }
        }
    }
    parts.sort_by_key(|(i, _)| *i);
    Ok(parts.into_iter().flat_map(|(_, t)| t).collect())
}

fn bad_answer(action: &str, v: &Value) -> CallError {
    let what = match v.get("ChallengeName").and_then(Value::as_str) {
        Some(c) => format!("challenge {c} instead of tokens"),
        None => format!("no tokens in {}", crate::api::truncate(&v.to_string(), 160)),
    };
    CallError {
        status: 200,
        kind: "UnexpectedAnswer".into(),
        message: format!("{action}: {what}"),
    }
}

async fn sign_in(api: &Api, client_id: &str, user: &str) -> Result<Value, CallError> {
    api.public(
        "InitiateAuth",
        &json!({
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": { "USERNAME": user, "PASSWORD": PASSWORD }
        }),
    )
    .await
}

/// The client's side of USER_SRP_AUTH, done the way an SDK does it but with what a client may
/// keep between sign-ins kept: each user's x and k·g^x once its salt is known, and ephemeral
/// pairs (a, A) made before the run (16 per worker, used in turn; the server picks a fresh b
/// for each sign-in). The client's exponentiation runs on the blocking pool, off the load
/// generator's event loop.
#[derive(Clone)]
pub struct SrpWork {
    client_id: String,
    pool_name: String,
    users: Vec<String>,
    known: HashMap<String, Arc<srp_client::Known>>,
    ephemerals: Arc<Vec<(srp_client::Secret, String)>>,
    i: usize,
}

impl std::fmt::Debug for SrpWork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SrpWork")
            .field("users", &self.users.len())
            .finish()
    }
}

/// Ephemeral pairs per SRP worker.
const EPHEMERALS: usize = 16;

impl SrpWork {
    async fn step(&mut self, api: &Api) -> Result<(), CallError> {
        let user = self.users[self.i % self.users.len()].clone();
        let (a, big_a) = self.ephemerals[self.i % self.ephemerals.len()].clone();
        self.i += 1;
        let challenge = api
            .public(
                "InitiateAuth",
                &json!({
                    "AuthFlow": "USER_SRP_AUTH",
                    "ClientId": self.client_id,
                    "AuthParameters": { "USERNAME": user, "SRP_A": big_a }
                }),
            )
            .await?;
        let param = |name: &str| -> Result<String, CallError> {
            str_at(&challenge, &["ChallengeParameters", name])
                .map(str::to_string)
                .ok_or_else(|| bad_answer("InitiateAuth USER_SRP_AUTH", &challenge))
        };
        let (salt, big_b, block, user_id) = (
            param("SALT")?,
            param("SRP_B")?,
            param("SECRET_BLOCK")?,
            param("USER_ID_FOR_SRP")?,
        );
        let session = str_at(&challenge, &["Session"]).map(str::to_string);
        let known = match self.known.get(&user) {
            Some(k) => k.clone(),
            None => {
                let (realm, id, salt) = (self.pool_name.clone(), user_id.clone(), salt.clone());
                let known = blocking(move || {
                    srp_client::Known::new(&realm, &id, PASSWORD, &salt).map(Arc::new)
                })
                .await?;
                self.known.insert(user.clone(), known.clone());
                known
            }
        };
        let key = blocking(move || known.key(&a, &big_a, &big_b)).await?;
        let timestamp = srp::timestamp(time::OffsetDateTime::now_utc());
        let signature = srp_client::signature(&key, &self.pool_name, &user_id, &block, &timestamp)
            .map_err(|e| client_error(&e))?;
        let out = api
            .public(
                "RespondToAuthChallenge",
                &json!({
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "ClientId": self.client_id,
                    "Session": session,
                    "ChallengeResponses": {
                        "USERNAME": user_id,
                        "PASSWORD_CLAIM_SECRET_BLOCK": block,
                        "TIMESTAMP": timestamp,
                        "PASSWORD_CLAIM_SIGNATURE": signature
                    }
                }),
            )
            .await?;
        if str_at(&out, &["AuthenticationResult", "AccessToken"]).is_none() {
            return Err(bad_answer("RespondToAuthChallenge", &out));
        }
        Ok(())
    }
}

fn client_error(e: &dyn std::fmt::Display) -> CallError {
    CallError {
        status: 0,
        kind: "ClientError".into(),
        message: e.to_string(),
    }
}

/// Runs the client's SRP arithmetic on tokio's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, srp::SrpError> + Send + 'static,
) -> Result<T, CallError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(client_error(&e)),
        Err(e) => Err(client_error(&e)),
    }
}

/// What one load worker does, request after request.
#[derive(Debug, Clone)]
pub enum Work {
    SignUp {
        client_id: String,
        prefix: String,
        n: u64,
    },
    SignIn {
        client_id: String,
        users: Vec<String>,
        i: usize,
    },
    SrpSignIn(Box<SrpWork>),
    Refresh {
        client_id: String,
        tokens: Vec<String>,
        i: usize,
    },
    GetUser {
        tokens: Vec<String>,
        i: usize,
    },
}

impl Work {
    /// The work of worker `w` of `workers`.
    pub fn new(
        flow: Flow,
        pool: &Pool,
        tokens: &[Tokens],
        tag: &str,
        w: usize,
        workers: usize,
    ) -> Work {
        // Worker w takes items w, w + workers, ...; with fewer items than workers, it shares one.
        let mine = |n: usize| -> Vec<usize> {
            let own: Vec<usize> = (0..n).filter(|i| i % workers == w).collect();
            if own.is_empty() && n > 0 {
                vec![w % n]
            } else {
                own
            }
        };
        match flow {
            Flow::SignUp => Work::SignUp {
                client_id: pool.client_id.clone(),
                prefix: format!("su-{tag}-{w}-"),
                n: 0,
            },
            Flow::SignIn => Work::SignIn {
                client_id: pool.client_id.clone(),
                users: mine(pool.users.len())
                    .into_iter()
                    .map(|i| pool.users[i].clone())
                    .collect(),
                i: 0,
            },
            Flow::SrpSignIn => Work::SrpSignIn(Box::new(SrpWork {
                client_id: pool.client_id.clone(),
                pool_name: srp::pool_name(&pool.pool_id).to_string(),
                users: mine(pool.users.len())
                    .into_iter()
                    .map(|i| pool.users[i].clone())
                    .collect(),
                known: HashMap::new(),
                ephemerals: Arc::new(
                    (0..EPHEMERALS)
                        .map(|_| srp_client::start_with_len(32))
                        .collect(),
                ),
                i: 0,
            })),
            Flow::Refresh => Work::Refresh {
                client_id: pool.client_id.clone(),
                tokens: mine(tokens.len())
                    .into_iter()
                    .map(|i| tokens[i].refresh.clone())
                    .collect(),
                i: 0,
            },
            Flow::GetUser => Work::GetUser {
                tokens: mine(tokens.len())
                    .into_iter()
                    .map(|i| tokens[i].access.clone())
                    .collect(),
                i: 0,
            },
        }
    }

    /// One request; `Ok` only for a complete, successful answer.
    pub async fn step(&mut self, api: &Api) -> Result<(), CallError> {
        match self {
            Work::SignUp {
                client_id,
                prefix,
                n,
            } => {
                *n += 1;
                let out = api
                    .public(
                        "SignUp",
                        &json!({
                            "ClientId": client_id,
                            "Username": format!("{prefix}{n}"),
                            "Password": PASSWORD
                        }),
                    )
                    .await?;
                if out.get("UserSub").is_none() {
                    return Err(bad_answer("SignUp", &out));
                }
                Ok(())
            }
            Work::SignIn {
                client_id,
                users,
                i,
            } => {
                let user = &users[*i % users.len()];
                *i += 1;
                let out = sign_in(api, client_id, user).await?;
                if str_at(&out, &["AuthenticationResult", "AccessToken"]).is_none() {
                    return Err(bad_answer("InitiateAuth", &out));
                }
                Ok(())
            }
            Work::SrpSignIn(work) => work.step(api).await,
            Work::Refresh {
                client_id,
                tokens,
                i,
            } => {
                let k = *i % tokens.len();
                *i += 1;
                let out = api
                    .public(
                        "InitiateAuth",
                        &json!({
                            "AuthFlow": "REFRESH_TOKEN_AUTH",
                            "ClientId": client_id,
                            "AuthParameters": { "REFRESH_TOKEN": tokens[k] }
                        }),
                    )
                    .await?;
                if str_at(&out, &["AuthenticationResult", "AccessToken"]).is_none() {
                    return Err(bad_answer("InitiateAuth", &out));
                }
                // With refresh-token rotation the answer carries the next one.
                if let Some(r) = str_at(&out, &["AuthenticationResult", "RefreshToken"]) {
                    tokens[k] = r.to_string();
                }
                Ok(())
            }
            Work::GetUser { tokens, i } => {
                let k = *i % tokens.len();
                *i += 1;
                let out = api
                    .public("GetUser", &json!({ "AccessToken": tokens[k] }))
                    .await?;
                if out.get("Username").is_none() {
                    return Err(bad_answer("GetUser", &out));
                }
                Ok(())
            }
        }
    }
}

/// What one workload measured.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub ok: u64,
    pub errors: u64,
    /// Error kind → (count, first message).
    pub error_kinds: BTreeMap<String, (u64, String)>,
    pub secs: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub server_cpu_s: f64,
    pub client_cpu_s: f64,
    /// How busy the whole machine's cores were during the measured window, 0..=1.
    pub machine_busy: f64,
    pub peak_rss_mb: f64,
    /// The bounds measured just before this flow (Cognate's flows only).
    pub bounds: Option<crate::bounds::Bounds>,
    /// How the cores were split between server and load generator, if they were.
    pub split: Option<String>,
}

impl Measured {
    pub fn rps(&self) -> f64 {
        self.ok as f64 / self.secs
    }
}

fn percentile(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

#[derive(Debug, Default)]
struct WorkerLog {
    ok: u64,
    latencies_us: Vec<u32>,
    errors: BTreeMap<String, (u64, String)>,
}

/// Runs `works` (one per concurrent client) for `warmup` then `duration`, counting only the
/// requests started after the warm-up; samples the server's memory at 10 Hz and reads its CPU
/// time at the edges of the measured window.
pub async fn run(
    base: &str,
    server_pids: &[u32],
    works: Vec<Work>,
    warmup: Duration,
    duration: Duration,
    ticks: f64,
) -> Result<Measured> {
    let start = Instant::now();
    let t0 = start + warmup;
    let t1 = t0 + duration;

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        let pids = server_pids.to_vec();
        tokio::spawn(async move {
            let mut peak = 0u64;
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                peak = peak.max(procfs::rss_bytes(&pids));
            }
            peak
        })
    };

    let mut set = JoinSet::new();
    for mut work in works {
        let api = Api::new(base)?;
        set.spawn(async move {
            let mut log = WorkerLog::default();
            loop {
                let began = Instant::now();
                if began >= t1 {
                    break;
                }
                let result = work.step(&api).await;
                if began < t0 {
                    continue;
                }
                match result {
                    Ok(()) => {
                        log.ok += 1;
                        let us = began.elapsed().as_micros();
                        log.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
                    }
                    Err(e) => {
                        let entry = log
                            .errors
                            .entry(e.kind.clone())
                            .or_insert_with(|| (0, e.to_string()));
                        entry.0 += 1;
                    }
                }
            }
            log
        });
    }

    tokio::time::sleep_until(t0.into()).await;
    let measured_from = Instant::now();
    let cpu0 = procfs::cpu_seconds(server_pids, ticks);
    let self0 = procfs::self_cpu_seconds(ticks);
    let machine0 = procfs::machine_ticks();
    tokio::time::sleep_until(t1.into()).await;
    let cpu1 = procfs::cpu_seconds(server_pids, ticks);
    let self1 = procfs::self_cpu_seconds(ticks);
    let machine1 = procfs::machine_ticks();
    let secs = measured_from.elapsed().as_secs_f64();

    let mut m = Measured {
        secs,
        server_cpu_s: cpu1 - cpu0,
        client_cpu_s: self1 - self0,
        machine_busy: (machine1.0 - machine0.0) as f64 / (machine1.1 - machine0.1).max(1) as f64,
        ..Measured::default()
    };
    let mut lat = Vec::new();
    while let Some(r) = set.join_next().await {
        let log = r.context("load worker")?;
        m.ok += log.ok;
        lat.extend(log.latencies_us);
        for (k, (n, msg)) in log.errors {
            let e = m.error_kinds.entry(k).or_insert_with(|| (0, msg));
            e.0 += n;
            m.errors += n;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.await.unwrap_or(0);
    m.peak_rss_mb = peak.max(procfs::rss_bytes(server_pids)) as f64 / (1024.0 * 1024.0);
    lat.sort_unstable();
    m.p50_ms = percentile(&lat, 0.50);
    m.p99_ms = percentile(&lat, 0.99);
    Ok(m)
}
