//! One bot per database: an OS file lock on `<database>.lock`, held for the bot's lifetime.
//!
//! Two bots on one database would both send every alert. The operating system releases the lock
//! when the process ends in any way (`kill -9` included), so a crash never blocks the next start;
//! the file's text (pid and start time) is only there to tell the operator who holds it.
//! Read-only tools (`check`, `backup`) do not take it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Held while the bot runs; dropping it releases the lock.
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another oxapay-bot is already running on this database ({holder}); stop it first — two \
         bots on one database would both send every alert (lock file {path})"
    )]
    Held { holder: String, path: String },
    #[error("cannot open the database: its lock file {path} cannot be created ({source})")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl InstanceLock {
    /// Takes the lock for the SQLite database at `database_url`. An in-memory database needs none
    /// (`Ok(None)`).
    pub fn acquire(database_url: &str, started_at: &str) -> Result<Option<Self>, LockError> {
        let Some(db) = database_path(database_url) else {
            return Ok(None);
        };
        let path = lock_path(&db);
        let shown = path.display().to_string();
        let io = |source| LockError::Io {
            path: shown.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(LockError::Held {
                    holder: if holder.is_empty() {
                        "it has not said since when".into()
                    } else {
                        holder.chars().take(120).collect()
                    },
                    path: shown,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        let note = format!("pid {}, running since {started_at}\n", std::process::id());
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        file.write_all(note.as_bytes()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(Some(Self { _file: file, path }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The file behind a SQLite URL (`sqlite://bot.db`, `sqlite:///data/bot.db`, `sqlite:bot.db?mode=rwc`),
/// or `None` for an in-memory database.
pub fn database_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.split('&').any(|p| p == "mode=memory") {
        return None;
    }
    Some(PathBuf::from(path))
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_paths_from_urls() {
        let p = |u: &str| database_path(u).map(|p| p.display().to_string());
        assert_eq!(
            p("sqlite://oxapay-bot.db").as_deref(),
            Some("oxapay-bot.db")
        );
        assert_eq!(p("sqlite:///data/bot.db").as_deref(), Some("/data/bot.db"));
        assert_eq!(p("sqlite:bot.db?mode=rwc").as_deref(), Some("bot.db"));
        assert_eq!(p("sqlite::memory:"), None);
        assert_eq!(p("sqlite://x.db?mode=memory&cache=shared"), None);
    }

    #[test]
    fn a_second_holder_is_refused_and_told_who_holds_it_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bot.db").display());
        let first = InstanceLock::acquire(&url, "2026-11-27 10:00:00 UTC")
            .unwrap()
            .unwrap();
        let err = InstanceLock::acquire(&url, "later").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("already running"), "{text}");
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("2026-11-27 10:00:00 UTC"), "{text}");
        assert!(first.path().ends_with("bot.db.lock"));
        drop(first);
        assert!(InstanceLock::acquire(&url, "now").unwrap().is_some());
    }
}
