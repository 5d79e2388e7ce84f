//! Reading the payout list for one poll: the new payouts from the cursor on (every page, oldest
//! first) and the open payouts again, one by one; each read counted in the metrics. A failed read
//! is never "no payouts": what was read before it comes back with the error.

use std::time::Duration;

use tokio::time::Instant;

use super::poll_read::PollRead;
use crate::metrics::{Endpoint, Metrics};
use crate::oxapay::listing::{DEFAULT_MAX_ITEMS, ListQuery, Listing, ListingError};
use crate::oxapay::{OxaPayError, Payout, PayoutsClient, TrackId};
use crate::rules::payouts::watch;
use crate::store::OpenPayout;

/// Open payouts read one by one at most; more are left for the next polls.
const ONE_BY_ONE_MAX: usize = 50;

/// The payout list, as the feed reads it.
pub struct PayoutSource {
    client: PayoutsClient,
    metrics: Option<Metrics>,
}

impl PayoutSource {
    pub fn new(client: PayoutsClient, metrics: Option<Metrics>) -> Self {
        Self { client, metrics }
    }

    /// One poll's reads: payouts created from `from` on, and the `open` ones still watched,
    /// oldest first (those the listing already returned are not read twice).
    pub async fn poll(&self, from: i64, open: &[OpenPayout], now: i64) -> PollRead<Payout> {
        let mut read = PollRead::of_listing(self.list(&ListQuery::since(from)).await);
        let mut due: Vec<&OpenPayout> = open
            .iter()
            .filter(|o| watch(&o.status, o.open_since, now))
            .filter(|o| !read.has(&o.track_id))
            .collect();
        due.sort_by_key(|o| o.open_since);
        for o in due.into_iter().take(ONE_BY_ONE_MAX) {
            match self.one(&o.track_id).await {
                Ok(Some(p)) => read.add(vec![p]),
                Ok(None) => {
                    tracing::warn!(track_id = %o.track_id, "OxaPay no longer knows a payout")
                }
                Err(e) => read.failed(e),
            }
        }
        read
    }

    /// A listing, every page up to the bound.
    ///
    /// # Errors
    /// A page failed: with the pages read before it.
    pub async fn list(&self, query: &ListQuery) -> Result<Listing<Payout>, ListingError<Payout>> {
        let started = Instant::now();
        let result = self.client.list(query, DEFAULT_MAX_ITEMS).await;
        self.count(
            result.as_ref().map(drop).map_err(|e| &e.error),
            started.elapsed(),
        );
        result
    }

    /// One payout by its track id; `None`: OxaPay does not know it.
    ///
    /// # Errors
    /// The read failed.
    pub async fn one(&self, track_id: &TrackId) -> Result<Option<Payout>, OxaPayError> {
        let started = Instant::now();
        let result = self.client.payout(track_id).await;
        self.count(result.as_ref().map(drop), started.elapsed());
        result
    }

    fn count(&self, result: Result<(), &OxaPayError>, took: Duration) {
        if let Some(m) = &self.metrics {
            m.oxapay_request(Endpoint::Payouts, result, took);
        }
        if let Err(e) = result {
            tracing::warn!(error = %e, "OxaPay payout read failed");
        }
    }
}
