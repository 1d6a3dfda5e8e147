//! Assembles the server: store, engine, protocol routes and operational endpoints, and runs
//! it until asked to stop.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use cognate_aws::{AuthMode, AwsState};
use cognate_core::clock::{Clock, SystemClock};
use cognate_core::sender::LogSender;
use cognate_core::store::Store;
use cognate_core::{Service, ServiceConfig};
use cognate_store::SqlStore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::config::Settings;
use crate::smtp::{RoutingSender, SmtpSender};
use crate::{credentials, master_key};

/// A server that is listening.
pub struct RunningServer {
    pub addr: SocketAddr,
    pub service: Arc<Service>,
    pub outbox: Arc<LogSender>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<()>>,
    store: Arc<SqlStore>,
}

impl RunningServer {
    /// Stops accepting, finishes requests in flight, closes the store.
    pub async fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let result = self.task.await.context("server task")?;
        self.store.close().await;
        result
    }

    /// Waits until the server stops by itself (signal).
    pub async fn wait(self) -> Result<()> {
        let result = self.task.await.context("server task")?;
        self.store.close().await;
        result
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
        store,
    })
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
