//! `oxapay-bot check`: the first thing to run after filling `.env`. Validates the configuration,
//! asks Telegram who the bot is, reads the OxaPay balance once, and proves the database can be
//! written (a probe in a transaction that is rolled back) and says which migrations are pending.
//! One line per check, each with its own timeout; every line is masked with the secrets.
//!
//! It takes no instance lock and changes nothing (pending migrations are listed, not applied), so
//! it is safe while the bot runs.

use std::collections::BTreeMap;
use std::io::Write;
use std::str::FromStr;
use std::time::Duration;

use secrecy::ExposeSecret;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

use crate::config::Config;
use crate::oxapay::{ListQuery, OxaPayError, PageSize};
use crate::store::lock::database_path;
use crate::telemetry::Redactor;

const TELEGRAM_TIMEOUT: Duration = Duration::from_secs(10);
const DATABASE_TIMEOUT: Duration = Duration::from_secs(15);
/// A bot writing holds SQLite's write lock for milliseconds; longer than this means trouble.
const DATABASE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// One check's line: `name: ok (detail)` or `name: FAILED: problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub name: &'static str,
    pub result: Result<String, String>,
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.result {
            Ok(detail) => write!(f, "{}: ok ({detail})", self.name),
            Err(problem) => write!(f, "{}: FAILED: {problem}", self.name),
        }
    }
}

/// Runs every check and writes one masked line each to `out`; `true` when all passed.
pub async fn run(config: &Config, out: &mut impl Write) -> bool {
    let redactor = Redactor::new(config.secrets());
    let mut lines = vec![Line {
        name: "configuration",
        result: Ok(describe_config(config)),
    }];
    let (telegram, oxapay, payments, callbacks, database) = tokio::join!(
        telegram(config),
        oxapay(config),
        payments(config),
        callbacks(config),
        database(&config.database_url)
    );
    lines.extend([
        Line {
            name: "telegram",
            result: telegram,
        },
        Line {
            name: "oxapay",
            result: oxapay,
        },
        Line {
            name: "payments",
            result: payments,
        },
        Line {
            name: "callbacks",
            result: callbacks,
        },
        Line {
            name: "database",
            result: database,
        },
    ]);
    let mut all_ok = true;
    for line in &lines {
        all_ok &= line.result.is_ok();
        let _ = writeln!(out, "{}", redactor.redact(&line.to_string()));
    }
    all_ok
}

/// The lines for a configuration that does not parse: the problem, and the others skipped.
pub fn configuration_failed(problem: &str, out: &mut impl Write) {
    let _ = writeln!(out, "configuration: FAILED: {problem}");
    for name in ["telegram", "oxapay", "payments", "callbacks", "database"] {
        let _ = writeln!(out, "{name}: skipped (fix the configuration first)");
    }
}

fn describe_config(config: &Config) -> String {
    let mut parts = vec![match &config.webhook {
        Some(w) => format!(
            "webhook mode: {} on {}{}",
            w.url,
            w.listen,
            if w.secret_generated {
                ", secret generated at each start"
            } else {
                ""
            }
        ),
        None => "long polling".to_owned(),
    }];
    parts.push(match config.metrics.as_ref().map(|m| m.listen) {
        Some(addr) => format!("metrics on {addr}"),
        None => "metrics off".to_owned(),
    });
    parts.push(format!(
        "{} admin{}",
        config.telegram.admin_ids.len(),
        if config.telegram.admin_ids.len() == 1 {
            ""
        } else {
            "s"
        }
    ));
    parts.join(", ")
}

async fn telegram(config: &Config) -> Result<String, String> {
    let http = teloxide::net::default_reqwest_settings()
        .timeout(TELEGRAM_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let mut bot = Bot::with_client(config.telegram.token.expose_secret(), http);
    let host = match &config.telegram.api_url {
        Some(url) => {
            bot = bot.set_api_url(url.clone());
            match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => "TELEGRAM_API_URL".to_owned(),
            }
        }
        None => "api.telegram.org".to_owned(),
    };
    let answer = tokio::time::timeout(TELEGRAM_TIMEOUT, bot.get_me()).await;
    match answer {
        Ok(Ok(me)) => Ok(format!("@{}", me.username())),
        Ok(Err(RequestError::Api(ApiError::InvalidToken))) => Err(
            "Telegram rejected the bot token (401 Unauthorized): check TELOXIDE_TOKEN with \
             @BotFather"
                .into(),
        ),
        Ok(Err(RequestError::Network(e))) if e.is_timeout() => Err(no_answer(&host)),
        Ok(Err(RequestError::Network(e))) if e.is_connect() => Err(format!(
            "cannot connect to {host}: check the network, a firewall or TELEGRAM_API_URL"
        )),
        Ok(Err(RequestError::Network(e))) if e.is_redirect() || e.status().is_some() => {
            Err(format!(
                "{host} answered HTTP {} instead of the Bot API: check TELEGRAM_API_URL",
                e.status()
                    .map_or("3xx".to_owned(), |s| s.as_u16().to_string())
            ))
        }
        Ok(Err(RequestError::Network(_))) => Err(format!(
            "the connection to {host} failed: check the network or TELEGRAM_API_URL"
        )),
        Ok(Err(RequestError::InvalidJson { .. })) => Err(format!(
            "{host} did not answer like the Bot API: check TELEGRAM_API_URL"
        )),
        Ok(Err(e)) => Err(format!("Telegram answered getMe with an error: {e}")),
        Err(_) => Err(no_answer(&host)),
    }
}

fn no_answer(host: &str) -> String {
    format!(
        "no answer from {host} within {} s: check the network or TELEGRAM_API_URL",
        TELEGRAM_TIMEOUT.as_secs()
    )
}

async fn oxapay(config: &Config) -> Result<String, String> {
    let api = config.oxapay.balance_api().map_err(|e| format!("{e:#}"))?;
    let which = api.describe();
    // The client's own timeout covers the read and its retry; this one only guards against a
    // client that would not stop.
    let limit = config.oxapay.timeout + Duration::from_secs(5);
    match tokio::time::timeout(limit, api.balances()).await {
        Ok(Ok(balances)) => {
            let n = balances.amounts.len();
            let mut detail = format!("{which}, {n} wallet{}", if n == 1 { "" } else { "s" });
            if !balances.unreadable.is_empty() {
                let names: Vec<&str> = balances.unreadable.keys().map(String::as_str).collect();
                detail.push_str(&format!(
                    "; {} unreadable amount(s): {}",
                    names.len(),
                    names.join(", ")
                ));
            }
            Ok(detail)
        }
        Ok(Err(e)) => {
            let mut line = format!("{which}: {}", e.user_message());
            if matches!(e, OxaPayError::Timeout(_) | OxaPayError::Connection(_)) {
                let url = &config.oxapay.api_url;
                let host = match (url.host_str(), url.port()) {
                    (Some(h), Some(p)) => format!("{h}:{p}"),
                    (h, None) => h.unwrap_or_default().to_owned(),
                    (None, Some(_)) => String::new(),
                };
                line.push_str(&format!(" Check the network and OXAPAY_API_URL ({host})."));
            }
            Err(line)
        }
        Err(_) => Err(format!(
            "{which}: no answer within {} s: check the network or OXAPAY_API_URL",
            limit.as_secs()
        )),
    }
}

/// The payment list with the merchant key: accepted, and how many payments the last day had.
async fn payments(config: &Config) -> Result<String, String> {
    let client = match config.oxapay.payments_client() {
        Ok(Some(c)) => c,
        Ok(None) => {
            return Ok("off: set OXAPAY_MERCHANT_API_KEY to hear about payments".to_owned());
        }
        Err(e) => return Err(format!("{e:#}")),
    };
    let since = crate::clock::now_unix() - 86_400;
    let query = ListQuery {
        size: PageSize::new(1).unwrap_or(PageSize::MAX),
        ..ListQuery::since(since)
    };
    let limit = config.oxapay.timeout + Duration::from_secs(5);
    match tokio::time::timeout(limit, client.page(&query, 1)).await {
        Ok(Ok(page)) => {
            let n = page
                .meta
                .and_then(|m| m.total)
                .unwrap_or(page.entries() as u64);
            Ok(format!(
                "merchant key accepted, {n} payment{} in the last 24 h",
                if n == 1 { "" } else { "s" }
            ))
        }
        Ok(Err(e)) => Err(e.user_message()),
        Err(_) => Err(format!(
            "no answer within {} s: check the network or OXAPAY_API_URL",
            limit.as_secs()
        )),
    }
}

/// Whether `OXAPAY_CALLBACK_LISTEN` can be listened on; taken already is fine when the bot
/// itself listens there (it refuses an unsigned callback with 401, as it should).
async fn callbacks(config: &Config) -> Result<String, String> {
    let Some(listen) = config.callbacks.as_ref().map(|c| c.listen) else {
        return Ok("off: set OXAPAY_CALLBACK_LISTEN to receive OxaPay's callbacks".to_owned());
    };
    let path = crate::config::CALLBACK_PATH;
    match tokio::net::TcpListener::bind(listen).await {
        Ok(_) => {
            return Ok(format!(
                "can listen on {listen}; give OxaPay https://<your host>{path}"
            ));
        }
        Err(e) if e.kind() != std::io::ErrorKind::AddrInUse => {
            return Err(format!(
                "cannot listen on {listen} ({e}): check OXAPAY_CALLBACK_LISTEN"
            ));
        }
        Err(_) => {}
    }
    let url = format!("http://{}{path}", super::health::target(listen));
    let answer = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?
        .post(&url)
        .body("{}")
        .send()
        .await;
    match answer {
        Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => Ok(format!(
            "{listen} is taken by a running oxapay-bot, which refuses unsigned callbacks"
        )),
        _ => Err(format!(
            "{listen} is in use by another program: free it or change OXAPAY_CALLBACK_LISTEN"
        )),
    }
}

async fn database(url: &str) -> Result<String, String> {
    let shown = match database_path(url) {
        Some(path) => path.display().to_string(),
        None => "the in-memory database".to_owned(),
    };
    match tokio::time::timeout(DATABASE_TIMEOUT, probe_database(url, &shown)).await {
        Ok(result) => result,
        Err(_) => Err(format!(
            "{shown}: no answer within {} s (a network file system, or a stuck lock?)",
            DATABASE_TIMEOUT.as_secs()
        )),
    }
}

async fn probe_database(url: &str, shown: &str) -> Result<String, String> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|_| "DATABASE_URL is not a valid SQLite URL".to_owned())?
        // The bot creates it at its first start; creating the empty file now proves the folder
        // is writable, and changes nothing the bot would not.
        .create_if_missing(true)
        .busy_timeout(DATABASE_BUSY_TIMEOUT);
    let mut conn = options.connect().await.map_err(|e| {
        format!(
            "cannot open {shown} ({}): check DATABASE_URL, and that its folder exists and this \
             user may write there",
            sql_reason(&e)
        )
    })?;
    let written = write_probe(&mut conn).await.map_err(|e| {
        let reason = sql_reason(&e);
        if reason.contains("locked") || reason.contains("busy") {
            format!(
                "{shown} stays locked by another process for more than {} s ({reason})",
                DATABASE_BUSY_TIMEOUT.as_secs()
            )
        } else {
            format!(
                "{shown} cannot be written ({reason}): check the file's and its folder's \
                 permissions, free space, and that DATABASE_URL does not open it read-only"
            )
        }
    });
    let migrations = pending_migrations(&mut conn).await;
    let _ = conn.close().await;
    written?;
    let migrations = migrations.map_err(|e| format!("{shown}: {e}"))?;
    Ok(format!("{shown}: writable; {migrations}"))
}

/// Creates a table and a row in a transaction that is rolled back: the write lock, the journal
/// and the file all take a write, and nothing stays.
async fn write_probe(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
    let probe = async {
        sqlx::query("CREATE TABLE oxapay_bot_check_probe (x INTEGER)")
            .execute(&mut *conn)
            .await?;
        sqlx::query("INSERT INTO oxapay_bot_check_probe (x) VALUES (1)")
            .execute(&mut *conn)
            .await?;
        Ok::<_, sqlx::Error>(())
    }
    .await;
    let rollback = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    probe?;
    rollback.map(drop)
}

/// What the embedded migrations would do to this database, in words: nothing, or which are
/// pending (applied at the bot's next start). A database migrated by a newer version, or with a
/// migration changed or failed, is an error.
async fn pending_migrations(conn: &mut SqliteConnection) -> Result<String, String> {
    let migrator = sqlx::migrate!();
    let known: Vec<_> = migrator
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .collect();
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| format!("cannot read its schema ({})", sql_reason(&e)))?;
    let applied: BTreeMap<i64, (Vec<u8>, bool)> = if has_table {
        sqlx::query_as::<_, (i64, Vec<u8>, bool)>(
            "SELECT version, checksum, success FROM _sqlx_migrations",
        )
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| format!("cannot read its migrations ({})", sql_reason(&e)))?
        .into_iter()
        .map(|(v, c, s)| (v, (c, s)))
        .collect()
    } else {
        BTreeMap::new()
    };
    if let Some((v, _)) = applied.iter().find(|(_, (_, ok))| !ok) {
        return Err(format!(
            "migration {v} failed half-way earlier: restore a backup or ask for help"
        ));
    }
    if let Some(v) = applied
        .keys()
        .find(|v| !known.iter().any(|m| m.version == **v))
    {
        return Err(format!(
            "prepared by a newer oxapay-bot (migration {v} is unknown to this version): run the \
             newer version"
        ));
    }
    if let Some(m) = known.iter().find(|m| {
        applied
            .get(&m.version)
            .is_some_and(|(c, _)| c[..] != m.checksum[..])
    }) {
        return Err(format!(
            "migration {} differs from the one applied: this build does not match the database",
            m.version
        ));
    }
    let pending: Vec<String> = known
        .iter()
        .filter(|m| !applied.contains_key(&m.version))
        .map(|m| format!("{}_{}", m.version, m.description.replace(' ', "_")))
        .collect();
    Ok(if pending.is_empty() {
        format!("schema up to date ({} migrations)", known.len())
    } else {
        format!(
            "{} of {} migrations pending, applied when the bot starts: {}",
            pending.len(),
            known.len(),
            pending.join(", ")
        )
    })
}

/// SQLite's own words for a failure (without sqlx's wrapping).
fn sql_reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(dir: &tempfile::TempDir, name: &str) -> String {
        format!("sqlite://{}", dir.path().join(name).display())
    }

    #[tokio::test]
    async fn a_new_database_lists_every_migration_as_pending_and_keeps_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let u = url(&dir, "new.db");
        let line = database(&u).await.unwrap();
        assert!(line.contains("writable"), "{line}");
        assert!(line.contains("migrations pending"), "{line}");
        assert!(line.contains("initial"), "{line}");
        // The probe left no table behind.
        let mut conn = SqliteConnectOptions::from_str(&u)
            .unwrap()
            .connect()
            .await
            .unwrap();
        let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[tokio::test]
    async fn a_migrated_database_is_up_to_date_and_a_newer_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let u = url(&dir, "bot.db");
        crate::store::Store::open(&u).await.unwrap().close().await;
        let line = database(&u).await.unwrap();
        let n = sqlx::migrate!().iter().count();
        assert!(
            line.ends_with(&format!("writable; schema up to date ({n} migrations)")),
            "{line}"
        );

        let mut conn = SqliteConnectOptions::from_str(&u)
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
             VALUES (99990101000000, 'future', CURRENT_TIMESTAMP, 1, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        let e = database(&u).await.unwrap_err();
        assert!(e.contains("newer oxapay-bot"), "{e}");
    }

    #[tokio::test]
    async fn a_read_only_or_impossible_location_fails_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let u = url(&dir, "bot.db");
        crate::store::Store::open(&u).await.unwrap().close().await;
        let e = database(&format!("{u}?mode=ro")).await.unwrap_err();
        assert!(e.contains("cannot be written"), "{e}");
        assert!(e.contains("readonly") || e.contains("read-only"), "{e}");
        // Even root cannot make a folder inside a file.
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let e = database(&format!("sqlite://{}/bot.db", file.display()))
            .await
            .unwrap_err();
        assert!(e.starts_with("cannot open"), "{e}");
    }
}
