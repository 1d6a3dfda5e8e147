//! `cognate-bench`: throughput, latency, CPU and memory of Cognate's authentication data plane
//! (SignUp, USER_PASSWORD_AUTH sign-in, REFRESH_TOKEN_AUTH, GetUser), with the same workload
//! run against moto and cognito-local, and each Cognate flow set against its physical bound on
//! this machine. `bench/run.sh` installs the peers and runs it from the repository root.

mod api;
mod bounds;
mod cores;
mod flows;
mod procfs;
mod report;
mod server;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;

use crate::api::{Api, CallError};
use crate::flows::{Flow, Pool, Tokens, Work};
use crate::report::{Outcome, Row};
use crate::server::{Kind, Programs, Server};

#[derive(Debug, Parser)]
#[command(
    name = "cognate-bench",
    about = "Benchmarks Cognate against moto and cognito-local"
)]
struct Args {
    /// Servers to run, in order.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "cognate,moto,cognito-local"
    )]
    servers: Vec<String>,
    /// Flows to run: signup, signin, srp, refresh, getuser.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "signup,signin,srp,refresh,getuser"
    )]
    flows: Vec<String>,
    /// Flows whose load generator gets a core of its own, the server the others (`none` for
    /// no such flow). For the SRP sign-in the client's arithmetic costs about what the
    /// server's does; on shared cores the run would measure both, not the server. These flows'
    /// bounds count the server's cores only.
    #[arg(long, value_delimiter = ',', default_value = "srp")]
    split: Vec<String>,
    /// Concurrent clients per flow.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Seconds measured per flow.
    #[arg(long, default_value_t = 12.0)]
    duration: f64,
    /// Seconds of warm-up per flow, not counted.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Confirmed users created for the sign-in flows.
    #[arg(long, default_value_t = 64)]
    users: usize,
    #[arg(long, default_value = "target/release/cognate")]
    cognate_bin: PathBuf,
    #[arg(long, default_value = "bench/.venv/bin/moto_server")]
    moto_server: PathBuf,
    #[arg(long, default_value = "node")]
    node: PathBuf,
    #[arg(
        long,
        default_value = "bench/node/node_modules/cognito-local/lib/bin/start.js"
    )]
    cognito_local: PathBuf,
    /// Before each flow, wait up to this many seconds for the machine to be quiet (other
    /// processes using under a quarter of its cores), so their load does not skew the flow.
    #[arg(long, default_value_t = 30.0)]
    quiet_wait: f64,
    /// Where the markdown table goes (it is printed too).
    #[arg(long, default_value = "bench/results/latest.md")]
    out: PathBuf,
}

/// The flows in the order they run: SignUp last, so the users it adds do not weigh on the
/// others (cognito-local rewrites a pool's whole JSON file on each write).
fn run_order(flows: &[Flow]) -> Vec<Flow> {
    [
        Flow::SignIn,
        Flow::SrpSignIn,
        Flow::Refresh,
        Flow::GetUser,
        Flow::SignUp,
    ]
    .into_iter()
    .filter(|f| flows.contains(f))
    .collect()
}

fn looks_unsupported(e: &CallError) -> bool {
    let k = e.kind.to_ascii_lowercase();
    let m = e.message.to_ascii_lowercase();
    matches!(e.status, 404 | 501)
        || k.contains("notimplemented")
        || k.contains("unsupported")
        || k.contains("unknownoperation")
        || k.contains("invalidaction")
        || m.contains("not implemented")
        || m.contains("not supported")
        || m.contains("unsupported")
}

fn failed(e: &CallError) -> Outcome {
    Outcome::Failed {
        unsupported: looks_unsupported(e),
        error: e.to_string(),
    }
}

fn command_output(cmd: &mut std::process::Command) -> Option<String> {
    let out = cmd.output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn describe(kind: Kind, p: &Programs) -> String {
    match kind {
        Kind::Cognate => {
            let version = command_output(std::process::Command::new(&p.cognate).arg("--version"))
                .unwrap_or_else(|| "cognate".into());
            let rev = command_output(std::process::Command::new("git").args([
                "rev-parse",
                "--short",
                "HEAD",
            ]))
            .unwrap_or_default();
            let dirty = command_output(std::process::Command::new("git").args([
                "status",
                "--porcelain",
                "--untracked-files=no",
            ]))
            .map_or("", |_| "+changes");
            format!("{version} (git {rev}{dirty}), release build, `serve --dev`, SQLite")
        }
        Kind::Moto => {
            let python = p.moto_server.with_file_name("python");
            let v = command_output(
                std::process::Command::new(python)
                    .args(["-c", "import moto; print(moto.__version__)"]),
            )
            .unwrap_or_else(|| "?".into());
            format!("moto {v} (`moto_server`, in memory)")
        }
        Kind::CognitoLocal => {
            let pkg = p
                .cognito_local
                .parent()
                .and_then(|d| d.parent())
                .and_then(|d| d.parent())
                .map(|d| d.join("package.json"));
            let v = pkg
                .and_then(|f| std::fs::read_to_string(f).ok())
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|j| {
                    j.get("version")
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "?".into());
            let node = command_output(std::process::Command::new(&p.node).arg("--version"))
                .unwrap_or_default();
            format!("cognito-local {v} on node {node} (JSON files under `.cognito/db`)")
        }
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

struct Runner {
    args: Args,
    split: Vec<Flow>,
    programs: Programs,
    ticks: f64,
    tag: String,
}

impl Runner {
    /// Runs every flow against one server; a flow that cannot run gets a `Failed` row.
    async fn server(&self, kind: Kind, flows: &[Flow]) -> (Vec<Row>, String) {
        let row = |flow, outcome| Row {
            server: kind,
            flow,
            outcome,
        };
        let all_failed = |why: String| -> Vec<Row> {
            flows
                .iter()
                .map(|f| {
                    row(
                        *f,
                        Outcome::Failed {
                            unsupported: false,
                            error: why.clone(),
                        },
                    )
                })
                .collect()
        };
        eprintln!("== {}: starting", kind.name());
        let mut server = match Server::start(kind, &self.programs) {
            Ok(s) => s,
            Err(e) => {
                return (
                    all_failed(format!("server did not start: {e:#}")),
                    String::new(),
                )
            }
        };
        let tag = format!("{}-{}", self.tag, kind.name());
        let api = match Api::new(&server.base) {
            Ok(a) => a,
            Err(e) => return (all_failed(format!("{e:#}")), String::new()),
        };
        eprintln!(
            "== {}: setting up a pool and {} users",
            kind.name(),
            self.args.users
        );
        let pool = match flows::setup(&api, &tag, self.args.users.max(1)).await {
            Ok(p) => p,
            Err(e) => {
                let rows = all_failed(format!("setup failed: {e:#}"));
                server.stop();
                return (rows, String::new());
            }
        };
        eprintln!("   pool {} ({})", pool.pool_id, pool.how);
        let how = pool.how.clone();
        let needs_tokens = flows.iter().any(|f| *f != Flow::SignUp);
        let tokens = if needs_tokens {
            flows::collect_tokens(&api, &pool).await
        } else {
            Ok(Vec::new())
        };
        let mut rows = Vec::new();
        for flow in run_order(flows) {
            let outcome = self.flow(kind, &server, &pool, &tokens, flow).await;
            if let Outcome::Measured(m) = &outcome {
                eprintln!(
                    "   {:<34} {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}  cpu {:.1} s",
                    flow.name(),
                    m.rps(),
                    m.p50_ms,
                    m.p99_ms,
                    m.errors,
                    m.server_cpu_s
                );
            } else if let Outcome::Failed { error, .. } = &outcome {
                eprintln!("   {:<34} not run: {error}", flow.name());
            }
            rows.push(row(flow, outcome));
        }
        server.stop();
        (rows, how)
    }

    async fn flow(
        &self,
        kind: Kind,
        server: &Server,
        pool: &Pool,
        tokens: &Result<Vec<Tokens>, CallError>,
        flow: Flow,
    ) -> Outcome {
        let tokens: &[Tokens] = match (flow, tokens) {
            (Flow::SignUp | Flow::SrpSignIn, _) => &[],
            (Flow::SignIn, Err(e)) => return failed(e),
            (_, Err(e)) => {
                return Outcome::Failed {
                    unsupported: false,
                    error: format!(
                        "needs tokens from a USER_PASSWORD_AUTH sign-in, which failed: {e}"
                    ),
                }
            }
            (_, Ok(t)) => t,
        };
        wait_for_quiet(Duration::from_secs_f64(self.args.quiet_wait)).await;
        let clients = self.args.clients.max(1);
        let mut works: Vec<Work> = (0..clients)
            .map(|w| Work::new(flow, pool, tokens, &self.tag, w, clients))
            .collect();
        // One request first: a flow the server lacks is reported, not hammered.
        let probe = match Api::new(&server.base) {
            Ok(api) => works[0].step(&api).await,
            Err(e) => {
                return Outcome::Failed {
                    unsupported: false,
                    error: format!("{e:#}"),
                }
            }
        };
        if let Err(e) = probe {
            return failed(&e);
        }
        // The machine's speed drifts over a run (a virtual machine's neighbours come and go), so
        // each Cognate flow is set against bounds measured just before it.
        let bounds = if kind == Kind::Cognate {
            match tokio::task::spawn_blocking(bounds::measure).await {
                Ok(Ok(b)) => Some(b),
                _ => None,
            }
        } else {
            None
        };
        let split = if self.split.contains(&flow) {
            match cores::Split::apply(&server.pids()) {
                Ok(s) => s,
                Err(e) => {
                    return Outcome::Failed {
                        unsupported: false,
                        error: format!("giving the load generator its own core: {e:#}"),
                    }
                }
            }
        } else {
            None
        };
        let bounds = match (bounds, &split) {
            (Some(b), Some(s)) => Some(b.on_cores(s.server.len())),
            (b, _) => b,
        };
        let measured = flows::run(
            &server.base,
            &server.pids(),
            works,
            Duration::from_secs_f64(self.args.warmup),
            Duration::from_secs_f64(self.args.duration),
            self.ticks,
        )
        .await;
        if let Some(s) = &split {
            if let Err(e) = s.undo() {
                eprintln!("   could not give the processes all cores back: {e:#}");
            }
        }
        match measured {
            Ok(mut m) => {
                m.bounds = bounds;
                m.split = split.map(|s| s.to_string());
                Outcome::Measured(m)
            }
            Err(e) => Outcome::Failed {
                unsupported: false,
                error: format!("{e:#}"),
            },
        }
    }
}

/// Waits until the machine's cores were less than 25% busy over half a second, or `max`.
async fn wait_for_quiet(max: Duration) {
    let deadline = std::time::Instant::now() + max;
    let mut waited = false;
    loop {
        let (b0, t0) = procfs::machine_ticks();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (b1, t1) = procfs::machine_ticks();
        let busy = (b1 - b0) as f64 / (t1 - t0).max(1) as f64;
        if busy < 0.25 {
            return;
        }
        if std::time::Instant::now() >= deadline {
            eprintln!(
                "   machine still {:.0}% busy with other work; measuring anyway",
                busy * 100.0
            );
            return;
        }
        if !waited {
            eprintln!(
                "   machine {:.0}% busy with other work; waiting",
                busy * 100.0
            );
            waited = true;
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::parse();
    let kinds = args
        .servers
        .iter()
        .map(|s| Kind::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let flows = args
        .flows
        .iter()
        .map(|s| Flow::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let split = args
        .split
        .iter()
        .filter(|s| s.as_str() != "none")
        .map(|s| Flow::parse(s))
        .collect::<Result<Vec<_>>>()?;
    let programs = Programs {
        cognate: args.cognate_bin.clone(),
        moto_server: args.moto_server.clone(),
        node: args.node.clone(),
        cognito_local: args.cognito_local.clone(),
    };

    eprintln!("== measuring t_hash, t_verify and t_sign on this machine");
    wait_for_quiet(Duration::from_secs_f64(args.quiet_wait)).await;
    let bounds = tokio::task::spawn_blocking(bounds::measure)
        .await
        .context("bounds task")??;
    eprintln!(
        "   all cores busy (alone): t_hash {:.2} ({:.2}) ms, t_verify {:.2} ({:.2}) ms, t_sign {:.3} ({:.3}) ms, t_srp {:.3} ({:.3}) ms, {} cores",
        bounds.t_hash.all * 1e3,
        bounds.t_hash.one * 1e3,
        bounds.t_verify.all * 1e3,
        bounds.t_verify.one * 1e3,
        bounds.t_sign.all * 1e3,
        bounds.t_sign.one * 1e3,
        bounds.t_srp.all * 1e3,
        bounds.t_srp.one * 1e3,
        bounds.cores
    );

    let now = time::OffsetDateTime::now_utc();
    let runner = Runner {
        tag: format!("{}", now.unix_timestamp()),
        ticks: procfs::clock_ticks(),
        programs,
        args,
        split,
    };
    let mut rows = Vec::new();
    let mut servers = Vec::new();
    for kind in kinds {
        let (r, how) = runner.server(kind, &flows).await;
        let mut desc = describe(kind, &runner.programs);
        if !how.is_empty() {
            desc.push_str(&format!("; users made by {how}"));
        }
        servers.push((kind, desc));
        rows.extend(r);
    }
    // Report in a fixed order: by server as given, flows as the issue lists them.
    let order = |f: Flow| Flow::ALL.iter().position(|x| *x == f).unwrap_or(usize::MAX);
    let server_order: Vec<Kind> = servers.iter().map(|(k, _)| *k).collect();
    rows.sort_by_key(|r| {
        (
            server_order.iter().position(|k| *k == r.server),
            order(r.flow),
        )
    });

    let ctx = report::Context {
        when: format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute()
        ),
        cpu_model: cpu_model(),
        clients: runner.args.clients,
        warmup_s: runner.args.warmup,
        duration_s: runner.args.duration,
        users: runner.args.users,
        servers,
    };
    let md = report::render(&ctx, &bounds, &rows);
    println!("{md}");
    if let Some(dir) = runner.args.out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&runner.args.out, &md)
        .with_context(|| format!("writing {}", runner.args.out.display()))?;
    eprintln!("== written to {}", runner.args.out.display());
    Ok(())
}
