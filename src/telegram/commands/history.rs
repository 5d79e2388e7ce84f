//! `/history [CUR|total] [7d|30d|90d|1y]`: a chart of the recorded balance (or the total value)
//! as a PNG, with an exact caption.

use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::chart::{self, ChartInput};
use crate::clock::now_unix;
use crate::rules::domain::{ChatId, Subject};
use crate::rules::history::{self, Span, parse_history_args};
use crate::telegram::gate::{Ctx, Outcome, Reply, Status};
use crate::texts;

/// At most this many points are drawn (the caption's figures come from every point).
const CHART_POINTS: usize = 1_000;

pub async fn run(ctx: &Ctx, chat_id: ChatId, args: &str) -> Outcome {
    let request = match parse_history_args(args) {
        Ok(r) => r,
        Err(e) => {
            return Outcome::text(
                texts::bad_argument(&e.to_string(), texts::HISTORY_USAGE),
                Status::BadInput,
            );
        }
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(e),
    };
    let first = match ctx.store.first_snapshot_at().await {
        Ok(Some(at)) => at,
        Ok(None) => {
            let text = texts::history_none(ctx.history_interval.as_secs());
            return Outcome::text(text, Status::NoHistory);
        }
        Err(e) => return Outcome::storage_error(e),
    };
    let now = now_unix();
    let from = now - request.span.seconds();
    let series = match ctx.store.series(&request.subject, from, now).await {
        Ok(s) => s,
        Err(e) => return Outcome::storage_error(e),
    };
    if series.is_empty() && request.subject == Subject::Total {
        return Outcome::text(texts::history_no_total(), Status::NoHistory);
    }
    if series.len() < 2 {
        let text = texts::history_too_few(series.len(), first, zone);
        return Outcome::text(text, Status::NoHistory);
    }
    let summary = match history::summarize(&series) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = ?e, "history summary failed");
            return Outcome::text(texts::history_unavailable(), Status::Failed);
        }
    };
    let caption = texts::history_caption(&request.subject, request.span, &summary, zone);
    match render(&request.subject, request.span, series, zone).await {
        Ok(png) => Outcome {
            reply: Reply::Photo { png, caption },
            status: Status::Ok,
        },
        Err(e) => {
            tracing::error!(error = %e, "chart rendering failed");
            Outcome::text(texts::history_unavailable(), Status::Failed)
        }
    }
}

/// Draws the chart off the async threads (tens of milliseconds of CPU).
async fn render(
    subject: &Subject,
    span: Span,
    series: Vec<(i64, Decimal)>,
    zone: Tz,
) -> anyhow::Result<Vec<u8>> {
    let (title, unit) = texts::chart_title(subject, span);
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
