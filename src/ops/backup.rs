//! `oxapay-bot backup PATH`: a consistent copy of the database while the bot runs.
//!
//! SQLite's `VACUUM INTO` reads the database in one read transaction (in WAL mode that never
//! blocks the bot's writes, nor is blocked by them) and writes a compact copy: a snapshot of one
//! moment, never a torn file. The copy is written under a temporary name beside the target and
//! linked into place only if the target still does not exist, so an existing file is never
//! overwritten and an interrupted backup never leaves a plausible-looking partial file. The copy
//! is then opened and checked (`PRAGMA integrity_check`). No instance lock is taken, and the
//! database is not migrated or otherwise changed.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::store::lock::database_path;

/// The copy waits this long for a moment when no write is being checkpointed.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Copies the database at `database_url` to `target`; the line to print on success.
///
/// # Errors
/// `target` exists; the database does not exist; the copy or its check failed. The message says
/// what to do.
pub async fn run(database_url: &str, target: &Path) -> Result<String, String> {
    let shown_target = target.display();
    if target.symlink_metadata().is_ok() {
        return Err(format!(
            "{shown_target} already exists: a backup never overwrites a file; choose a new name"
        ));
    }
    let Some(source) = database_path(database_url) else {
        return Err("DATABASE_URL names an in-memory database: there is nothing to back up".into());
    };
    if !source.is_file() {
        return Err(format!(
            "there is no database at {}: check DATABASE_URL",
            source.display()
        ));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(format!(
            "the folder {} does not exist: create it first",
            folder.display()
        ));
    }
    let name = target
        .file_name()
        .ok_or_else(|| format!("{shown_target} is not a file name"))?;
    let mut partial_name = std::ffi::OsString::from(".");
    partial_name.push(name);
    partial_name.push(format!(".partial-{}", std::process::id()));
    let partial = folder.join(partial_name);
    let _ = std::fs::remove_file(&partial);

    let copied = copy(database_url, &partial).await;
    let placed = copied.and_then(|()| place(&partial, target));
    let _ = std::fs::remove_file(&partial);
    placed?;

    let size = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    verify(target).await.map_err(|e| {
        format!("the copy at {shown_target} does not pass SQLite's integrity check: {e}")
    })?;
    Ok(format!(
        "backup written to {shown_target} ({size} bytes, integrity ok)"
    ))
}

/// `VACUUM INTO` the partial file.
async fn copy(database_url: &str, partial: &Path) -> Result<(), String> {
    let into = partial
        .to_str()
        .ok_or_else(|| format!("{} is not valid UTF-8", partial.display()))?;
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|_| "DATABASE_URL is not a valid SQLite URL".to_owned())?
        .create_if_missing(false)
        .busy_timeout(BUSY_TIMEOUT);
    let mut conn = options
        .connect()
        .await
        .map_err(|e| format!("cannot open the database: {}", reason(&e)))?;
    let done = sqlx::query("VACUUM INTO ?1")
        .bind(into)
        .execute(&mut conn)
        .await;
    let _ = conn.close().await;
    done.map(drop).map_err(|e| {
        format!(
            "the copy failed ({}): check that the target's folder is writable and has room",
            reason(&e)
        )
    })
}

/// Moves the finished copy to `target` unless something appeared there meanwhile.
fn place(partial: &Path, target: &Path) -> Result<(), String> {
    // A hard link fails if the target exists: no window in which a file could be overwritten.
    match std::fs::hard_link(partial, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(format!(
            "{} already exists: a backup never overwrites a file; choose a new name",
            target.display()
        )),
        // A file system without hard links: check, then rename (a narrow window remains).
        Err(_) if target.symlink_metadata().is_err() => std::fs::rename(partial, target)
            .map_err(|e| format!("cannot move the copy to {}: {e}", target.display())),
        Err(e) => Err(format!("cannot move the copy to {}: {e}", target.display())),
    }
}

async fn verify(path: &Path) -> Result<(), String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| reason(&e))?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| reason(&e))?;
    let _ = conn.close().await;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(verdict)
    }
}

fn reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_copy_opens_holds_the_data_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let store = crate::store::Store::open(&url).await.unwrap();
        store
            .allow(
                crate::rules::domain::ChatId(-5),
                &crate::store::Actor::id_only(crate::rules::domain::ChatId(1)),
                crate::rules::domain::ChatId(1),
                0,
            )
            .await
            .unwrap();
        let target = dir.path().join("copy.db");
        let line = run(&url, &target).await.unwrap();
        assert!(line.starts_with("backup written to"), "{line}");
        assert!(line.ends_with("integrity ok)"), "{line}");
        let copy_url = format!("sqlite://{}", target.display());
        let copy = crate::store::Store::open(&copy_url).await.unwrap();
        assert!(
            copy.access(None, crate::rules::domain::ChatId(-5))
                .await
                .unwrap()
                .allowed
        );
        copy.close().await;

        let before = std::fs::read(&target).unwrap();
        let e = run(&url, &target).await.unwrap_err();
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(std::fs::read(&target).unwrap(), before, "untouched");
        // No partial file left behind in either case.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
        store.close().await;
    }

    #[tokio::test]
    async fn a_missing_database_or_folder_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("none.db").display());
        let e = run(&url, &dir.path().join("copy.db")).await.unwrap_err();
        assert!(e.contains("no database at"), "{e}");
        assert!(!dir.path().join("none.db").exists(), "not created");

        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        crate::store::Store::open(&url).await.unwrap().close().await;
        let e = run(&url, &dir.path().join("nope/copy.db"))
            .await
            .unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let e = run("sqlite::memory:", &dir.path().join("m.db"))
            .await
            .unwrap_err();
        assert!(e.contains("in-memory"), "{e}");
    }
}
