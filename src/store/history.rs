//! The balance history: snapshots of every currency's amount (and the account's total in USD when
//! it was known), their series for charts and reports, and retention.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::pool::{Store, json};
use crate::money::{Currency, Usd};
use crate::oxapay::Balances;
use crate::rules::domain::Subject;

/// The newest stored snapshot, for a report when OxaPay cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSnapshot {
    pub at: i64,
    pub amounts: BTreeMap<Currency, Decimal>,
    pub total_usd: Option<Usd>,
}

/// Amounts are stored as exact decimal text; a row that does not read back (edited by hand, say)
/// is left out and logged, never read as zero.
fn decimal(text: &str, what: &str) -> Option<Decimal> {
    match Decimal::from_str(text) {
        Ok(d) => Some(d),
        Err(_) => {
            tracing::error!(what, value = %text, "unreadable amount in the history; left out");
            None
        }
    }
}

impl Store {
    /// When the newest snapshot was taken.
    pub async fn last_snapshot_at(&self) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT MAX(at) FROM snapshots")
            .fetch_one(&self.pool)
            .await
    }

    /// When recording started (the oldest snapshot kept).
    pub async fn first_snapshot_at(&self) -> sqlx::Result<Option<i64>> {
        sqlx::query_scalar("SELECT MIN(at) FROM snapshots")
            .fetch_one(&self.pool)
            .await
    }

    /// Records one balance read (every readable amount, zeros included) and its total, in one
    /// transaction. A snapshot at the same second is kept once.
    pub async fn record_snapshot(
        &self,
        at: i64,
        read: &Balances,
        total_usd: Option<Usd>,
    ) -> sqlx::Result<()> {
        let rows: Vec<(&str, String)> = read
            .amounts
            .iter()
            .map(|(cur, amount)| (cur.as_str(), amount.to_string()))
            .collect();
        let mut tx = self.write().await?;
        let added = sqlx::query("INSERT OR IGNORE INTO snapshots (at, total_usd) VALUES (?1, ?2)")
            .bind(at)
            .bind(total_usd.map(|t| t.amount().to_string()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if added == 1 {
            sqlx::query(
                "INSERT OR IGNORE INTO history (currency, at, amount)
                 SELECT value ->> 0, ?2, value ->> 1 FROM json_each(?1)",
            )
            .bind(json(&rows))
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// A subject's recorded values from `from` to `to` (inclusive), oldest first: a currency's
    /// amounts, or the total USD value where it was known.
    pub async fn series(
        &self,
        subject: &Subject,
        from: i64,
        to: i64,
    ) -> sqlx::Result<Vec<(i64, Decimal)>> {
        let query = match subject {
            Subject::Coin(c) => sqlx::query_as(
                "SELECT at, amount FROM history WHERE currency = ?3 AND at BETWEEN ?1 AND ?2
                 ORDER BY at",
            )
            .bind(from)
            .bind(to)
            .bind(c.as_str()),
            Subject::Total => sqlx::query_as(
                "SELECT at, total_usd FROM snapshots
                 WHERE at BETWEEN ?1 AND ?2 AND total_usd IS NOT NULL ORDER BY at",
            )
            .bind(from)
            .bind(to),
        };
        let rows: Vec<(i64, String)> = query.fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(at, a)| decimal(&a, subject.key()).map(|d| (at, d)))
            .collect())
    }

    /// The newest snapshot with every amount it holds.
    pub async fn newest_snapshot(&self) -> sqlx::Result<Option<StoredSnapshot>> {
        let Some((at, total)): Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT at, total_usd FROM snapshots ORDER BY at DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT currency, amount FROM history WHERE at = ?1")
                .bind(at)
                .fetch_all(&self.pool)
                .await?;
        Ok(Some(StoredSnapshot {
            at,
            amounts: rows
                .into_iter()
                .filter_map(|(c, a)| {
                    let currency = Currency::from_api(&c)?;
                    decimal(&a, "amount").map(|d| (currency, d))
                })
                .collect(),
            total_usd: total.and_then(|t| decimal(&t, "total")).map(Usd::new),
        }))
    }

    /// Every snapshot time, oldest first (a year at the default interval is about 3,000).
    pub async fn snapshot_times(&self) -> sqlx::Result<Vec<i64>> {
        sqlx::query_scalar("SELECT at FROM snapshots ORDER BY at")
            .fetch_all(&self.pool)
            .await
    }

    /// Drops whole snapshots (every currency's row and the total), in one transaction.
    pub async fn drop_snapshots(&self, times: &[i64]) -> sqlx::Result<u64> {
        if times.is_empty() {
            return Ok(0);
        }
        let times = json(&times);
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM history WHERE at IN (SELECT value FROM json_each(?1))")
            .bind(&times)
            .execute(&mut *tx)
            .await?;
        let dropped =
            sqlx::query("DELETE FROM snapshots WHERE at IN (SELECT value FROM json_each(?1))")
                .bind(&times)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        Ok(dropped)
    }
}
