//! What one poll of a feed's list read (payments or payouts): the records in the order first
//! read, a later read of a record replacing the earlier copy in its place; the new listing's
//! creation times, for the cursor; whether that listing was read whole; and the first failure.
//! A failed read is never "nothing there": what was read before it stays, with the error.

use std::collections::HashMap;

use crate::oxapay::listing::{Listed, Listing, ListingError};
use crate::oxapay::{OxaPayError, TrackId};

#[derive(Debug)]
pub struct PollRead<T> {
    /// Every record read: the new listing first, then the reads again.
    pub items: Vec<T>,
    /// Where each track id stands in `items`.
    place: HashMap<TrackId, usize>,
    /// The new listing's creation times in the order listed, for the cursor.
    pub listed_created: Vec<Option<i64>>,
    /// Every page of the new listing was read.
    pub complete: bool,
    /// The first read that failed; the others were still tried.
    pub error: Option<OxaPayError>,
}

impl<T> Default for PollRead<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            place: HashMap::new(),
            listed_created: Vec::new(),
            complete: false,
            error: None,
        }
    }
}

impl<T: Listed> PollRead<T> {
    /// The reading of the new listing (from the cursor on): whole, cut at its bound, or stopped
    /// by a failed page with the pages before it.
    pub fn of_listing(result: Result<Listing<T>, ListingError<T>>) -> Self {
        let mut read = Self::default();
        let items = match result {
            Ok(listing) => {
                read.complete = listing.cut.is_none();
                listing.items
            }
            Err(stopped) => {
                read.failed(stopped.error);
                stopped.read.items
            }
        };
        read.listed_created = items.iter().map(Listed::created_at).collect();
        read.add(items);
        read
    }

    /// Adds `more` reads; a record read twice keeps its first place and takes the later copy.
    pub fn add(&mut self, more: Vec<T>) {
        for item in more {
            match self.place.get(item.track_id()) {
                Some(&at) => self.items[at] = item,
                None => {
                    self.place.insert(item.track_id().clone(), self.items.len());
                    self.items.push(item);
                }
            }
        }
    }

    /// Whether `track_id` was read this poll.
    pub fn has(&self, track_id: &TrackId) -> bool {
        self.place.contains_key(track_id)
    }

    /// Keeps the first failure (the later ones are logged where they happen).
    pub fn failed(&mut self, e: OxaPayError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxapay::listing::Cut;

    #[derive(Debug, Clone, PartialEq)]
    struct Item(TrackId, i64);

    impl Listed for Item {
        fn track_id(&self) -> &TrackId {
            &self.0
        }

        fn created_at(&self) -> Option<i64> {
            Some(self.1)
        }
    }

    fn item(id: &str, at: i64) -> Item {
        Item(TrackId::new(id).unwrap(), at)
    }

    #[test]
    fn a_record_read_twice_keeps_its_place_and_takes_the_later_copy() {
        let listing = Listing {
            items: vec![item("a", 1), item("b", 2)],
            ..Listing::default()
        };
        let mut read = PollRead::of_listing(Ok(listing));
        assert!(read.complete);
        assert_eq!(read.listed_created, [Some(1), Some(2)]);
        read.add(vec![item("c", 3), item("a", 9)]);
        assert_eq!(read.items, [item("a", 9), item("b", 2), item("c", 3)]);
        assert!(read.has(&TrackId::new("c").unwrap()));
        assert!(!read.has(&TrackId::new("d").unwrap()));
    }

    #[test]
    fn a_cut_listing_is_not_complete_and_the_first_failure_is_kept() {
        let listing = Listing {
            items: vec![item("a", 1)],
            cut: Some(Cut::PageCap {
                last_page: Some(500),
                cap: 100,
            }),
            ..Listing::default()
        };
        let mut read = PollRead::of_listing(Ok(listing));
        assert!(!read.complete);
        read.failed(OxaPayError::BadBody("first".into()));
        read.failed(OxaPayError::BadBody("second".into()));
        assert!(matches!(&read.error, Some(OxaPayError::BadBody(m)) if m == "first"));
    }
}
