//! Writing `.env` so that it is whole or absent: the text goes to a private temporary file beside
//! it (mode 0600), is flushed to disk, then takes the name in one step. Without `force` an
//! existing `.env` is never replaced; with it, the old one is first copied to `.env.bak` (0600,
//! the same way).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// Where the replaced file was kept, if one was.
    pub backup: Option<PathBuf>,
}

/// Why `.env` was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// It exists, and `force` is off.
    Exists,
    /// A file could not be written: the sentence.
    Io(String),
}

/// Writes `text` as `dir/.env`.
///
/// # Errors
/// `.env` exists and `force` is off, or a file cannot be written; nothing is left half-written.
pub fn write(dir: &Path, text: &str, force: bool) -> Result<Written, WriteError> {
    let path = dir.join(".env");
    let tmp = dir.join(format!(".env.init-{}.tmp", std::process::id()));
    let result = (|| {
        write_private(&tmp, text.as_bytes()).map_err(WriteError::Io)?;
        let backup = if force && path.exists() {
            Some(back_up(dir, &path).map_err(WriteError::Io)?)
        } else {
            None
        };
        if force {
            std::fs::rename(&tmp, &path).map_err(|e| WriteError::Io(cannot("rename", &tmp, &e)))?;
        } else {
            // A link fails if `.env` appeared meanwhile: never replaced without --force.
            std::fs::hard_link(&tmp, &path).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => WriteError::Exists,
                _ => WriteError::Io(cannot("create", &path, &e)),
            })?;
            let _ = std::fs::remove_file(&tmp);
        }
        sync_dir(dir);
        Ok(Written { path, backup })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The sentence for an existing `.env` without `--force`.
pub fn exists_error() -> String {
    ".env already exists here: init does not replace it unless asked to; run `oxapay-bot init \
     --force` (the old one is kept as .env.bak), or edit it by hand"
        .to_owned()
}

/// Copies `path` to `dir/.env.bak` (mode 0600), replacing an older backup in one step.
fn back_up(dir: &Path, path: &Path) -> Result<PathBuf, String> {
    let backup = dir.join(".env.bak");
    let tmp = dir.join(format!(".env.bak.init-{}.tmp", std::process::id()));
    let old = std::fs::read(path).map_err(|e| cannot("read", path, &e))?;
    let result = write_private(&tmp, &old)
        .and_then(|()| std::fs::rename(&tmp, &backup).map_err(|e| cannot("rename", &tmp, &e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map(|()| backup)
}

/// A new file only its owner may read, written and flushed to disk.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| cannot("create", path, &e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| cannot("write", path, &e))
}

/// The rename itself reaches the disk (best effort: not every file system allows it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn cannot(what: &str, path: &Path, e: &std::io::Error) -> String {
    format!("cannot {what} {}: {e}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_env_is_private_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let w = write(dir.path(), "A=1\n", false).unwrap();
        assert_eq!(w.backup, None);
        assert_eq!(std::fs::read_to_string(&w.path).unwrap(), "A=1\n");
        #[cfg(unix)]
        assert_eq!(mode(&w.path), 0o600);
        assert_eq!(names(dir.path()), [".env"]);
    }

    #[test]
    fn an_existing_env_is_kept_without_force_and_backed_up_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "OLD=1\n").unwrap();
        let e = write(dir.path(), "NEW=1\n", false).unwrap_err();
        assert_eq!(e, WriteError::Exists);
        assert_eq!(std::fs::read_to_string(&env).unwrap(), "OLD=1\n");
        assert_eq!(names(dir.path()), [".env"]);

        let w = write(dir.path(), "NEW=1\n", true).unwrap();
        let backup = w.backup.unwrap();
        assert_eq!(std::fs::read_to_string(&env).unwrap(), "NEW=1\n");
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "OLD=1\n");
        #[cfg(unix)]
        assert_eq!((mode(&env), mode(&backup)), (0o600, 0o600));
        assert_eq!(names(dir.path()), [".env", ".env.bak"]);

        // Again: the backup is the file just replaced.
        write(dir.path(), "NEWER=1\n", true).unwrap();
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "NEW=1\n");
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_a_sentence_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let Err(WriteError::Io(e)) = write(&missing, "A=1\n", false) else {
            panic!("written in a missing folder")
        };
        assert!(e.starts_with("cannot create "), "{e}");
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }
}
