//! Assembles the server: store, engine, protocol routes and operational endpoints, and runs
//! it until asked to stop; beside it, the sweeper, which deletes expired records from the
//! database on a schedule and stops with the server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cognate_aws::{AuthMode, AwsState};
use cognate_core::clock::{Clock, SystemClock};
use cognate_core::sender::LogSender;
use cognate_core::store::{Store, StoreResult, SweepCounts, SweepCutoffs};
use cognate_core::{Service, ServiceConfig};
use cognate_store::SqlStore;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use crate::config::Settings;
use crate::smtp::{RoutingSender, SmtpSender};
use crate::{credentials, master_key};

/// A server that is listening.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub service: Arc<Service>,
    pub outbox: Arc<LogSender>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<Result<()>>,
    sweeper: Option<Sweeper>,
    store: Arc<SqlStore>,
}

impl RunningServer {
    /// Stops accepting, finishes requests in flight (and the sweep batch under way), closes
    /// the store.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(sweeper) = &self.sweeper {
            sweeper.signal_stop();
        }
        self.finish().await
    }

    /// Waits until the server stops by itself (signal).
    pub async fn wait(self) -> Result<()> {
        self.finish().await
    }

    /// Waits for the server task, then stops the sweeper, then closes the store.
    async fn finish(self) -> Result<()> {
        let result = self.task.await.context("server task");
        if let Some(sweeper) = self.sweeper {
            sweeper.stop().await;
        }
        self.store.close().await;
        result?
    }
}

/// Starts the server with the real clock.
pub async fn start(settings: Settings) -> Result<RunningServer> {
    start_with_clock(settings, Arc::new(SystemClock), true).await
}

/// Starts the server; `on_signal` makes SIGTERM/SIGINT stop it gracefully.
pub async fn start_with_clock(
    settings: Settings,
    clock: Arc<dyn Clock>,
    on_signal: bool,
) -> Result<RunningServer> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    }
    let store = Arc::new(
        SqlStore::connect(&settings.database_url)
            .await
            .map_err(|e| anyhow::anyhow!("opening the database: {e}"))?,
    );
    let sweep_clock = clock.clone();
    let auth = if settings.dev {
        AuthMode::Dev
    } else {
        AuthMode::Enforced(vec![credentials::load_or_create(&settings.data_dir)?])
    };
    let master_key = master_key::load_or_create(&settings.master_key_file)?;
    let outbox = Arc::new(LogSender::new());
    let smtp = settings.smtp.as_ref().map(SmtpSender::new).transpose()?;
    let sender = Arc::new(RoutingSender::new(
        smtp,
        outbox.clone(),
        settings.dev || settings.outbox,
    ));
    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("binding {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let mut config = service_config(&settings);
    if settings.public_url == format!("http://{}", settings.listen) {
        // The default public URL names the listen address; with an ephemeral port (`:0`, as
        // tests use) only the bound address is one clients can reach.
        config.public_url = format!("http://{addr}");
    }
    let service = Arc::new(
        Service::new(store.clone() as Arc<dyn Store>, clock, sender, config)
            .with_master_key(master_key),
    );
    let router = router(&settings, service.clone(), Arc::new(auth), outbox.clone());
    tracing::info!(%addr, database = %redact(&settings.database_url), dev = settings.dev, "cognate listening");
    let sweeper = Sweeper::spawn(
        store.clone() as Arc<dyn Store>,
        sweep_clock,
        Duration::from_secs(settings.sweep_interval_secs),
    );
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                if on_signal {
                    tokio::select! {
                        _ = rx => {}
                        _ = signal() => {}
                    }
                } else {
                    let _ = rx.await;
                }
            })
            .await
            .context("serving")
    });
    Ok(RunningServer {
        addr,
        service,
        outbox,
        shutdown: Some(tx),
        task,
        sweeper,
        store,
    })
}

/// Rows of each kind one sweep statement deletes at most: a few milliseconds of work, so a
/// backlog never holds SQLite's write lock for long.
const SWEEP_BATCH: u32 = 1_000;
/// The pause between batches of one sweep, in which writers waiting for the lock get it.
const SWEEP_PAUSE: Duration = Duration::from_millis(20);

/// The background task that deletes expired records: one sweep at start, then one per
/// interval, each by the engine's clock and cut-offs ([`SweepCutoffs::at`]). Errors are logged
/// and the next sweep tries again. Nodes sharing a database may all sweep: the store makes
/// concurrent sweeps harmless.
struct Sweeper {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sweeper {
    /// None when `every` is zero: sweeping is off.
    fn spawn(store: Arc<dyn Store>, clock: Arc<dyn Clock>, every: Duration) -> Option<Sweeper> {
        if every.is_zero() {
            tracing::info!("sweeping expired records is off");
            return None;
        }
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(sweep_every(store, clock, every, stopped));
        Some(Sweeper { stop, task })
    }

    fn signal_stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Asks the task to stop and waits for it (it finishes the batch under way).
    async fn stop(self) {
        self.signal_stop();
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the sweeper task failed");
        }
    }
}

async fn sweep_every(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    every: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    // The first tick is at once: the sweep at start.
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            // A stop, or the server gone without one (its sender dropped).
            _ = stopped.changed() => return,
            _ = ticks.tick() => {}
        }
        match sweep(store.as_ref(), clock.now_millis(), &stopped).await {
            Ok(c) => tracing::debug!(
                sessions = c.sessions,
                codes = c.codes,
                refresh_tokens = c.refresh_tokens,
                devices = c.devices,
                "swept expired records"
            ),
            Err(e) => tracing::warn!(error = %e, "sweeping expired records failed"),
        }
    }
}

/// One sweep: batches until one deletes nothing, or until the server stops.
async fn sweep(
    store: &dyn Store,
    now_ms: i64,
    stopped: &watch::Receiver<bool>,
) -> StoreResult<SweepCounts> {
    let cutoffs = SweepCutoffs::at(now_ms);
    let mut total = SweepCounts::default();
    loop {
        let batch = store.sweep_expired(&cutoffs, SWEEP_BATCH).await?;
        total += batch;
        let stopping = *stopped.borrow() || stopped.has_changed().is_err();
        if batch.total() == 0 || stopping {
            return Ok(total);
        }
        tokio::time::sleep(SWEEP_PAUSE).await;
    }
}

fn router(
    settings: &Settings,
    service: Arc<Service>,
    auth: Arc<AuthMode>,
    outbox: Arc<LogSender>,
) -> Router {
    let mut router = Router::new()
        .route("/health/live", get(|| async { "ok" }))
        .route("/health/ready", get(ready).with_state(service.clone()));
    if settings.dev || settings.outbox {
        router = router.route("/_dev/outbox", get(dev_outbox).with_state(outbox));
    }
    router
        .merge(cognate_oidc::routes(service.clone()))
        .merge(cognate_aws::routes(AwsState { service, auth }))
}

/// The engine's view of the settings.
pub fn service_config(settings: &Settings) -> ServiceConfig {
    ServiceConfig {
        account_id: settings.account_id.clone(),
        default_region: settings.region.clone(),
        public_url: settings.public_url.clone(),
    }
}

async fn ready(State(service): State<Arc<Service>>) -> impl IntoResponse {
    match service.store().list_pools(None, 1).await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
        }
    }
}

async fn dev_outbox(State(outbox): State<Arc<LogSender>>) -> impl IntoResponse {
    Json(outbox.outbox())
}

async fn signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down");
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user_part = &url[scheme + 3..at];
            let user = user_part.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
