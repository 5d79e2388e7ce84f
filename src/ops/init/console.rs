//! The conversation: questions out on stdout, answers in from stdin one line each (a thread reads
//! them, so an answer can be awaited beside a network wait), secrets read without echo on a
//! terminal, and every line printed masked with the secrets learned so far.

use std::cell::Cell;
use std::io::{BufRead, IsTerminal, Write};

use tokio::sync::mpsc;

use super::Failure;
use crate::telemetry::Redactor;

pub struct Console {
    lines: mpsc::UnboundedReceiver<String>,
    terminal: bool,
    /// A question is printed and nothing has ended its line yet.
    open: Cell<bool>,
    secrets: Vec<String>,
    redactor: Redactor,
}

impl Console {
    /// Reads standard input on a thread of its own until it ends.
    pub fn stdin() -> Self {
        let (tx, lines) = mpsc::unbounded_channel();
        let terminal = std::io::stdin().is_terminal();
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Console {
            lines,
            terminal,
            open: Cell::new(false),
            secrets: Vec::new(),
            redactor: Redactor::default(),
        }
    }

    /// One line out, masked (on a line of its own, below a question still waiting).
    pub fn say(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        if self.open.replace(false) {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "{}", self.redactor.redact(text));
        let _ = out.flush();
    }

    /// What `text` looks like once masked (for the last words, printed by the caller).
    pub fn masked(&self, text: &str) -> String {
        self.redactor.redact(text)
    }

    /// Masks `secret` in everything printed from now on. A very short one is a typo that would
    /// mask ordinary letters.
    pub fn keep_secret(&mut self, secret: &str) {
        if secret.chars().count() >= 6 {
            self.secrets.push(secret.to_owned());
            self.redactor = Redactor::new(self.secrets.clone());
        }
    }

    /// Asks `question`; the answer, trimmed.
    pub async fn ask(&mut self, question: &str) -> Result<String, Failure> {
        self.prompt(question);
        self.answer(question).await
    }

    /// Asks for a secret: not echoed on a terminal, and masked in everything printed after.
    pub async fn ask_secret(&mut self, question: &str) -> Result<String, Failure> {
        let hidden = self.terminal.then(EchoOff::new).flatten();
        self.prompt(&format!(
            "{question}{}",
            if hidden.is_some() {
                " (typing is not shown)"
            } else {
                ""
            }
        ));
        let answer = self.answer(question).await;
        drop(hidden);
        let answer = answer?;
        self.keep_secret(&answer);
        Ok(answer)
    }

    /// A yes/no question; an empty answer is `default`.
    pub async fn confirm(&mut self, question: &str, default: bool) -> Result<bool, Failure> {
        let hint = if default { "[Y/n]" } else { "[y/N]" };
        loop {
            let answer = self.ask(&format!("{question} {hint}")).await?;
            match yes_or_no(&answer, default) {
                Some(yes) => return Ok(yes),
                None => self.say("  Please answer y or n."),
            }
        }
    }

    /// The question without a line end: the answer is typed after it.
    pub fn prompt(&self, question: &str) {
        let mut out = std::io::stdout().lock();
        if self.open.replace(true) {
            let _ = writeln!(out);
        }
        let _ = write!(out, "{}: ", self.redactor.redact(question));
        let _ = out.flush();
    }

    /// The next line typed, trimmed; `None` when standard input has ended. Ends the question's
    /// line where nothing echoed the answer (not a terminal).
    pub async fn next_line(&mut self) -> Option<String> {
        let line = self.lines.recv().await?;
        if self.open.replace(false) && !self.terminal {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out);
            let _ = out.flush();
        }
        Some(line.trim().to_owned())
    }

    async fn answer(&mut self, question: &str) -> Result<String, Failure> {
        self.next_line().await.ok_or_else(|| {
            Failure::Failed(format!(
                "standard input ended before an answer to \"{}\": nothing was written",
                question.trim_end_matches(['?', ':', ' '])
            ))
        })
    }
}

/// `y`/`yes`/`n`/`no` in any case; empty is `default`; anything else is no answer.
pub fn yes_or_no(answer: &str, default: bool) -> Option<bool> {
    match answer.trim().to_ascii_lowercase().as_str() {
        "" => Some(default),
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

/// The terminal stops echoing what is typed (the line end still shows) until this is dropped,
/// including when Ctrl-C drops the question being asked.
struct EchoOff {
    #[cfg(unix)]
    saved: libc::termios,
}

impl EchoOff {
    #[cfg(unix)]
    fn new() -> Option<Self> {
        // SAFETY: tcgetattr fills the struct it is given (zeroed is a valid termios) and
        // tcsetattr only reads it; both act on standard input, a terminal here.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(libc::STDIN_FILENO, &mut saved) != 0 {
                return None;
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            quiet.c_lflag |= libc::ECHONL;
            if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet) != 0 {
                return None;
            }
            Some(EchoOff { saved })
        }
    }

    #[cfg(not(unix))]
    fn new() -> Option<Self> {
        None
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new` on the same descriptor.
        #[cfg(unix)]
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved);
        }
    }
}

/// A name someone chose, safe to print on a terminal: no control characters (escape sequences
/// could rewrite the screen) and no bidi overrides, at most 64 characters.
pub fn printable(name: &str) -> String {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}');
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && !bidi(*c))
        .collect();
    let mut shown: String = clean.chars().take(64).collect();
    if shown.len() < clean.len() {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_in_any_case_and_the_default_for_nothing() {
        assert_eq!(yes_or_no("", true), Some(true));
        assert_eq!(yes_or_no(" ", false), Some(false));
        assert_eq!(yes_or_no("Y", false), Some(true));
        assert_eq!(yes_or_no("yes", false), Some(true));
        assert_eq!(yes_or_no("NO", true), Some(false));
        assert_eq!(yes_or_no("maybe", true), None);
    }

    #[test]
    fn a_name_loses_escape_sequences_and_bidi_overrides() {
        assert_eq!(printable("Alice"), "Alice");
        assert_eq!(printable("Eve\u{1b}[2J\u{1b}[31mAdmin"), "Eve[2J[31mAdmin");
        assert_eq!(printable("a\u{202E}cba\nb"), "acbab");
        assert_eq!(printable(&"x".repeat(100)).chars().count(), 65);
    }
}
