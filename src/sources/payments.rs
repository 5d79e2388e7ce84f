//! Reading the payment list for one poll: the new payments from the cursor on (every page, oldest
//! first), the open payments again, and every tenth poll the last week's settled ones; each read
//! counted in the metrics. A failed read is never "no payments": what was read before it is
//! returned with the error, and the caller keeps its cursor where the reading stopped.

use std::collections::HashSet;
use std::time::Duration;

use tokio::time::Instant;

use super::poll_read::PollRead;
use crate::metrics::{Endpoint, Metrics};
use crate::oxapay::listing::{DEFAULT_MAX_ITEMS, ListQuery, Listing, ListingError};
use crate::oxapay::{OxaPayError, Payment, PaymentsClient, TrackId};
use crate::rules::payments::{
    OpenReread, OpenRow, left_the_listings, plan_open_reread, plan_settled_reread,
};

/// The payment list, as the feed reads it.
pub struct PaymentSource {
    client: PaymentsClient,
    metrics: Option<Metrics>,
}

impl PaymentSource {
    pub fn new(client: PaymentsClient, metrics: Option<Metrics>) -> Self {
        Self { client, metrics }
    }

    /// One poll's reads: payments created from `from` on, `open` payments due again, and (at
    /// every tenth `poll`) the settled ones of the last week.
    pub async fn poll(
        &self,
        from: i64,
        open: &[OpenRow],
        poll: u64,
        now: i64,
    ) -> PollRead<Payment> {
        let mut read = PollRead::of_listing(self.list(&ListQuery::since(from)).await);
        self.read_open_again(&mut read, open, now).await;
        if let Some(settled) = plan_settled_reread(poll, now) {
            for status in &settled.statuses {
                let query = ListQuery::since(settled.from_date).with_status(status.as_str());
                self.add_listing(&mut read, &query).await;
            }
        }
        read
    }

    /// The open payments due again: one by one when few, else one listing per status and the
    /// due ones no listing returned (they changed status) one by one.
    async fn read_open_again(&self, read: &mut PollRead<Payment>, open: &[OpenRow], now: i64) {
        let one_by_one = match plan_open_reread(open, now) {
            OpenReread::Nothing => return,
            OpenReread::OneByOne(ids) => ids,
            OpenReread::ByStatus {
                statuses,
                from_date,
                due,
                one_by_one,
            } => {
                let mut listed: HashSet<TrackId> = HashSet::new();
                for status in &statuses {
                    let query = ListQuery::since(from_date).with_status(status.as_str());
                    listed.extend(self.add_listing(read, &query).await);
                }
                let mut ids = one_by_one;
                ids.extend(left_the_listings(&due, &listed));
                ids
            }
        };
        for id in one_by_one {
            match self.one(&id).await {
                Ok(Some(p)) => read.add(vec![p]),
                Ok(None) => tracing::warn!(track_id = %id, "OxaPay no longer knows a payment"),
                Err(e) => read.failed(e),
            }
        }
    }

    /// Adds a listing's payments (what was read of it, when it failed); returns their ids.
    async fn add_listing(&self, read: &mut PollRead<Payment>, query: &ListQuery) -> Vec<TrackId> {
        let (items, error) = match self.list(query).await {
            Ok(listing) => (listing.items, None),
            Err(stopped) => (stopped.read.items, Some(stopped.error)),
        };
        let ids = items.iter().map(|p| p.track_id.clone()).collect();
        read.add(items);
        if let Some(e) = error {
            read.failed(e);
        }
        ids
    }

    /// A listing, every page up to the bound.
    ///
    /// # Errors
    /// A page failed: with the pages read before it.
    pub async fn list(&self, query: &ListQuery) -> Result<Listing<Payment>, ListingError<Payment>> {
        let started = Instant::now();
        let result = self.client.list(query, DEFAULT_MAX_ITEMS).await;
        self.count(
            result.as_ref().map(drop).map_err(|e| &e.error),
            started.elapsed(),
        );
        if let Ok(listing) = &result {
            if !listing.unreadable.is_empty() {
                tracing::warn!(
                    entries = listing.unreadable.len(),
                    "OxaPay listed payments without a usable track id; left out"
                );
            }
            if let Some(cut) = &listing.cut {
                tracing::warn!(
                    ?cut,
                    "the payment listing was cut at its bound; the rest is read next poll"
                );
            }
        }
        result
    }

    /// One payment by its track id; `None`: OxaPay does not know it.
    ///
    /// # Errors
    /// The read failed.
    pub async fn one(&self, track_id: &TrackId) -> Result<Option<Payment>, OxaPayError> {
        let started = Instant::now();
        let result = self.client.payment(track_id).await;
        self.count(result.as_ref().map(drop), started.elapsed());
        result
    }

    fn count(&self, result: Result<(), &OxaPayError>, took: Duration) {
        if let Some(m) = &self.metrics {
            m.oxapay_request(Endpoint::Payments, result, took);
        }
        if let Err(e) = result {
            tracing::warn!(error = %e, "OxaPay payment read failed");
        }
    }
}
