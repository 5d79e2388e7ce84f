//! `/report HH:MM [TZ]`, `/report DAY HH:MM [TZ]`, `/report`, `/report off`, `/report now`:
//! this chat's scheduled balance report, and one now through the same path (the outbox).

use crate::clock::{now_unix, utc};
use crate::engine::report_builder::{BuildError, ReportSources};
use crate::engine::report_scheduler::parse_stored;
use crate::rules::domain::ChatId;
use crate::rules::schedule::{ReportRequest, next_slot, parse_report_args};
use crate::store::{Actor, ReportRecord};
use crate::telegram::gate::{Ctx, Outcome, Status};
use crate::texts::{self, Lang};

fn sources(ctx: &Ctx) -> ReportSources {
    ReportSources {
        store: ctx.store.clone(),
        balances: ctx.source.clone(),
        prices: ctx.prices.clone(),
        payments_on: ctx.payments.is_some(),
        payouts_on: ctx.payouts.is_some(),
    }
}

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, actor: &Actor, args: &str) -> Outcome {
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let request = match parse_report_args(args, Some(zone)) {
        Ok(r) => r,
        Err(e) => {
            let problem = texts::report_args_problem(lang, &e);
            return Outcome::text(
                texts::bad_argument(lang, &problem, &texts::report_usage(lang)),
                Status::BadInput,
            );
        }
    };
    let now = now_unix();
    let ok = |text| Outcome::text(text, Status::Ok);
    match request {
        ReportRequest::Show => match ctx.store.report_of(chat_id).await {
            Ok(stored) => {
                let schedule = stored.as_ref().and_then(parse_stored);
                let next = schedule
                    .as_ref()
                    .map(|s| next_slot(s, utc(now)).timestamp());
                ok(texts::report_status(lang, schedule.as_ref().zip(next)))
            }
            Err(e) => Outcome::storage_error(lang, e),
        },
        ReportRequest::Off => match ctx.store.remove_report(chat_id, actor, now).await {
            Ok(existed) => {
                ctx.report_changed.notify_one();
                ok(texts::report_removed(lang, existed))
            }
            Err(e) => Outcome::storage_error(lang, e),
        },
        ReportRequest::Set(schedule) => {
            let spec = schedule.to_args();
            match ctx
                .store
                .set_report(chat_id, &spec, schedule.zone.name(), actor, now)
                .await
            {
                Ok(()) => {
                    ctx.report_changed.notify_one();
                    let next = next_slot(&schedule, utc(now)).timestamp();
                    ok(texts::report_set(lang, &schedule, next))
                }
                Err(e) => Outcome::storage_error(lang, e),
            }
        }
        ReportRequest::Now => now_report(ctx, lang, chat_id, now).await,
    }
}

/// The same content and the same path as a scheduled report: through the outbox.
async fn now_report(ctx: &Ctx, lang: Lang, chat_id: ChatId, now: i64) -> Outcome {
    let built = match sources(ctx).build(chat_id, None, now, true).await {
        Ok(built) => built,
        Err(BuildError::Store(e)) => return Outcome::storage_error(lang, e),
        Err(BuildError::Unavailable(e)) => {
            return Outcome::text(texts::oxapay_failed(lang, &e), Status::OxaPayError);
        }
    };
    let recorded = ctx
        .store
        .record_report(&ReportRecord {
            chat_id,
            text: &built.text,
            slot: None,
            baseline: &built.baseline,
            now,
        })
        .await;
    match recorded {
        Ok(()) => {
            ctx.wake_delivery.notify_one();
            Outcome::silent(Status::Ok)
        }
        Err(e) => Outcome::storage_error(lang, e),
    }
}
