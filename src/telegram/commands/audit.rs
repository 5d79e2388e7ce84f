//! `/audit [N]`, `/audit ID` (admins): who changed access, levels and reports, and the id
//! parsing `/allow` and `/deny` share.

use super::words;
use crate::rules::domain::{ChatId, parse_chat_id};
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, AUDIT_USAGE, ID_USAGE, Lang};

/// How many entries `/audit` shows by default, and at most.
pub const AUDIT_DEFAULT: u32 = 20;
pub const AUDIT_MAX: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditRequest {
    /// The newest N entries.
    Recent(u32),
    /// The entries about a user or chat (or done by that user, or in that chat).
    About(ChatId),
}

/// `/audit` (20), `/audit N` (1–200), `/audit ID`. A number up to 200 is a count: Telegram's user
/// and chat ids are far larger.
pub fn parse_audit(args: &str) -> Result<AuditRequest, String> {
    match words(args).as_slice() {
        [] => Ok(AuditRequest::Recent(AUDIT_DEFAULT)),
        [w] => match w.parse::<u32>() {
            Ok(0) => Err(texts::admin_bad_argument(
                "a count must be at least 1",
                AUDIT_USAGE,
            )),
            Ok(n) if n <= AUDIT_MAX => Ok(AuditRequest::Recent(n)),
            _ => parse_chat_id(w).map(AuditRequest::About).map_err(|_| {
                texts::admin_bad_argument(
                    &format!("{} is neither a count (1–200) nor a Telegram id", quote(w)),
                    AUDIT_USAGE,
                )
            }),
        },
        _ => Err(texts::admin_bad_argument(
            "one count or one id at a time",
            AUDIT_USAGE,
        )),
    }
}

pub fn parse_id(args: &str) -> Result<ChatId, String> {
    match words(args).as_slice() {
        [] => Err(texts::admin_bad_argument("an id is missing", ID_USAGE)),
        [id] => parse_chat_id(id).map_err(|_| {
            texts::admin_bad_argument(&format!("{} is not a Telegram id", quote(id)), ID_USAGE)
        }),
        _ => Err(texts::admin_bad_argument("one id at a time", ID_USAGE)),
    }
}

pub async fn run(ctx: &Ctx, args: &str) -> Outcome {
    let entries = match parse_audit(args) {
        Ok(AuditRequest::Recent(n)) => ctx.store.audit_recent(n).await,
        Ok(AuditRequest::About(id)) => ctx.store.audit_about(id, AUDIT_MAX).await,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    match entries {
        Ok(entries) => Outcome::text(texts::audit(&entries), Status::Ok),
        Err(e) => Outcome::storage_error(Lang::En, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_arguments() {
        assert_eq!(parse_audit(""), Ok(AuditRequest::Recent(20)));
        assert_eq!(parse_audit("5"), Ok(AuditRequest::Recent(5)));
        assert_eq!(parse_audit("200"), Ok(AuditRequest::Recent(200)));
        assert_eq!(parse_audit("2002"), Ok(AuditRequest::About(ChatId(2002))));
        assert_eq!(
            parse_audit("-1001234567890"),
            Ok(AuditRequest::About(ChatId(-1001234567890)))
        );
        for bad in ["0", "abc", "1 2", "1.5"] {
            assert!(parse_audit(bad).unwrap_err().contains("/audit"), "{bad}");
        }
    }
    #[test]
    fn id_arguments() {
        assert_eq!(parse_id("-100123"), Ok(ChatId(-100123)));
        assert!(parse_id("").unwrap_err().contains("missing"));
        assert!(parse_id("abc").unwrap_err().contains("not a Telegram id"));
        assert!(parse_id("1 2").is_err());
    }
}
