//! Logging: `tracing` (and the `log` records of teloxide and friends) to stderr, through a writer
//! that removes the bot token and the OxaPay key from every line at every level. Library debug
//! output can contain request URLs, and Telegram's URLs contain the token.

use std::io::{self, Write};
use std::sync::Arc;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

const MASK: &str = "[REDACTED]";

/// Replaces every secret in `text`. Longest first, so a secret containing another is masked whole.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    secrets: Arc<Vec<String>>,
}

impl Redactor {
    /// A token `123:ABC` is also masked by its secret half and in URL-encoded form.
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut all: Vec<String> = Vec::new();
        for s in secrets {
            if s.is_empty() {
                continue;
            }
            if let Some((_, half)) = s.split_once(':')
                && half.len() >= 8
            {
                all.push(half.to_owned());
            }
            all.push(s.replace(':', "%3A"));
            all.push(s);
        }
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        all.dedup();
        Self {
            secrets: Arc::new(all),
        }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in self.secrets.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

/// Hands each log event a buffer; the event is written, redacted, when the buffer is dropped.
#[derive(Clone)]
pub struct RedactingStderr {
    redactor: Redactor,
}

pub struct EventBuffer {
    redactor: Redactor,
    buf: Vec<u8>,
}

impl Write for EventBuffer {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for EventBuffer {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.buf);
        let clean = self.redactor.redact(&text);
        let _ = io::stderr().lock().write_all(clean.as_bytes());
    }
}

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = EventBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        EventBuffer {
            redactor: self.redactor.clone(),
            buf: Vec::with_capacity(256),
        }
    }
}

/// Installs the global subscriber. `filter` is `RUST_LOG`'s value (already validated).
pub fn init(filter: &str, redactor: Redactor) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(RedactingStderr { redactor })
        .try_init();
}

/// The start of an outside text for an error message: enough to recognise, never a whole page.
pub fn preview(text: &str) -> String {
    let s: String = text.chars().take(40).collect();
    if s.len() < text.len() { s + "…" } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_every_form() {
        let r = Redactor::new([
            "123456:AAE-secret_token_x".to_owned(),
            "PAYOUTKEY".to_owned(),
        ]);
        let line = "GET http://x/bot123456:AAE-secret_token_x/GetMe key=PAYOUTKEY \
                    enc=123456%3AAAE-secret_token_x half=AAE-secret_token_x";
        let clean = r.redact(line);
        assert!(!clean.contains("secret_token"), "{clean}");
        assert!(!clean.contains("PAYOUTKEY"));
        assert_eq!(clean.matches(MASK).count(), 4);
    }

    #[test]
    fn nothing_to_mask_leaves_text_alone() {
        let r = Redactor::new(Vec::<String>::new());
        assert_eq!(r.redact("plain"), "plain");
    }
}
