//! The markdown report.

use std::fmt::Write as _;

use crate::bounds::{Bounds, Cost};
use crate::flows::{Flow, Measured};
use crate::server::Kind;

/// GetUser's target on SQLite: at least this many answers per second ...
pub const GETUSER_TARGET_RPS: f64 = 3000.0;
/// ... with a p99 under this.
pub const GETUSER_TARGET_P99_MS: f64 = 20.0;
/// Sign-in and refresh must reach this fraction of their bound.
pub const BOUND_TARGET: f64 = 0.8;

#[derive(Debug, Clone)]
pub enum Outcome {
    Measured(Measured),
    /// The flow could not be run: the server lacks it, or it failed on the first request.
    Failed {
        unsupported: bool,
        error: String,
    },
}

#[derive(Debug, Clone)]
pub struct Row {
    pub server: Kind,
    pub flow: Flow,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub struct Context {
    pub when: String,
    pub cpu_model: String,
    pub clients: usize,
    pub warmup_s: f64,
    pub duration_s: f64,
    pub users: usize,
    /// (server, version and setup notes)
    pub servers: Vec<(Kind, String)>,
}

fn fmt_num(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Cognate's throughput against its bound or target, and whether it meets the target.
pub fn versus_bound(flow: Flow, m: &Measured, b: &Bounds) -> String {
    let rps = m.rps();
    let (bound, target) = match flow {
        Flow::SignUp => (b.signup(), None),
        Flow::SignIn => (b.signin(), Some(BOUND_TARGET)),
        Flow::SrpSignIn => (b.srp_signin(), Some(BOUND_TARGET)),
        Flow::Refresh => (b.refresh(), Some(BOUND_TARGET)),
        Flow::GetUser => {
            let ok = rps >= GETUSER_TARGET_RPS && m.p99_ms < GETUSER_TARGET_P99_MS;
            return format!(
                "{:.0}% of {GETUSER_TARGET_RPS:.0}/s target, p99 {} {GETUSER_TARGET_P99_MS:.0} ms: {}",
                100.0 * rps / GETUSER_TARGET_RPS,
                if m.p99_ms < GETUSER_TARGET_P99_MS { "<" } else { "≥" },
                if ok { "meets target" } else { "below target" }
            );
        }
    };
    let frac = rps / bound;
    let verdict = match target {
        Some(t) if frac >= t => format!(" (target ≥{:.0}%: met)", t * 100.0),
        Some(t) => format!(" (target ≥{:.0}%: not met)", t * 100.0),
        None => String::new(),
    };
    let cores = if m.split.is_some() {
        format!(" on the server's {} core(s)", b.cores)
    } else {
        String::new()
    };
    format!(
        "{:.0}% of {}/s{cores}{verdict}",
        100.0 * frac,
        fmt_num(bound)
    )
}

/// A primitive's cost with every core busy (what the bounds use), then one call at a time.
fn fmt_cost(c: Cost) -> String {
    format!(
        "{} ms ({} ms alone)",
        fmt_num(c.all * 1e3),
        fmt_num(c.one * 1e3)
    )
}

pub fn render(ctx: &Context, b: &Bounds, rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Cognate benchmark\n");
    let _ = writeln!(
        s,
        "{}; {} cores ({}); {} concurrent clients per flow, {} s warm-up then {} s measured; {} pre-created users.\n",
        ctx.when, b.cores, ctx.cpu_model, ctx.clients, ctx.warmup_s, ctx.duration_s, ctx.users
    );
    for (kind, desc) in &ctx.servers {
        let _ = writeln!(s, "- **{}**: {desc}", kind.name());
    }
    let _ = writeln!(s, "\n## Physical bounds on this machine\n");
    let _ = writeln!(
        s,
        "| t_hash (argon2id hash) | t_verify (argon2id verify) | t_sign (RS256, 2048-bit) | t_srp (server's SRP: B, then S) | sign-in bound = cores/(t_verify+2·t_sign) | SRP sign-in bound = cores/(t_srp+2·t_sign) | refresh bound = cores/(2·t_sign) | sign-up bound = cores/t_hash |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {}/s | {}/s | {}/s | {}/s |\n",
        fmt_cost(b.t_hash),
        fmt_cost(b.t_verify),
        fmt_cost(b.t_sign),
        fmt_cost(b.t_srp),
        fmt_num(b.signin()),
        fmt_num(b.srp_signin()),
        fmt_num(b.refresh()),
        fmt_num(b.signup())
    );
    let _ = writeln!(
        s,
        "Measured at the start of the run. Each Cognate flow is set against the same bounds measured again just before it, as the machine's speed drifts during a run; its last column names the bound it used.\n"
    );
    let _ = writeln!(s, "## Results\n");
    let _ = writeln!(
        s,
        "| server | flow | req/s | p50 ms | p99 ms | errors | server CPU s | CPU ms/req | peak MB | load-gen CPU s | machine busy | vs bound |"
    );
    let _ = writeln!(
        s,
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    let mut notes = Vec::new();
    let mut splits = Vec::new();
    for r in rows {
        match &r.outcome {
            Outcome::Measured(m) => {
                let per_req = if m.ok > 0 {
                    fmt_num(1e3 * m.server_cpu_s / m.ok as f64)
                } else {
                    "–".into()
                };
                let vs = if r.server == Kind::Cognate {
                    versus_bound(r.flow, m, m.bounds.as_ref().unwrap_or(b))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} | {:.1} | {} | {:.0} | {:.1} | {:.0}% | {} |",
                    r.server.name(),
                    r.flow.name(),
                    fmt_num(m.rps()),
                    fmt_num(m.p50_ms),
                    fmt_num(m.p99_ms),
                    m.errors,
                    m.server_cpu_s,
                    per_req,
                    m.peak_rss_mb,
                    m.client_cpu_s,
                    100.0 * m.machine_busy,
                    vs
                );
                if let Some(split) = &m.split {
                    splits.push(format!("{} {}: {split}", r.server.name(), r.flow.name()));
                }
                for (kind, (n, msg)) in &m.error_kinds {
                    notes.push(format!(
                        "{} {}: {n} × {kind} — {msg}",
                        r.server.name(),
                        r.flow.name()
                    ));
                }
            }
            Outcome::Failed { unsupported, error } => {
                let word = if *unsupported { "unsupported" } else { "fails" };
                let _ = writeln!(
                    s,
                    "| {} | {} | {word} | | | | | | | | | see below |",
                    r.server.name(),
                    r.flow.name()
                );
                notes.push(format!(
                    "{} {}: {word}: {error}",
                    r.server.name(),
                    r.flow.name()
                ));
            }
        }
    }
    let _ = writeln!(
        s,
        "\nreq/s counts successful answers only; errors are counted apart. Server CPU s is the user+system time of the server's processes during the measured window (CPU ms/req divides it by successful requests); peak MB is the largest resident size of those processes, sampled at 10 Hz during the flow. The load generator runs on the same cores, except in the flows listed below: its own CPU time is shown, and machine busy is the share of all cores' time not idle during the window (other processes included)."
    );
    if !splits.is_empty() {
        let _ = writeln!(
            s,
            "\n## Flows with separate cores\n\nIn these flows the client's own arithmetic costs about as much as the server's, so the load generator ran on a core of its own and the server on the others; the bound counts the server's cores only.\n"
        );
        for n in splits {
            let _ = writeln!(s, "- {n}");
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(s, "\n## Errors and unsupported flows\n");
        for n in notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}
