//! A fake OxaPay: a real HTTP server on loopback serving the legacy balance endpoint
//! (`POST /api/balance`, key in the JSON body) and the v1 ones (`GET /v1/general/account/balance`
//! with the `general_api_key` header, `GET /v1/common/prices`), each answer scripted by the test
//! and every request recorded with its headers and body. See `shared/spec/oxapay-api-notes.md`.
//! The payment and payout history (`/v1/payment`, `/v1/payout`) lives in `history`.

pub mod history;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::telegram::{PATIENCE, broken_body};

/// Which OxaPay call a request was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /api/balance`
    LegacyBalance,
    /// `GET /v1/general/account/balance`
    V1Balance,
    /// `GET /v1/common/prices`
    Prices,
    /// `GET /v1/payment` (the listing)
    Payments,
    /// `GET /v1/payment/{track_id}`
    Payment,
    /// `GET /v1/payout` (the listing)
    Payouts,
    /// `GET /v1/payout/{track_id}`
    Payout,
}

/// What the fake answers. One script serves both balance endpoints, each in its own format.
#[derive(Clone, Debug)]
pub enum OxaReply {
    /// Success with these amounts (symbol, decimal text): strings in the legacy envelope
    /// (`result: 100`), JSON numbers with those exact digits in the v1 envelope (`status: 200`).
    Amounts(Vec<(String, String)>),
    /// Any status, body and headers.
    Raw {
        status: u16,
        body: String,
        headers: Vec<(String, String)>,
    },
    /// Waits, then answers.
    Slow(Duration, Box<OxaReply>),
    /// Waits until the test opens the gate, then answers.
    Held(Gate, Box<OxaReply>),
    /// The connection breaks mid-body.
    Broken,
    /// A redirect to the same path (and query) under another base URL.
    Redirect { status: u16, to: String },
    /// A successful answer padded to `bytes` bytes, streamed in 64 KiB chunks without a length;
    /// `streamed_bytes` tells how much of it the client actually pulled.
    Huge {
        bytes: usize,
        amounts: Vec<(String, String)>,
    },
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl OxaReply {
    pub fn balances(p: &[(&str, &str)]) -> Self {
        OxaReply::Amounts(pairs(p))
    }
    /// USD prices per coin, for the prices endpoint.
    pub fn prices(p: &[(&str, &str)]) -> Self {
        OxaReply::Amounts(pairs(p))
    }
    /// A legacy result code other than 100.
    pub fn code(code: i64, message: &str) -> Self {
        OxaReply::json(&json!({ "result": code, "message": message, "data": {} }).to_string())
    }
    /// A v1 error envelope with its HTTP status (e.g. 401, `invalid_api_key`).
    pub fn v1_error(status: u16, key: &str, message: &str) -> Self {
        OxaReply::Raw {
            status,
            body: v1_error_body(status, key, message),
            headers: vec![("content-type".into(), "application/json".into())],
        }
    }
    /// 200 with this body.
    pub fn json(body: &str) -> Self {
        OxaReply::status(200, body)
    }
    pub fn status(status: u16, body: &str) -> Self {
        OxaReply::Raw {
            status,
            body: body.to_owned(),
            headers: vec![],
        }
    }
    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            OxaReply::Raw {
                status,
                body,
                mut headers,
            } => {
                headers.push((name.to_owned(), value.to_owned()));
                OxaReply::Raw {
                    status,
                    body,
                    headers,
                }
            }
            other => panic!("headers go on a raw reply, not {other:?}"),
        }
    }
    pub fn slow(delay: Duration, then: OxaReply) -> Self {
        OxaReply::Slow(delay, Box::new(then))
    }
    pub fn held(gate: &Gate, then: OxaReply) -> Self {
        OxaReply::Held(gate.clone(), Box::new(then))
    }
    /// A redirect to the same endpoint on `other`.
    pub fn redirect_to(other: &FakeOxaPay, status: u16) -> Self {
        OxaReply::Redirect {
            status,
            to: other.url(),
        }
    }
    pub fn huge(bytes: usize, p: &[(&str, &str)]) -> Self {
        OxaReply::Huge {
            bytes,
            amounts: pairs(p),
        }
    }
}

/// Holds `OxaReply::Held` answers (and the fake Telegram's held chats) until opened.
#[derive(Clone)]
pub struct Gate(Arc<watch::Sender<bool>>);

impl Default for Gate {
    fn default() -> Self {
        Gate(Arc::new(watch::channel(false).0))
    }
}

impl Gate {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn open(&self) {
        self.0.send_replace(true);
    }

    pub async fn passed(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|open| *open).await;
    }
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Gate(open: {})", *self.0.borrow())
    }
}

fn v1_error_body(status: u16, key: &str, message: &str) -> String {
    json!({
        "data": {},
        "message": message,
        "error": { "type": "error", "key": key, "message": message },
        "status": status,
        "version": "1.0.0",
    })
    .to_string()
}

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct OxaRequest {
    /// `None`: a path the fake does not serve (answered 404).
    pub endpoint: Option<Endpoint>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When it arrived (the benchmarks time the feeds' polls from it).
    #[allow(dead_code)]
    pub at: Instant,
}

impl OxaRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

struct Script {
    default: OxaReply,
    queue: VecDeque<OxaReply>,
}

impl Script {
    fn next(&mut self) -> OxaReply {
        self.queue
            .pop_front()
            .unwrap_or_else(|| self.default.clone())
    }
}

struct OxaState {
    balance: Script,
    prices: Script,
    requests: Vec<OxaRequest>,
    general_key: Option<String>,
    history: history::History,
}

/// The running server: how to stop it, and its task.
type Server = (CancellationToken, JoinHandle<()>);

#[derive(Clone)]
pub struct FakeOxaPay {
    state: Arc<Mutex<OxaState>>,
    /// Bumped on every request.
    version: Arc<watch::Sender<u64>>,
    streamed: Arc<AtomicU64>,
    prefix: String,
    pub addr: SocketAddr,
    server: Arc<Mutex<Option<Server>>>,
}

impl FakeOxaPay {
    /// Serves `reply` to balance requests, and a small price list.
    pub async fn start(reply: OxaReply) -> Self {
        Self::start_under("", reply).await
    }

    /// The same, under a path prefix (`/oxapay` serves `/oxapay/api/balance`), as behind a proxy.
    pub async fn start_under(prefix: &str, reply: OxaReply) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let oxa = FakeOxaPay {
            state: Arc::new(Mutex::new(OxaState {
                balance: Script {
                    default: reply,
                    queue: VecDeque::new(),
                },
                // Prices unavailable unless a test sets them: replies show amounts alone (with a
                // line saying why), and the tests about dollars say which prices they use.
                prices: Script {
                    default: OxaReply::v1_error(503, "maintenance", "Prices are being updated"),
                    queue: VecDeque::new(),
                },
                requests: Vec::new(),
                general_key: None,
                history: history::History::default(),
            })),
            version: Arc::new(watch::channel(0).0),
            streamed: Arc::new(AtomicU64::new(0)),
            prefix: prefix.trim_end_matches('/').to_owned(),
            addr: listener.local_addr().unwrap(),
            server: Arc::new(Mutex::new(None)),
        };
        oxa.serve(listener);
        oxa
    }

    fn lock(&self) -> MutexGuard<'_, OxaState> {
        self.state.lock().unwrap()
    }

    fn serve(&self, listener: tokio::net::TcpListener) {
        let stop = CancellationToken::new();
        let app = Router::new().fallback(handle).with_state(self.clone());
        let cancelled = stop.clone();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move { cancelled.cancelled().await })
                .await;
        });
        *self.server.lock().unwrap() = Some((stop, task));
    }

    /// The base URL (with the prefix, if any), as `OXAPAY_API_URL`.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// Stops listening: connections are refused until `resume`. Returns once the port is closed.
    pub async fn go_down(&self) {
        let server = self.server.lock().unwrap().take();
        if let Some((stop, task)) = server {
            stop.cancel();
            tokio::time::timeout(PATIENCE, task)
                .await
                .expect("the fake OxaPay stops")
                .unwrap();
        }
    }

    pub async fn resume(&self) {
        let listener = tokio::net::TcpListener::bind(self.addr).await.unwrap();
        self.serve(listener);
    }

    /// The balance answer from now on (queued answers are dropped).
    pub fn set(&self, reply: OxaReply) {
        let mut g = self.lock();
        g.balance.default = reply;
        g.balance.queue.clear();
    }

    /// One balance answer before the default one resumes.
    pub fn push(&self, reply: OxaReply) {
        self.lock().balance.queue.push_back(reply);
    }

    pub fn set_prices(&self, reply: OxaReply) {
        let mut g = self.lock();
        g.prices.default = reply;
        g.prices.queue.clear();
    }

    pub fn push_prices(&self, reply: OxaReply) {
        self.lock().prices.queue.push_back(reply);
    }

    /// The v1 balance endpoint answers 401 unless the `general_api_key` header is this key
    /// (by default any non-empty key is taken).
    pub fn require_general_key(&self, key: &str) {
        self.lock().general_key = Some(key.to_owned());
    }

    /// Balance requests (legacy and v1) received.
    pub fn calls(&self) -> usize {
        self.lock()
            .requests
            .iter()
            .filter(|r| {
                matches!(
                    r.endpoint,
                    Some(Endpoint::LegacyBalance | Endpoint::V1Balance)
                )
            })
            .count()
    }

    pub fn calls_to(&self, endpoint: Endpoint) -> usize {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.endpoint == Some(endpoint))
            .count()
    }

    pub fn requests(&self) -> Vec<OxaRequest> {
        self.lock().requests.clone()
    }

    /// Waits until `count` balance requests (legacy and v1) have been received.
    pub async fn wait_calls(&self, count: usize) {
        self.wait_until("OxaPay balance requests", count, || self.calls())
            .await
    }

    /// Waits until `count` requests to `endpoint` have been received.
    pub async fn wait_calls_to(&self, endpoint: Endpoint, count: usize) {
        self.wait_until(&format!("{endpoint:?} requests"), count, || {
            self.calls_to(endpoint)
        })
        .await
    }

    async fn wait_until(&self, what: &str, count: usize, seen: impl Fn() -> usize) {
        let mut rx = self.version.subscribe();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            rx.borrow_and_update();
            if seen() >= count {
                return;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                panic!("waited {PATIENCE:?} for {count} {what}; got {}", seen());
            }
        }
    }

    /// Bytes of `Huge` answers handed to the connection so far.
    pub fn streamed_bytes(&self) -> u64 {
        self.streamed.load(Ordering::Relaxed)
    }
}

/// Amounts as JSON: strings (legacy) or numbers with the same literal digits (v1).
fn amounts_json(amounts: &[(String, String)], as_numbers: bool, only: Option<&str>) -> String {
    let fields: Vec<String> = amounts
        .iter()
        .filter(|(k, _)| only.is_none_or(|c| k.eq_ignore_ascii_case(c)))
        .map(|(k, v)| {
            let key = Value::String(k.clone()).to_string();
            if as_numbers {
                format!("{key}:{v}")
            } else {
                format!("{key}:{}", Value::String(v.clone()))
            }
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The success envelope around `data` for an endpoint, split around where padding may go.
fn success(endpoint: Endpoint, data: &str) -> (String, String) {
    match endpoint {
        Endpoint::LegacyBalance => (
            format!(r#"{{"result":100,"message":"Successful operation","data":{data},"pad":""#),
            "\"}".to_owned(),
        ),
        Endpoint::V1Balance
        | Endpoint::Prices
        | Endpoint::Payments
        | Endpoint::Payment
        | Endpoint::Payouts
        | Endpoint::Payout => (
            format!(
                r#"{{"data":{data},"message":"Operation completed successfully!","error":{{}},"status":200,"version":"1.0.0","pad":""#
            ),
            "\"}".to_owned(),
        ),
    }
}

fn json_response(status: u16, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.into())
        .unwrap()
}

async fn handle(
    State(oxa): State<FakeOxaPay>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let full_path = uri.path().to_owned();
    let path = if oxa.prefix.is_empty() {
        Some(full_path.as_str())
    } else {
        full_path.strip_prefix(oxa.prefix.as_str())
    };
    let endpoint = match path {
        Some("/api/balance") => Some(Endpoint::LegacyBalance),
        Some("/v1/general/account/balance") => Some(Endpoint::V1Balance),
        Some("/v1/common/prices") => Some(Endpoint::Prices),
        Some("/v1/payment") => Some(Endpoint::Payments),
        Some("/v1/payout") => Some(Endpoint::Payouts),
        Some(p) if one_segment_after(p, "/v1/payment/") => Some(Endpoint::Payment),
        Some(p) if one_segment_after(p, "/v1/payout/") => Some(Endpoint::Payout),
        _ => None,
    };
    let request = OxaRequest {
        endpoint,
        method: method.to_string(),
        path: full_path.clone(),
        query: uri.query().map(str::to_owned),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
        at: Instant::now(),
    };
    let only_currency: Option<String> = match endpoint {
        Some(Endpoint::LegacyBalance) => request.json()["currency"].as_str().map(str::to_owned),
        _ => uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("currency="))
                .map(str::to_owned)
        }),
    };
    let reply = {
        let mut g = oxa.lock();
        g.requests.push(request.clone());
        oxa.version.send_modify(|v| *v += 1);
        let expected_method = match endpoint {
            Some(Endpoint::LegacyBalance) => Method::POST,
            _ => Method::GET,
        };
        match endpoint {
            None => {
                return (
                    axum::http::StatusCode::NOT_FOUND,
                    "<html>404 Not Found</html>",
                )
                    .into_response();
            }
            Some(_) if method != expected_method => {
                return (axum::http::StatusCode::METHOD_NOT_ALLOWED, "").into_response();
            }
            Some(Endpoint::V1Balance) => {
                let given = request.header("general_api_key").unwrap_or("");
                let wrong = match &g.general_key {
                    Some(k) => given != k,
                    None => given.is_empty(),
                };
                if wrong {
                    return json_response(
                        401,
                        v1_error_body(401, "invalid_api_key", "Invalid API key"),
                    );
                }
                g.balance.next()
            }
            Some(Endpoint::LegacyBalance) => g.balance.next(),
            Some(Endpoint::Prices) => g.prices.next(),
            Some(
                e @ (Endpoint::Payments | Endpoint::Payment | Endpoint::Payouts | Endpoint::Payout),
            ) => history::reply(&mut g.history, e, &request),
        }
    };
    let endpoint = endpoint.expect("known endpoint");
    render(&oxa, endpoint, reply, &uri, only_currency.as_deref()).await
}

/// `path` is `prefix` and one non-empty segment.
fn one_segment_after(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

async fn render(
    oxa: &FakeOxaPay,
    endpoint: Endpoint,
    mut reply: OxaReply,
    uri: &Uri,
    only: Option<&str>,
) -> Response {
    loop {
        match reply {
            OxaReply::Slow(delay, then) => {
                tokio::time::sleep(delay).await;
                reply = *then;
            }
            OxaReply::Held(gate, then) => {
                gate.passed().await;
                reply = *then;
            }
            other => {
                reply = other;
                break;
            }
        }
    }
    let numbers = endpoint != Endpoint::LegacyBalance;
    match reply {
        OxaReply::Amounts(amounts) => {
            let (head, tail) = success(endpoint, &amounts_json(&amounts, numbers, only));
            json_response(200, head + &tail)
        }
        OxaReply::Raw {
            status,
            body,
            headers,
        } => {
            let mut r = Response::builder().status(status);
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.body(Body::from(body)).unwrap()
        }
        OxaReply::Slow(..) | OxaReply::Held(..) => unreachable!("unwrapped above"),
        OxaReply::Broken => broken_body(200),
        OxaReply::Redirect { status, to } => {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            let path = uri
                .path()
                .strip_prefix(oxa.prefix.as_str())
                .unwrap_or(uri.path());
            Response::builder()
                .status(status)
                .header(
                    "location",
                    format!("{}{path}{query}", to.trim_end_matches('/')),
                )
                .body(Body::empty())
                .unwrap()
        }
        OxaReply::Huge { bytes, amounts } => {
            let (head, tail) = success(endpoint, &amounts_json(&amounts, numbers, only));
            let pad = bytes.saturating_sub(head.len() + tail.len());
            let streamed = oxa.streamed.clone();
            const CHUNK: usize = 64 << 10;
            // (what is left to pad, whether the tail went out)
            let stream =
                futures::stream::unfold((Some(head), pad, Some(tail)), move |(head, pad, tail)| {
                    let streamed = streamed.clone();
                    async move {
                        let chunk: Vec<u8> = if let Some(h) = head {
                            let out = h.into_bytes();
                            streamed.fetch_add(out.len() as u64, Ordering::Relaxed);
                            return Some((
                                Ok::<_, std::io::Error>(Bytes::from(out)),
                                (None, pad, tail),
                            ));
                        } else if pad > 0 {
                            vec![b'x'; pad.min(CHUNK)]
                        } else if let Some(t) = tail {
                            streamed.fetch_add(t.len() as u64, Ordering::Relaxed);
                            return Some((Ok(Bytes::from(t.into_bytes())), (None, 0, None)));
                        } else {
                            return None;
                        };
                        streamed.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        let left = pad - chunk.len();
                        Some((Ok(Bytes::from(chunk)), (None, left, tail)))
                    }
                });
            json_response(200, Body::from_stream(stream))
        }
    }
}
