//! Other processes: the shipped binary run as an operator runs it (environment, working directory,
//! signals, its stderr read as it is written), and python3's sqlite3 module as a second process
//! that locks or inspects the database. Everything is awaited, never slept on, so the fakes on the
//! test's runtime keep answering while a test waits for a process.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::telegram::PATIENCE;

/// A running program whose stdout and stderr are collected as they are written.
pub struct BotProcess {
    child: Child,
    /// Standard input, for a program that asks questions (see [`BotProcess::with_input`]).
    stdin: Option<ChildStdin>,
    output: Arc<Mutex<String>>,
    version: Arc<watch::Sender<u64>>,
    readers: Vec<JoinHandle<()>>,
    /// When it was started (the benchmarks time the start-up from it).
    #[allow(dead_code)]
    pub spawned: Instant,
}

impl BotProcess {
    /// The shipped binary with exactly `env` (and `PATH`), in `cwd`.
    pub fn bot(env: &BTreeMap<String, String>, cwd: &Path) -> Self {
        Self::spawn(Path::new(env!("CARGO_BIN_EXE_oxapay-bot")), env, cwd)
    }

    /// The shipped binary with `args`, exactly `env` (and `PATH`), in `cwd`, reading its standard
    /// input from the test ([`BotProcess::type_line`]).
    pub fn with_input(args: &[&str], env: &BTreeMap<String, String>, cwd: &Path) -> Self {
        Self::with_stdin(args, env, cwd, Stdio::piped())
    }

    /// The same with standard input from `stdin` (a terminal, say).
    pub fn with_stdin(
        args: &[&str],
        env: &BTreeMap<String, String>,
        cwd: &Path,
        stdin: Stdio,
    ) -> Self {
        let program = Path::new(env!("CARGO_BIN_EXE_oxapay-bot"));
        Self::start(program, args, env, cwd, stdin)
    }

    /// `program` with exactly `env` (and `PATH`), in `cwd`. It is killed if this value is
    /// dropped or the test process dies.
    pub fn spawn(program: &Path, env: &BTreeMap<String, String>, cwd: &Path) -> Self {
        Self::start(program, &[], env, cwd, Stdio::null())
    }

    fn start(
        program: &Path,
        args: &[&str],
        env: &BTreeMap<String, String>,
        cwd: &Path,
        stdin: Stdio,
    ) -> Self {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(env)
            .current_dir(cwd)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        // If the test process dies, its children die with it.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let spawned = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let output = Arc::new(Mutex::new(String::new()));
        let version = Arc::new(watch::channel(0).0);
        let readers = vec![
            collect(
                child.stdout.take().unwrap(),
                output.clone(),
                version.clone(),
            ),
            collect(
                child.stderr.take().unwrap(),
                output.clone(),
                version.clone(),
            ),
        ];
        BotProcess {
            stdin: child.stdin.take(),
            child,
            output,
            version,
            readers,
            spawned,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id().expect("the process is running")
    }

    /// Everything written to stdout and stderr so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until some line of the output satisfies `matches`; returns that line.
    pub async fn wait_line(&self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        let mut rx = self.version.subscribe();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            rx.borrow_and_update();
            if let Some(line) = self.output().lines().find(|l| matches(l)) {
                return line.to_owned();
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                panic!(
                    "waited {PATIENCE:?} for {what} in the output:\n{}",
                    self.output()
                );
            }
        }
    }

    /// Waits until the whole output so far satisfies `matches` (e.g. a question asked a second
    /// time); returns the output.
    pub async fn wait_output(&self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        let mut rx = self.version.subscribe();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            rx.borrow_and_update();
            let output = self.output();
            if matches(&output) {
                return output;
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                panic!("waited {PATIENCE:?} for {what} in the output:\n{output}");
            }
        }
    }

    /// Waits until `text` has been printed `count` times in all.
    pub async fn wait_printed(&self, text: &str, count: usize) -> String {
        self.wait_output(&format!("{text:?} printed {count} time(s)"), |o| {
            o.matches(text).count() >= count
        })
        .await
    }

    /// Types `line` and Enter.
    pub async fn type_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("started with_input");
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        stdin.flush().await.unwrap();
    }

    /// Ends standard input (as Ctrl-D on a terminal).
    pub fn close_input(&mut self) {
        self.stdin = None;
    }

    pub fn signal(&self, sig: i32) {
        unsafe {
            libc::kill(self.pid() as i32, sig);
        }
    }

    /// Waits for the exit and for the output to be read to its end; returns the exit code
    /// (`None` after a signal) and the time waited.
    pub async fn wait(&mut self, limit: Duration) -> (Option<i32>, Duration) {
        let start = Instant::now();
        let status = match tokio::time::timeout(limit, self.child.wait()).await {
            Ok(status) => status.expect("waiting for the process"),
            Err(_) => {
                let _ = self.child.kill().await;
                panic!(
                    "the process did not exit within {limit:?}:\n{}",
                    self.output()
                );
            }
        };
        let took = start.elapsed();
        for reader in self.readers.drain(..) {
            let _ = tokio::time::timeout(PATIENCE, reader).await;
        }
        (status.code(), took)
    }

    /// SIGTERM, and SIGKILL if it is still running 5 s later; returns the exit code.
    pub async fn stop(&mut self) -> Option<i32> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return status.code();
        }
        self.signal(libc::SIGTERM);
        match tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await {
            Ok(status) => status.ok().and_then(|s| s.code()),
            Err(_) => {
                let _ = self.child.kill().await;
                None
            }
        }
    }
}

fn collect(
    mut pipe: impl AsyncRead + Unpin + Send + 'static,
    into: Arc<Mutex<String>>,
    version: Arc<watch::Sender<u64>>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut buf = vec![0u8; 16 << 10];
        while let Ok(n) = pipe.read(&mut buf).await {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
            version.send_modify(|v| *v += 1);
        }
    })
}

/// Another process holding SQLite's write lock on a database until the test releases it.
pub struct SqliteLock {
    child: Child,
    stdin: Option<ChildStdin>,
}

impl SqliteLock {
    /// Starts python3, takes the write lock (`BEGIN IMMEDIATE`) and returns once it is held.
    pub async fn hold(db: &Path) -> Self {
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(format!(
                "import sqlite3, sys\n\
                 c = sqlite3.connect({:?}, isolation_level=None)\n\
                 c.execute('BEGIN IMMEDIATE')\n\
                 print('locked', flush=True)\n\
                 sys.stdin.readline()\n\
                 c.execute('ROLLBACK')\n",
                db.display().to_string()
            ))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        tokio::time::timeout(PATIENCE, out.read_line(&mut line))
            .await
            .expect("python3 takes the lock")
            .unwrap();
        assert_eq!(line.trim(), "locked");
        let stdin = child.stdin.take();
        SqliteLock { child, stdin }
    }

    /// Lets go of the lock and waits for the process to end.
    pub async fn release(mut self) {
        let mut stdin = self.stdin.take().unwrap();
        stdin.write_all(b"go\n").await.unwrap();
        drop(stdin);
        let status = tokio::time::timeout(PATIENCE, self.child.wait())
            .await
            .expect("the locker exits")
            .unwrap();
        assert!(status.success());
    }
}

/// What a program that ran to its end left behind.
pub struct Finished {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// Both streams, for assertion messages and for looking for what must never be printed.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Runs the shipped binary with `args`, exactly `env` (and `PATH`), in `cwd`, to its end (within
/// `PATIENCE`); the fakes keep answering meanwhile.
pub async fn run_to_end(args: &[&str], env: &BTreeMap<String, String>, cwd: &Path) -> Finished {
    let out = Command::new(env!("CARGO_BIN_EXE_oxapay-bot"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(PATIENCE, out)
        .await
        .unwrap_or_else(|_| panic!("oxapay-bot {args:?} did not end within {PATIENCE:?}"))
        .expect("the binary runs");
    Finished {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs python3 with `code`, where `db` is an open `sqlite3` connection to the database;
/// returns what it printed.
pub async fn python_sqlite(db: &Path, code: &str) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sqlite3\ndb = sqlite3.connect({:?})\n{code}",
            db.display().to_string()
        ))
        .stderr(Stdio::inherit())
        .output()
        .await
        .expect("python3 runs");
    assert!(out.status.success(), "python3 failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
