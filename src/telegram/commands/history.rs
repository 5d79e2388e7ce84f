//! `/history [CUR|total] [7d|30d|90d|1y]`: a chart of the recorded balance (or the total value)
//! as a PNG, with an exact caption.

use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::chart::{self, ChartInput, Kind};
use crate::clock::now_unix;
use crate::rules::domain::{ChatId, Subject};
use crate::rules::history::{self, Span, parse_history_args};
use crate::telegram::gate::{Ctx, Outcome, Reply, Status};
use crate::texts::{self, Lang};

/// At most this many points are drawn (the caption's figures come from every point).
const CHART_POINTS: usize = 1_000;

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, args: &str) -> Outcome {
    let request = match parse_history_args(args) {
        Ok(r) => r,
        Err(e) => {
            let problem = texts::history_args_problem(lang, &e);
            return Outcome::text(
                texts::bad_argument(lang, &problem, &texts::history_usage(lang)),
                Status::BadInput,
            );
        }
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let first = match ctx.store.first_snapshot_at().await {
        Ok(Some(at)) => at,
        Ok(None) => {
            let text = texts::history_none(lang, ctx.history_interval.as_secs());
            return Outcome::text(text, Status::NoHistory);
        }
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let now = now_unix();
    let from = now - request.span.seconds();
    let series = match ctx.store.series(&request.subject, from, now).await {
        Ok(s) => s,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    if series.is_empty() && request.subject == Subject::Total {
        return Outcome::text(texts::history_no_total(lang), Status::NoHistory);
    }
    if series.len() < 2 {
        let text = texts::history_too_few(lang, series.len(), first, zone);
        return Outcome::text(text, Status::NoHistory);
    }
    let summary = match history::summarize(&series) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = ?e, "history summary failed");
            return Outcome::text(texts::history_unavailable(lang), Status::Failed);
        }
    };
    let caption = texts::history_caption(lang, &request.subject, request.span, &summary, zone);
    match render(lang, &request.subject, request.span, series, zone).await {
        Ok(png) => Outcome {
            reply: Reply::Photo { png, caption },
            status: Status::Ok,
        },
        Err(e) => {
            tracing::error!(error = %e, "chart rendering failed");
            Outcome::text(texts::history_unavailable(lang), Status::Failed)
        }
    }
}

/// Draws the chart off the async threads (tens of milliseconds of CPU).
async fn render(
    lang: Lang,
    subject: &Subject,
    span: Span,
    series: Vec<(i64, Decimal)>,
    zone: Tz,
) -> anyhow::Result<Vec<u8>> {
    let (title, unit) = texts::chart_title(lang, subject, span);
    let labels = texts::chart_labels(lang);
    let span_ = tracing::Span::current();
    let png = tokio::task::spawn_blocking(move || {
        let _entered = span_.enter();
        let points = history::downsample(&series, CHART_POINTS);
        let input = ChartInput {
            title: &title,
            unit: &unit,
            points: &points,
            tz: zone,
        };
        chart::render_png_in(&input, Kind::Line, &labels)
    })
    .await??;
    Ok(png)
}
