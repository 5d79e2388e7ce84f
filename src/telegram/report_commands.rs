//! `/report` and `/history`: scheduling a chat's reports, sending one now, and the history chart.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::chart::{self, ChartInput};
use crate::now_unix;
use crate::reports::builder::{ReportSources, chat_zone};
use crate::reports::history::{self, Subject, parse_history_args};
use crate::reports::schedule::{ReportRequest, next_slot, parse_report_args};
use crate::reports::scheduler::parse_stored;
use crate::store::{Actor, ReportRecord};
use crate::telegram::handler::{Ctx, Outcome, reply, storage_error};
use crate::telegram::messages;

/// At most this many points are drawn (the caption's figures come from every point).
const CHART_POINTS: usize = 1_000;

fn sources(ctx: &Ctx) -> ReportSources {
    ReportSources {
        store: ctx.store.clone(),
        balances: ctx.source.clone(),
        prices: ctx.prices.clone(),
    }
}

fn utc(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

pub(super) async fn report(ctx: &Ctx, chat_id: i64, actor: &Actor, args: &str) -> Outcome {
    let zone = match chat_zone(&ctx.store, chat_id).await {
        Ok(z) => z,
        Err(e) => return storage_error(e),
    };
    let request = match parse_report_args(args, Some(zone)) {
        Ok(r) => r,
        Err(e) => {
            return reply(
                messages::bad_argument(&e.to_string(), messages::REPORT_USAGE),
                "bad_input",
            );
        }
    };
    let now = now_unix();
    match request {
        ReportRequest::Show => match ctx.store.report_of(chat_id).await {
            Ok(stored) => {
                let schedule = stored.as_ref().and_then(parse_stored);
                let next = schedule
                    .as_ref()
                    .map(|s| next_slot(s, utc(now)).timestamp());
                reply(messages::report_status(schedule.as_ref().zip(next)), "ok")
            }
            Err(e) => storage_error(e),
        },
        ReportRequest::Off => match ctx.store.remove_report(chat_id, actor, now).await {
            Ok(existed) => {
                ctx.report_changed.notify_one();
                reply(messages::report_removed(existed), "ok")
            }
            Err(e) => storage_error(e),
        },
        ReportRequest::Set(schedule) => {
            match ctx
                .store
                .set_report(
                    chat_id,
                    &schedule.to_args(),
                    schedule.zone.name(),
                    actor,
                    now,
                )
                .await
            {
                Ok(()) => {
                    ctx.report_changed.notify_one();
                    let next = next_slot(&schedule, utc(now)).timestamp();
                    reply(messages::report_set(&schedule, next), "ok")
                }
                Err(e) => storage_error(e),
            }
        }
        // The same content and the same path as a scheduled report: through the outbox.
        ReportRequest::Now => match sources(ctx).build(chat_id, None, now, true).await {
            Ok(built) => {
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
                        Outcome {
                            reply: None,
                            keyboard: None,
                            photo: None,
                            result: "ok",
                        }
                    }
                    Err(e) => storage_error(e),
                }
            }
            Err(crate::reports::builder::BuildError::Store(e)) => storage_error(e),
            Err(crate::reports::builder::BuildError::Unavailable(e)) => {
                reply(messages::oxapay_failed(&e), "oxapay_error")
            }
        },
    }
}

pub(super) async fn history(ctx: &Ctx, chat_id: i64, args: &str) -> Outcome {
    let request = match parse_history_args(args) {
        Ok(r) => r,
        Err(e) => {
            return reply(
                messages::bad_argument(&e.to_string(), messages::HISTORY_USAGE),
                "bad_input",
            );
        }
    };
    let zone = match chat_zone(&ctx.store, chat_id).await {
        Ok(z) => z,
        Err(e) => return storage_error(e),
    };
    let first = match ctx.store.first_snapshot_at().await {
        Ok(Some(at)) => at,
        Ok(None) => {
            return reply(
                messages::history_none(ctx.history_interval.as_secs()),
                "no_history",
            );
        }
        Err(e) => return storage_error(e),
    };
    let now = now_unix();
    let from = now - request.span.seconds();
    let series = match &request.subject {
        Subject::Total => ctx.store.total_series(from, now).await,
        Subject::Currency(c) => ctx.store.currency_series(c.as_str(), from, now).await,
    };
    let series = match series {
        Ok(s) => s,
        Err(e) => return storage_error(e),
    };
    if series.is_empty() && request.subject == Subject::Total {
        return reply(messages::history_no_total(), "no_history");
    }
    if series.len() < 2 {
        return reply(
            messages::history_too_few(series.len(), first, zone),
            "no_history",
        );
    }
    let summary = match history::summarize(&series) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = ?e, "history summary failed");
            return reply(messages::history_unavailable(), "failed");
        }
    };
    let caption = messages::history_caption(&request.subject, request.span, &summary, zone);
    match render(&request.subject, request.span, series, zone).await {
        Ok(png) => Outcome {
            reply: Some(caption),
            keyboard: None,
            photo: Some(png),
            result: "ok",
        },
        Err(e) => {
            tracing::error!(error = %e, "chart rendering failed");
            reply(messages::history_unavailable(), "failed")
        }
    }
}

/// Draws the chart off the async threads (tens of milliseconds of CPU).
async fn render(
    subject: &Subject,
    span: history::Span,
    series: Vec<(i64, rust_decimal::Decimal)>,
    zone: Tz,
) -> anyhow::Result<Vec<u8>> {
    let (title, unit) = match subject {
        Subject::Total => (
            format!("Total value (USD), last {}", span.label()),
            "USD".to_owned(),
        ),
        Subject::Currency(c) => (format!("{c}, last {}", span.label()), c.to_string()),
    };
    let span_ = tracing::Span::current();
    let png = tokio::task::spawn_blocking(move || {
        let _entered = span_.enter();
        let points = history::downsample(&series, CHART_POINTS);
        chart::render_png(&ChartInput {
            title: &title,
            unit: &unit,
            points: &points,
            tz: zone,
        })
    })
    .await??;
    Ok(png)
}
