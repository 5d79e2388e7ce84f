//! Builds one chat's balance report from the shared balance and price sources and the store: the
//! same content for a scheduled slot and for `/report now`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::TimeDelta;
use rust_decimal::Decimal;

use crate::oxapay::{Balances, OxaPayError};
use crate::rules::alerts::{AlertState, Threshold};
use crate::rules::domain::{ChatId, Subject};
use crate::rules::payouts::{self, Moved, Outflow};
use crate::rules::report::{self, FigureChange};
use crate::rules::sales::{self, Movement, Sale};
use crate::rules::valuation;
use crate::sources::balances::{BalanceSource, Snapshot};
use crate::sources::prices::PriceSource;
use crate::store::Store;
use crate::texts::{self, Lang, PriceView, Report, ReportBalances};

/// The sources a report is built from.
#[derive(Clone)]
pub struct ReportSources {
    pub store: Store,
    pub balances: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
    /// The payment feed runs: reports say what payments did since the previous one.
    pub payments_on: bool,
    /// The payout feed runs: reports say what payouts did since the previous one.
    pub payouts_on: bool,
}

/// A report ready to be written to the outbox, with what it shows (the next one's baseline).
pub struct Built {
    pub text: String,
    pub baseline: Vec<(Subject, Decimal)>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// OxaPay cannot be read now and a stored snapshot may not be used yet.
    #[error("OxaPay cannot be read: {0}")]
    Unavailable(OxaPayError),
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
}

/// A report's balances from a read just made: with current prices, the values and the total.
fn fresh<'a>(
    snap: &'a Snapshot,
    prices: PriceView<'a>,
) -> (ReportBalances<'a>, Vec<(Subject, Decimal)>) {
    let total = match prices {
        PriceView::Current(p, _) => {
            valuation::value(&snap.balances, Some(p)).complete_total(&snap.balances)
        }
        PriceView::Unavailable(_) => None,
    };
    (
        ReportBalances::Fresh {
            read: &snap.balances,
            at: snap.fetched_at.timestamp(),
            prices,
        },
        report::figures(&snap.balances.amounts, total),
    )
}

impl ReportSources {
    /// Builds `chat_id`'s report. `due`: the slot it answers and how late it is. When OxaPay
    /// cannot be read, `stale_ok` decides between an error (the caller retries) and a report built
    /// from the newest stored snapshot, labelled with its age.
    pub async fn build(
        &self,
        chat_id: ChatId,
        due: Option<(i64, Option<TimeDelta>)>,
        now: i64,
        stale_ok: bool,
    ) -> Result<Built, BuildError> {
        let zone = self.store.chat_zone(chat_id).await?;
        let language = self.store.chat_language(chat_id).await?;
        let lang = Lang::of_chat(language.set.as_deref(), language.seen.as_deref());
        let previous = self.store.report_baseline(chat_id).await?;
        let previous_at = previous.values().map(|(_, at)| *at).max();
        let previous: BTreeMap<Subject, Decimal> =
            previous.into_iter().map(|(s, (a, _))| (s, a)).collect();
        let (levels, _) = self.store.thresholds_of(chat_id).await?;
        let crossed: Vec<&Threshold> = levels
            .iter()
            .filter(|t| matches!(t.state, AlertState::Crossed { .. }))
            .collect();
        let (read, priced) = tokio::join!(self.balances.read(), self.prices.read());
        let shown = texts::shown_prices(lang, &priced);
        let stored = match &read {
            Ok(_) => None,
            Err(e) if !stale_ok => return Err(BuildError::Unavailable(e.clone())),
            Err(e) => {
                tracing::warn!(chat_id = chat_id.0, error = %e, "OxaPay cannot be read for a report; using the newest stored balances");
                match self.store.newest_snapshot().await? {
                    Some(snap) => Some((Balances::new(snap.amounts.clone()), snap)),
                    None => {
                        let due_at = due.map_or(now, |(slot, _)| slot);
                        return Ok(Built {
                            text: texts::report_without_balances(lang, due_at, zone),
                            // Nothing shown: the next report compares with the last one shown.
                            baseline: previous.into_iter().collect(),
                        });
                    }
                }
            }
        };
        let (balances, figures) = match (&read, &stored) {
            (Ok(snap), _) => fresh(snap, PriceView::of(&shown)),
            (Err(_), Some((read, snap))) => (
                ReportBalances::Stored {
                    read,
                    at: snap.at,
                    total_usd: snap.total_usd,
                },
                report::figures(&snap.amounts, snap.total_usd),
            ),
            (Err(e), None) => return Err(BuildError::Unavailable(e.clone())),
        };
        let changes: Vec<FigureChange> = report::changes(&previous, &figures);
        let (payments, payouts) = self.feeds_since(previous_at, now).await?;
        let text = texts::report(&Report {
            lang,
            zone,
            due: due.map(|(slot, _)| slot),
            late_by: due.and_then(|(_, late)| late),
            balances,
            changes: &changes,
            previous_at,
            crossed: &crossed,
            payments: payments.as_ref(),
            payouts: payouts.as_ref(),
        });
        Ok(Built {
            text,
            baseline: figures,
        })
    }

    /// What the feeds that run did since the previous report.
    async fn feeds_since(
        &self,
        previous_at: Option<i64>,
        now: i64,
    ) -> sqlx::Result<(Option<Movement>, Option<Outflow>)> {
        let payments = match self.payments_on {
            true => Some(self.payments_since(previous_at, now).await?),
            false => None,
        };
        let payouts = match self.payouts_on {
            true => Some(self.payouts_since(previous_at, now).await?),
            false => None,
        };
        Ok((payments, payouts))
    }

    /// What payments did since the previous report (the last day for a first report).
    async fn payments_since(&self, previous_at: Option<i64>, now: i64) -> sqlx::Result<Movement> {
        let from = previous_at.unwrap_or(now - 86_400);
        let moved = self.store.payments_moved(from, now + 1).await?;
        Ok(sales::movement(moved.iter().map(|(p, statuses)| {
            (
                Sale {
                    status: &p.status,
                    amount: p.amount,
                    currency: p.currency.as_ref(),
                    usd: p.usd.map(|(v, _)| v),
                },
                statuses.as_slice(),
            )
        })))
    }

    /// What payouts did since the previous report (the last day for a first report).
    async fn payouts_since(&self, previous_at: Option<i64>, now: i64) -> sqlx::Result<Outflow> {
        let from = previous_at.unwrap_or(now - 86_400);
        let moved = self.store.payouts_moved(from, now + 1).await?;
        Ok(payouts::outflow(moved.iter().map(|(p, statuses)| Moved {
            statuses,
            amount: p.amount,
            currency: p.currency.as_ref(),
            usd: p.usd.map(|(v, _)| v),
        })))
    }
}
