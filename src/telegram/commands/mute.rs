//! `/mute 30m|2h|1d`, `/mute off`, `/mute`: hold this chat's alerts for a while, resume them, or
//! say until when they are held (in the chat's zone).

use std::time::Duration;

use super::words;
use crate::clock::now_unix;
use crate::rules::alerts::{AlertState, Threshold};
use crate::rules::domain::ChatId;
use crate::rules::quote::quote;
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang, Problem, Quoted};

/// The longest `/mute`: past that, removing the level is the honest tool.
pub const MAX_MUTE: Duration = Duration::from_secs(30 * 24 * 3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MuteRequest {
    Show,
    Off,
    For(Duration),
}

/// `/mute`, `/mute off`, `/mute 30m` / `2h` / `1d` (at most 30 days).
pub fn parse_mute(lang: Lang, args: &str) -> Result<MuteRequest, String> {
    let bad = |problem: String| texts::bad_argument(lang, &problem, &texts::mute_usage(lang));
    let said = |p: Problem| bad(texts::problem(lang, p));
    let not_duration = |w: &str| bad(texts::quoted_problem(lang, Quoted::NotDuration, &quote(w)));
    match words(args).as_slice() {
        [] => Ok(MuteRequest::Show),
        [w] if w.eq_ignore_ascii_case("off") => Ok(MuteRequest::Off),
        [w] => {
            let lower = w.to_ascii_lowercase();
            let split = lower
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(lower.len());
            let (digits, unit) = lower.split_at(split);
            let unit_secs = match unit {
                "m" | "min" => 60,
                "h" => 3_600,
                "d" => 86_400,
                _ => return Err(not_duration(w)),
            };
            let n: u64 = match digits.parse() {
                Ok(n) if digits.len() <= 6 => n,
                _ => return Err(not_duration(w)),
            };
            let d = Duration::from_secs(n * unit_secs);
            if n == 0 {
                Err(said(Problem::MuteZero))
            } else if d > MAX_MUTE {
                Err(said(Problem::MuteTooLong))
            } else {
                Ok(MuteRequest::For(d))
            }
        }
        _ => Err(said(Problem::OneDuration)),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, actor: ChatId, args: &str) -> Outcome {
    let request = match parse_mute(lang, args) {
        Ok(r) => r,
        Err(text) => return Outcome::text(text, Status::BadInput),
    };
    let now = now_unix();
    // The end of a mute is said in the chat's zone, if it set one (`/report … TZ`).
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let ok = |text| Outcome::text(text, Status::Ok);
    match request {
        MuteRequest::Show => match ctx.store.mute_of(chat_id, now).await {
            Ok(m) => ok(texts::mute_status(lang, m.map(|m| m.until), zone)),
            Err(e) => Outcome::storage_error(lang, e),
        },
        MuteRequest::For(d) => {
            let until = now + d.as_secs() as i64;
            match ctx.store.set_mute(chat_id, until, actor, now).await {
                Ok(()) => ok(texts::muted(lang, until, zone)),
                Err(e) => Outcome::storage_error(lang, e),
            }
        }
        MuteRequest::Off => {
            let held = match ctx.store.held(chat_id, now).await {
                Ok(h) => h,
                Err(e) => return Outcome::storage_error(lang, e),
            };
            let was_muted = match ctx.store.end_mute(chat_id, now).await {
                Ok(w) => w,
                Err(e) => return Outcome::storage_error(lang, e),
            };
            let levels = match ctx.store.thresholds_of(chat_id).await {
                Ok((levels, _)) => levels,
                Err(e) => return Outcome::storage_error(lang, e),
            };
            let crossed: Vec<&Threshold> = levels
                .iter()
                .filter(|t| matches!(t.state, AlertState::Crossed { .. }))
                .collect();
            ok(texts::unmuted(lang, was_muted, &crossed, &held))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mute_arguments() {
        let parse_mute = |args: &str| parse_mute(Lang::En, args);
        let mins = |m: u64| Ok(MuteRequest::For(Duration::from_secs(m * 60)));
        assert_eq!(parse_mute(""), Ok(MuteRequest::Show));
        assert_eq!(parse_mute("OFF"), Ok(MuteRequest::Off));
        assert_eq!(parse_mute("30m"), mins(30));
        assert_eq!(parse_mute("2H"), mins(120));
        assert_eq!(parse_mute("1d"), mins(1_440));
        assert_eq!(parse_mute("30d"), mins(43_200));
        for (bad, says) in [
            ("0m", "longer than zero"),
            ("31d", "at most 30 days"),
            ("721h", "at most 30 days"),
            ("2 h", "one duration"),
            ("2w", "not a duration"),
            ("h", "not a duration"),
            ("-1h", "not a duration"),
            ("99999999999d", "not a duration"),
            ("1.5h", "not a duration"),
        ] {
            let e = parse_mute(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
            assert!(e.contains("/mute"), "{bad}: {e}");
        }
    }
}
