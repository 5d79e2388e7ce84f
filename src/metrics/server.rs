//! The operator's HTTP endpoint on `METRICS_LISTEN`: `GET /metrics` (OpenMetrics text, which
//! Prometheus scrapes natively) and `GET /healthz` (200 `ok`, or 503 and the reason in one line).
//! Bound at start, so a taken port is a start-up error; served until the shutdown token fires.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::Metrics;
use crate::store::Store;

const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Binds `addr`.
///
/// # Errors
/// The address is taken or not this machine's: the message names `METRICS_LISTEN`.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("METRICS_LISTEN: cannot listen on {addr}"))
}

#[derive(Clone)]
struct Served {
    metrics: Metrics,
    store: Store,
}

/// Serves `/metrics` and `/healthz` on `listener` until `shutdown`.
pub fn serve(
    listener: TcpListener,
    metrics: Metrics,
    store: Store,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    let router = Router::new()
        .route("/metrics", get(metrics_page))
        .route("/healthz", get(healthz))
        .with_state(Served { metrics, store });
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the metrics endpoint stopped");
        }
    })
}

async fn metrics_page(State(s): State<Served>) -> impl IntoResponse {
    let text = s.metrics.render(Some(&s.store)).await;
    ([(header::CONTENT_TYPE, OPENMETRICS)], text)
}

async fn healthz(State(s): State<Served>) -> impl IntoResponse {
    let (status, body) = match s.metrics.health() {
        Ok(()) => (StatusCode::OK, "ok\n".to_owned()),
        Err(reason) => (StatusCode::SERVICE_UNAVAILABLE, format!("{reason}\n")),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
}
