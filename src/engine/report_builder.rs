//! Builds one chat's balance report from the shared balance and price sources and the store: the
//! same content for a scheduled slot and for `/report now`.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::TimeDelta;
use rust_decimal::Decimal;

use crate::oxapay::{Balances, OxaPayError};
use crate::rules::alerts::{AlertState, Threshold};
use crate::rules::domain::{ChatId, Subject};
use crate::rules::report::{self, FigureChange};
use crate::rules::valuation;
use crate::sources::balances::BalanceSource;
use crate::sources::prices::PriceSource;
use crate::store::Store;
use crate::texts::{self, Lang, PriceView, Report, ReportBalances};

/// The sources a report is built from.
#[derive(Clone)]
pub struct ReportSources {
    pub store: Store,
    pub balances: Arc<BalanceSource>,
    pub prices: Arc<PriceSource>,
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
        let stored;
        let shown = texts::shown_prices(lang, &priced);
        let (balances, figures): (ReportBalances, Vec<(Subject, Decimal)>) = match &read {
            Ok(snap) => {
                let prices = PriceView::of(&shown);
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
            Err(e) if !stale_ok => return Err(BuildError::Unavailable(e.clone())),
            Err(e) => {
                tracing::warn!(chat_id = chat_id.0, error = %e, "OxaPay cannot be read for a report; using the newest stored balances");
                match self.store.newest_snapshot().await? {
                    Some(snap) => {
                        stored = (Balances::new(snap.amounts.clone()), snap);
                        (
                            ReportBalances::Stored {
                                read: &stored.0,
                                at: stored.1.at,
                                total_usd: stored.1.total_usd,
                            },
                            report::figures(&stored.1.amounts, stored.1.total_usd),
                        )
                    }
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
        let changes: Vec<FigureChange> = report::changes(&previous, &figures);
        let text = texts::report(&Report {
            lang,
            zone,
            due: due.map(|(slot, _)| slot),
            late_by: due.and_then(|(_, late)| late),
            balances,
            changes: &changes,
            previous_at,
            crossed: &crossed,
        });
        Ok(Built {
            text,
            baseline: figures,
        })
    }
}
