//! `/history [CUR|total] [7d|30d|90d|1y]`: a chart of the recorded balance (or the total value)
//! as a PNG, with an exact caption.

use chrono_tz::Tz;
use rust_decimal::Decimal;

use crate::chart::{self, ChartInput, Kind};
use crate::clock::now_unix;
use crate::money::Usd;
use crate::rules::domain::{ChatId, Subject};
use crate::rules::history::{self, Span, parse_history_args};
use crate::rules::sales;
use crate::store::SaleRow;
use crate::telegram::gate::{Ctx, Outcome, Reply, Status};
use crate::texts::{self, Lang};

/// At most this many points are drawn (the caption's figures come from every point).
const CHART_POINTS: usize = 1_000;

pub async fn run(ctx: &Ctx, lang: Lang, chat_id: ChatId, args: &str) -> Outcome {
    let mut words = args.split_whitespace();
    if words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("payments"))
    {
        let rest: Vec<&str> = words.collect();
        return payments(ctx, lang, chat_id, &rest).await;
    }
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

/// `/history payments [7d|30d|90d]`: the USD received per day, as bars.
async fn payments(ctx: &Ctx, lang: Lang, chat_id: ChatId, args: &[&str]) -> Outcome {
    if ctx.payments.is_none() {
        return Outcome::text(texts::payments_need_key(lang), Status::Refused);
    }
    let days: i64 = match args {
        [] => 30,
        [w] => match w.to_ascii_lowercase().as_str() {
            "7d" => 7,
            "30d" => 30,
            "90d" => 90,
            _ => {
                let problem = texts::payments_span_problem(lang, w);
                let text = texts::bad_argument(lang, &problem, &texts::history_usage(lang));
                return Outcome::text(text, Status::BadInput);
            }
        },
        _ => {
            let problem = texts::problem(lang, texts::Problem::OnePeriod);
            let text = texts::bad_argument(lang, &problem, &texts::history_usage(lang));
            return Outcome::text(text, Status::BadInput);
        }
    };
    let zone = match ctx.store.chat_zone(chat_id).await {
        Ok(z) => z,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let now = now_unix();
    let from = sales::day_start(now - (days - 1) * 86_400, zone);
    let rows = match ctx.store.sales_between(from, now + 1).await {
        Ok(r) => r,
        Err(e) => return Outcome::storage_error(lang, e),
    };
    let paid: Vec<(i64, Usd)> = rows
        .iter()
        .filter(|p| sales::is_sale(&p.status))
        .filter_map(|p| Some((p.created_at?, p.usd?)))
        .collect();
    let figures = sales::figures(rows.iter().map(SaleRow::sale));
    if figures.paid == 0 {
        return Outcome::text(texts::payments_chart_empty(lang), Status::NoHistory);
    }
    let points = sales::daily_usd(&paid, from, now + 1, zone);
    let caption = texts::payments_chart_caption(lang, days as usize, &figures);
    let (title, unit) = texts::payments_chart_title(lang, days as usize);
    let bars = Kind::Bars {
        period_secs: 86_400,
    };
    match draw(lang, title, unit, points, zone, bars).await {
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

/// Draws a chart off the async threads (tens of milliseconds of CPU), its words in `lang`.
async fn draw(
    lang: Lang,
    title: String,
    unit: String,
    points: Vec<(i64, Decimal)>,
    zone: Tz,
    kind: Kind,
) -> anyhow::Result<Vec<u8>> {
    let labels = texts::chart_labels(lang);
    let span_ = tracing::Span::current();
    let png = tokio::task::spawn_blocking(move || {
        let _entered = span_.enter();
        let input = ChartInput {
            title: &title,
            unit: &unit,
            points: &points,
            tz: zone,
        };
        chart::render_png_in(&input, kind, &labels)
    })
    .await??;
    Ok(png)
}

/// The balance chart: downsampled, then drawn as a line.
async fn render(
    lang: Lang,
    subject: &Subject,
    span: Span,
    series: Vec<(i64, Decimal)>,
    zone: Tz,
) -> anyhow::Result<Vec<u8>> {
    let (title, unit) = texts::chart_title(lang, subject, span);
    let points = history::downsample(&series, CHART_POINTS);
    draw(lang, title, unit, points, zone, Kind::Line).await
}
