//! OxaPay's signed callbacks (`OXAPAY_CALLBACK_LISTEN`): `POST /oxapay/callback`, the fast path
//! of the payment and payout feeds. Polling still runs and stays the source of truth; a callback
//! only tells sooner.
//!
//! A request is taken in this order: a place among the callbacks being handled (at most
//! [`CONCURRENCY`] at once, so a burst waits in the socket's queue instead of in memory), the body
//! read raw up to 64 KiB (a larger one is refused before it is read whole), the `HMAC` header
//! checked in constant time against each key the bot holds, and only then the body parsed. A
//! verified callback is decided and told like a polled read, and answered `200 ok` only once it
//! is committed, so OxaPay retries whatever could not be stored.
//!
//! Answers: `401` for a missing or wrong signature, or a body signed with the other key (logged
//! at most once a minute with the peer's address, never with the body; a signature that only a
//! key the bot does not hold could have made is named once by that key, whatever the minute's
//! other refusals, as it is the operator's to fix); `400` for a body too
//! large, or one that is not a payment or payout after a valid signature; `500` when the
//! database failed (OxaPay retries); `200 ok` otherwise, a replay included (it tells nothing).

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::engine::payment_watcher::PaymentWatcher;
use crate::engine::payout_watcher::PayoutWatcher;
use crate::listeners::rejections::RejectionLog;
use crate::oxapay::KeyKind;
use crate::oxapay::callbacks::{
    Callback, CallbackKeys, CallbackRefusal, MAX_CALLBACK_BYTES, OK_BODY, SIGNATURE_HEADER, verify,
};

pub use crate::config::CALLBACK_PATH as PATH;
/// Callbacks handled at once; the others wait their turn unread.
pub const CONCURRENCY: usize = 16;

/// Binds `OXAPAY_CALLBACK_LISTEN`.
///
/// # Errors
/// The address is taken or not this machine's: the message names `OXAPAY_CALLBACK_LISTEN`.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("OXAPAY_CALLBACK_LISTEN: cannot listen on {addr}"))
}

/// Where verified callbacks go: the feeds that hold the keys.
pub struct Receiver {
    pub keys: CallbackKeys,
    pub payments: Option<Arc<PaymentWatcher>>,
    pub payouts: Option<Arc<PayoutWatcher>>,
}

struct Shared {
    receiver: Receiver,
    turns: Semaphore,
    refused: RejectionLog,
    /// The keys the bot lacks that a callback's log line has named.
    missing_named: Mutex<BTreeSet<KeyKind>>,
}

/// Serves callbacks on `socket` until `shutdown`.
pub fn serve(
    socket: TcpListener,
    receiver: Receiver,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    let shared = Arc::new(Shared {
        receiver,
        turns: Semaphore::new(CONCURRENCY),
        refused: RejectionLog::default(),
        missing_named: Mutex::default(),
    });
    let router = Router::new().route(PATH, post(callback)).with_state(shared);
    tokio::spawn(async move {
        let served = axum::serve(
            socket,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the OxaPay callback listener stopped");
        }
    })
}

async fn callback(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    let Ok(_turn) = shared.turns.acquire().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let signature = request
        .headers()
        .get(SIGNATURE_HEADER)
        .map(|v| v.as_bytes().to_vec());
    let Ok(raw) = read_body(request.into_body()).await else {
        return shared.refuse(
            peer,
            StatusCode::BAD_REQUEST,
            "callback body larger than 64 KiB, not read",
        );
    };
    let verified = match verify(&raw, signature.as_deref(), &shared.receiver.keys) {
        Ok(v) => v,
        Err(refusal) => return shared.refuse_unverified(peer, &refusal),
    };
    let parsed = match verified.parse() {
        Ok(c) => c,
        Err(e) => {
            let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            return shared.refuse(peer, status, &e.to_string());
        }
    };
    shared.receiver.record(parsed).await
}

/// The body, at most [`MAX_CALLBACK_BYTES`]; a longer one is an error, read no further.
async fn read_body(body: Body) -> Result<Vec<u8>, ()> {
    to_bytes(body, MAX_CALLBACK_BYTES)
        .await
        .map(|b| b.to_vec())
        .map_err(drop)
}

impl Shared {
    /// A callback whose signature no held key made: the first that a missing key could have
    /// signed is logged naming that key; the others as every refusal, at most once a minute.
    fn refuse_unverified(&self, peer: SocketAddr, refusal: &CallbackRefusal) -> Response {
        let status =
            StatusCode::from_u16(refusal.http_status()).unwrap_or(StatusCode::UNAUTHORIZED);
        if let CallbackRefusal::Mismatch { missing: Some(key) } = refusal
            && self
                .missing_named
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(*key)
        {
            tracing::warn!(%peer, status = status.as_u16(), "OxaPay callback refused: {refusal}");
            return status.into_response();
        }
        self.refuse(peer, status, &refusal.to_string())
    }

    /// Answers `status` and logs why, at most once a minute, with the peer (never the body).
    fn refuse(&self, peer: SocketAddr, status: StatusCode, why: &str) -> Response {
        if let Some(unlogged) = self.refused.due(Instant::now()) {
            tracing::warn!(
                %peer,
                status = status.as_u16(),
                more_since_last_log = unlogged,
                "OxaPay callback refused: {why}"
            );
        }
        status.into_response()
    }
}

impl Receiver {
    /// Records a verified callback through its feed; `200 ok` once committed.
    async fn record(&self, callback: Callback) -> Response {
        let recorded = match callback {
            Callback::Payment(p) => match &self.payments {
                Some(w) => {
                    let track_id = p.track_id.clone();
                    w.record_callback(p)
                        .await
                        .map(|r| tracing::info!(track_id = %track_id, queued = r.queued, "payment callback recorded"))
                }
                None => Err(anyhow::anyhow!(
                    "a payment callback, but no payment feed runs"
                )),
            },
            Callback::Payout(p) => match &self.payouts {
                Some(w) => {
                    let track_id = p.track_id.clone();
                    w.record_callback(p)
                        .await
                        .map(|r| tracing::info!(track_id = %track_id, queued = r.queued, "payout callback recorded"))
                }
                None => Err(anyhow::anyhow!(
                    "a payout callback, but no payout feed runs"
                )),
            },
        };
        match recorded {
            Ok(()) => (StatusCode::OK, OK_BODY).into_response(),
            Err(e) => {
                tracing::error!(
                    error = format!("{e:#}"),
                    "could not record an OxaPay callback; OxaPay will retry"
                );
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}
