//! `oxapay-bot health`: asks the running bot's `/healthz` on `METRICS_LISTEN`, for Docker's
//! `HEALTHCHECK` in an image without curl. Prints the answer's line; healthy or not is the exit
//! code (0 or 1: Docker reserves 2).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(5);

/// Where to ask: the bot listens on `listen`; an unspecified address (`0.0.0.0`, `[::]`) is asked
/// on the loopback of its family.
pub fn target(listen: SocketAddr) -> SocketAddr {
    let ip = match listen.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, listen.port())
}

/// `Ok(line)` when the bot answers 200, else why not.
///
/// # Errors
/// The bot answers 503 (with its reason), something else answers, or nothing does.
pub async fn run(listen: SocketAddr) -> Result<String, String> {
    let addr = target(listen);
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        // A proxy from the environment must not carry a loopback request elsewhere.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let url = format!("http://{addr}/healthz");
    let response = client.get(&url).send().await.map_err(|e| {
        if e.is_timeout() {
            format!("no answer from {url} within {} s", TIMEOUT.as_secs())
        } else {
            format!("nothing answers at {url}: is the bot running, with the same METRICS_LISTEN?")
        }
    })?;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let line = first_line(&body);
    match status.as_u16() {
        200 => Ok(line),
        503 => Err(format!("unhealthy: {line}")),
        other => Err(format!(
            "{url} answered HTTP {other}: is METRICS_LISTEN this bot's?"
        )),
    }
}

/// The answer's first line, cut at 300 characters (a stranger on the port may send a page).
fn first_line(body: &str) -> String {
    body.trim()
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_addresses_are_asked_on_loopback() {
        let t = |s: &str| target(s.parse().unwrap()).to_string();
        assert_eq!(t("0.0.0.0:9090"), "127.0.0.1:9090");
        assert_eq!(t("[::]:9090"), "[::1]:9090");
        assert_eq!(t("10.0.0.5:9090"), "10.0.0.5:9090");
    }

    #[tokio::test]
    async fn nothing_listening_is_a_clear_failure() {
        let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = socket.local_addr().unwrap();
        drop(socket);
        let e = run(addr).await.unwrap_err();
        assert!(e.contains("nothing answers"), "{e}");
    }
}
