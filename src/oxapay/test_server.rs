//! A scriptable fake HTTP server for the clients' unit tests: an axum router on `127.0.0.1:0`
//! that records every request and answers from a queue of replies (then a default one).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use reqwest::Url;

/// One request the fake received.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone)]
enum ReplyBody {
    Text(String),
    /// Spaces without end, no `Content-Length`.
    Endless,
    /// A few bytes, then the connection breaks.
    Broken,
}

#[derive(Debug, Clone)]
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: ReplyBody,
    delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: ReplyBody::Text(body.to_owned()),
            delay: Duration::ZERO,
        }
    }

    pub fn html(status: u16, body: &str) -> Self {
        Self {
            headers: vec![("content-type".into(), "text/html".into())],
            ..Self::json(status, body)
        }
    }

    /// A body streamed without end (and without a declared length).
    pub fn endless() -> Self {
        Self {
            body: ReplyBody::Endless,
            ..Self::json(200, "")
        }
    }

    /// The connection breaks in the middle of the body.
    pub fn broken() -> Self {
        Self {
            body: ReplyBody::Broken,
            ..Self::json(200, "")
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Script {
    queue: VecDeque<Reply>,
    default: Option<Reply>,
    seen: Vec<Seen>,
}

/// A running fake. Cloning shares it.
#[derive(Clone)]
pub(crate) struct Fake {
    script: Arc<Mutex<Script>>,
    pub url: Url,
}

impl Fake {
    /// Starts a fake answering every request with `default` (unless queued replies come first).
    pub async fn start(default: Reply) -> Self {
        let script = Arc::new(Mutex::new(Script {
            default: Some(default),
            ..Script::default()
        }));
        let router = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&script));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            script,
            url: Url::parse(&format!("http://{addr}")).unwrap(),
        }
    }

    /// The next request gets `reply` (queued replies go first, in order).
    pub fn push(&self, reply: Reply) {
        self.script.lock().unwrap().queue.push_back(reply);
    }

    pub fn set_default(&self, reply: Reply) {
        self.script.lock().unwrap().default = Some(reply);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.script.lock().unwrap().seen.clone()
    }

    pub fn calls(&self) -> usize {
        self.script.lock().unwrap().seen.len()
    }
}

static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

async fn handle(State(script): State<Arc<Mutex<Script>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let reply = {
        let mut script = script.lock().unwrap();
        script.seen.push(Seen {
            method: parts.method.to_string(),
            path: parts.uri.to_string(),
            headers: parts.headers.clone(),
            body: body.to_vec(),
        });
        match script.queue.pop_front() {
            Some(reply) => reply,
            None => script.default.clone().expect("a default reply"),
        }
    };
    tokio::time::sleep(reply.delay).await;
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let body = match reply.body {
        ReplyBody::Text(text) => Body::from(text),
        ReplyBody::Endless => Body::from_stream(futures::stream::repeat_with(|| {
            Ok::<_, Infallible>(Bytes::from_static(&SPACES))
        })),
        ReplyBody::Broken => Body::from_stream(futures::stream::iter([
            Ok(Bytes::from_static(b"{\"result\":100,\"data\":{\"BTC\":")),
            Err(std::io::Error::other("connection dropped by the test")),
        ])),
    };
    response.body(body).unwrap()
}
