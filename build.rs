//! Embedded migrations (`sqlx::migrate!`) are read at compile time: rebuild when they change.
//! `--version` names the git commit when the build has one; without git or `.git` (a Docker
//! build copies no `.git`) it names none, and the build goes on.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let commit = git(&["rev-parse", "--short=12", "HEAD"]);
    // Rebuild when HEAD moves: the file HEAD, the branch it points to, and packed refs.
    for path in [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["symbolic-ref", "-q", "HEAD"]).and_then(|r| git(&["rev-parse", "--git-path", &r])),
        git(&["rev-parse", "--git-path", "packed-refs"]),
    ]
    .into_iter()
    .flatten()
    {
        println!("cargo:rerun-if-changed={path}");
    }
    let version = env!("CARGO_PKG_VERSION");
    let (long, commit) = match commit {
        Some(c) => (format!("{version} (commit {c})"), c),
        None => (version.to_owned(), "unknown".to_owned()),
    };
    println!("cargo:rustc-env=BUILD_LONG_VERSION={long}");
    println!("cargo:rustc-env=BUILD_GIT_COMMIT={commit}");
}
