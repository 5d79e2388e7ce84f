//! Why an argument was refused, in the reader's language: the first half of a `bad_argument`
//! reply (its second half is the command's usage). What the user typed is quoted with
//! `rules::quote` by the caller or by the rule that refused it, and escaped here.

use super::Lang;
use crate::money::{AmountInputError, CurrencyError};
use crate::oxapay::TrackIdError;
use crate::rules::feed::EventListError;
use crate::rules::history::HistoryArgsError;
use crate::rules::schedule::ReportArgsError;
use crate::t;

/// `“BTX!” is not a currency: …`
pub fn not_a_currency(lang: Lang, given: &str, e: &CurrencyError) -> String {
    let why = match e {
        CurrencyError::Missing => t!(lang, "problem-currency-missing"),
        CurrencyError::Invalid => t!(lang, "problem-currency-invalid"),
    };
    t!(
        lang,
        "problem-not-currency",
        given = given,
        why = super::l10n::html(why)
    )
}

/// `“-1” is not accepted: …`
pub fn amount_refused(lang: Lang, given: &str, e: &AmountInputError) -> String {
    let why = match e {
        AmountInputError::Missing => t!(lang, "problem-amount-missing"),
        AmountInputError::NotPlain => t!(lang, "problem-amount-not-plain"),
        AmountInputError::NotPositive => t!(lang, "problem-amount-not-positive"),
        AmountInputError::TooLarge => t!(lang, "problem-amount-too-large"),
    };
    t!(
        lang,
        "problem-amount-not-accepted",
        given = given,
        why = super::l10n::html(why)
    )
}

/// The problems the commands name without a typed word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    AlertMissing,
    AmountMissing,
    AlertTooMany,
    OneCurrency,
    MuteZero,
    MuteTooLong,
    OneDuration,
    OneLang,
    TrackIdMissing,
    OneTrackId,
    OnePeriod,
}

/// The problems that quote what the user typed (already quoted with `rules::quote`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoted {
    NotDirection,
    NotUnderstood,
    NotDuration,
    UnknownLang,
    NotPeriod,
}

pub fn problem(lang: Lang, p: Problem) -> String {
    match p {
        Problem::AlertMissing => t!(lang, "problem-alert-missing"),
        Problem::AmountMissing => t!(lang, "problem-amount-missing-after"),
        Problem::AlertTooMany => t!(lang, "problem-alert-too-many"),
        Problem::OneCurrency => t!(lang, "problem-one-currency"),
        Problem::MuteZero => t!(lang, "problem-mute-zero"),
        Problem::MuteTooLong => t!(lang, "problem-mute-too-long"),
        Problem::OneDuration => t!(lang, "problem-one-duration"),
        Problem::OneLang => t!(lang, "problem-one-lang"),
        Problem::TrackIdMissing => t!(lang, "problem-track-id-missing"),
        Problem::OneTrackId => t!(lang, "problem-one-track-id"),
        Problem::OnePeriod => t!(lang, "problem-one-period"),
    }
}

pub fn quoted_problem(lang: Lang, p: Quoted, given: &str) -> String {
    match p {
        Quoted::NotDirection => t!(lang, "problem-not-direction", given = given),
        Quoted::NotUnderstood => t!(lang, "problem-not-understood", given = given),
        Quoted::NotDuration => t!(lang, "problem-not-duration", given = given),
        Quoted::UnknownLang => t!(lang, "problem-unknown-lang", given = given),
        Quoted::NotPeriod => t!(lang, "problem-not-period", given = given),
    }
}

/// Why `/report`'s arguments were refused.
pub fn report_args_problem(lang: Lang, e: &ReportArgsError) -> String {
    match e {
        ReportArgsError::BadTime { given } => t!(lang, "problem-bad-time", given = given),
        ReportArgsError::UnknownDay { given } => t!(lang, "problem-unknown-day", given = given),
        ReportArgsError::UnknownZone { given } => t!(lang, "problem-unknown-zone", given = given),
        ReportArgsError::MissingTime => t!(lang, "problem-missing-time"),
        ReportArgsError::DayAfterTime => t!(lang, "problem-day-after-time"),
        ReportArgsError::NotAlone { given } => t!(lang, "problem-not-alone", given = given),
        ReportArgsError::TooManyWords => t!(lang, "problem-report-too-many"),
    }
}

/// Why `/history`'s arguments were refused.
pub fn history_args_problem(lang: Lang, e: &HistoryArgsError) -> String {
    match e {
        HistoryArgsError::NotUnderstood { given } => {
            t!(lang, "problem-history-not-understood", given = given)
        }
        HistoryArgsError::UnknownSpan { given } => t!(lang, "problem-unknown-span", given = given),
        HistoryArgsError::TwoSubjects => t!(lang, "problem-two-subjects"),
        HistoryArgsError::TwoSpans => t!(lang, "problem-two-spans"),
        HistoryArgsError::TooManyWords => t!(lang, "problem-history-too-many"),
    }
}

/// Why a list of statuses (`/payments events …`, `/payouts events …`) was refused.
pub fn event_list_problem(lang: Lang, e: &EventListError) -> String {
    match e {
        EventListError::Empty => t!(lang, "problem-events-empty"),
        EventListError::Unknown { name, known } => t!(
            lang,
            "problem-event-unknown",
            given = crate::rules::quote::quote(name),
            known = super::l10n::fig(known)
        ),
    }
}

/// Why a track id was refused (`given` already quoted).
pub fn track_id_problem(lang: Lang, given: &str, e: &TrackIdError) -> String {
    match e {
        TrackIdError::Empty => t!(lang, "problem-track-id-missing"),
        TrackIdError::TooLong => t!(
            lang,
            "problem-track-id",
            given = given,
            why = "long",
            max = crate::oxapay::MAX_TRACK_ID_CHARS
        ),
        TrackIdError::ControlCharacter => {
            t!(
                lang,
                "problem-track-id",
                given = given,
                why = "control",
                max = 0
            )
        }
    }
}
