//! What the history endpoints share (`GET /v1/payment` with the merchant key, `GET /v1/payout`
//! with the payout key): the filters of a listing, one page of it (`data.list` and `data.meta`),
//! reading every page up to `meta.last_page` within a bound, one record by track id, and the
//! keyed GET with the v1 envelope checked.
//!
//! A listing never hides a failure: a page that cannot be read ends the listing with an error that
//! carries what was read before it, so a caller keeping a cursor does not move it past pages it
//! never saw. A record that cannot be read whole is kept with what could be read (the record's own
//! `problems`); one without a track id cannot be kept and is reported in `unreadable`.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{KeyKind, OxaPayError, http, v1};
use crate::telemetry::preview;

/// The largest page OxaPay serves (`size` 1–200).
pub const MAX_PAGE_SIZE: u16 = 200;

/// The most records one listing reads before it stops and says so: 100 pages of 200. A first
/// start's backfill of 10,000 payments fits; a `meta.last_page` of a million does not make the
/// bot read forever.
pub const DEFAULT_MAX_ITEMS: usize = 20_000;

/// The longest track id accepted (OxaPay's are short digit strings).
pub const MAX_TRACK_ID_CHARS: usize = 100;

/// A payment's or payout's track id as OxaPay gives it. Any printable text (an id holding `<` or
/// `&` is kept as it is: escaping is the job of whatever shows it), never empty, never a control
/// character, at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackId(String);

/// Why a text is not a track id. `Display` is the sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackIdError {
    #[error("a track id is missing")]
    Empty,
    #[error("a track id is at most {MAX_TRACK_ID_CHARS} characters")]
    TooLong,
    #[error("a track id holds no control characters")]
    ControlCharacter,
}

impl TrackId {
    /// The id in `text` (spaces around it dropped).
    ///
    /// # Errors
    /// Empty, longer than 100 characters, or holding a control character.
    pub fn new(text: &str) -> Result<Self, TrackIdError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(TrackIdError::Empty);
        }
        if t.chars().count() > MAX_TRACK_ID_CHARS {
            return Err(TrackIdError::TooLong);
        }
        if t.chars().any(char::is_control) {
            return Err(TrackIdError::ControlCharacter);
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A page size OxaPay accepts: 1 to 200.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize(u16);

impl PageSize {
    pub const MAX: PageSize = PageSize(MAX_PAGE_SIZE);

    /// `None` outside 1–200 (OxaPay answers 400 to a larger size).
    pub fn new(size: u16) -> Option<Self> {
        (1..=MAX_PAGE_SIZE).contains(&size).then_some(Self(size))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// What a listing is ordered by (`sort_by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    CreateDate,
    PayDate,
    Amount,
}

/// Which way (`sort_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortType {
    Asc,
    Desc,
}

/// The filters of one listing. The default is what a feed reads: every record, oldest first by
/// creation, 200 a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// One status name as OxaPay spells it (`paid`, `processing`…).
    pub status: Option<String>,
    /// Unix seconds, inclusive bounds.
    pub from_date: Option<i64>,
    pub to_date: Option<i64>,
    pub sort_by: SortBy,
    pub sort_type: SortType,
    pub size: PageSize,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            status: None,
            from_date: None,
            to_date: None,
            sort_by: SortBy::CreateDate,
            sort_type: SortType::Asc,
            size: PageSize::MAX,
        }
    }
}

impl ListQuery {
    /// Records created from `from_date` on, oldest first, 200 a page.
    pub fn since(from_date: i64) -> Self {
        Self {
            from_date: Some(from_date),
            ..Self::default()
        }
    }

    /// The same query limited to one status.
    pub fn with_status(mut self, status: &str) -> Self {
        self.status = Some(status.to_owned());
        self
    }

    /// The query string's pairs for `page`, in a fixed order.
    pub fn pairs(&self, page: u32) -> Vec<(&'static str, String)> {
        let mut out = Vec::with_capacity(7);
        if let Some(status) = &self.status {
            out.push(("status", status.clone()));
        }
        if let Some(from) = self.from_date {
            out.push(("from_date", from.to_string()));
        }
        if let Some(to) = self.to_date {
            out.push(("to_date", to.to_string()));
        }
        let sort_by = match self.sort_by {
            SortBy::CreateDate => "create_date",
            SortBy::PayDate => "pay_date",
            SortBy::Amount => "amount",
        };
        let sort_type = match self.sort_type {
            SortType::Asc => "asc",
            SortType::Desc => "desc",
        };
        out.push(("sort_by", sort_by.into()));
        out.push(("sort_type", sort_type.into()));
        out.push(("page", page.to_string()));
        out.push(("size", self.size.get().to_string()));
        out
    }
}

/// `data.meta` as OxaPay sent it; each part may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Meta {
    pub page: Option<u32>,
    pub last_page: Option<u32>,
    pub total: Option<u64>,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// Records in the order OxaPay listed them.
    pub items: Vec<T>,
    /// Entries that could not be kept (no track id, not an object), each as a short reason.
    pub unreadable: Vec<String>,
    /// `None` when the answer had no `meta`.
    pub meta: Option<Meta>,
}

impl<T> Page<T> {
    /// Entries on the page, readable or not.
    pub fn entries(&self) -> usize {
        self.items.len() + self.unreadable.len()
    }
}

/// A record that has a track id, so a listing can tell a record seen twice, and a creation
/// time, so a feed can move its cursor past it.
pub trait Listed {
    fn track_id(&self) -> &TrackId;
    /// When OxaPay created it (Unix seconds), if it said.
    fn created_at(&self) -> Option<i64>;
}

/// Why a listing ended before its last page although every page read was fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cut {
    /// `meta.last_page` (if OxaPay sent one) is beyond what one listing may read.
    PageCap { last_page: Option<u32>, cap: u32 },
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cut::PageCap {
                last_page: Some(last),
                cap,
            } => write!(
                f,
                "OxaPay reported {last} pages; read the first {cap}, the bound for one listing"
            ),
            Cut::PageCap {
                last_page: None,
                cap,
            } => write!(
                f,
                "OxaPay sent no last page and every page was full; stopped at {cap} pages, the \
                 bound for one listing"
            ),
        }
    }
}

/// A listing read page by page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// Each record once, in the order first listed; a record listed again (the listing shifted
    /// while it was paged) keeps its first place and takes the later copy's content.
    pub items: Vec<T>,
    /// Entries that could not be kept, from every page read.
    pub unreadable: Vec<String>,
    /// Pages read (1 up to this one).
    pub pages_read: u32,
    /// Records listed more than once.
    pub duplicates: usize,
    /// Pages answered without `meta`: the listing then went on while pages came back full.
    pub pages_without_meta: u32,
    /// `Some` when the bound stopped the listing before its end: the rest was not read.
    pub cut: Option<Cut>,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            unreadable: Vec::new(),
            pages_read: 0,
            duplicates: 0,
            pages_without_meta: 0,
            cut: None,
        }
    }
}

impl<T> Listing<T> {
    /// Every page of the listing was read.
    pub fn is_complete(&self) -> bool {
        self.cut.is_none()
    }
}

/// A listing that stopped at a page it could not read. `Debug` counts what was read rather than
/// listing it.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("page {failed_page} of the listing could not be read ({error}); {} pages read before it", read.pages_read)]
pub struct ListingError<T> {
    pub error: OxaPayError,
    /// The page that failed; every page before it was read.
    pub failed_page: u32,
    /// What the pages before it held.
    pub read: Listing<T>,
}

impl<T> std::fmt::Debug for ListingError<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListingError")
            .field("error", &self.error)
            .field("failed_page", &self.failed_page)
            .field("pages_read", &self.read.pages_read)
            .field("items_read", &self.read.items.len())
            .field("unreadable", &self.read.unreadable.len())
            .finish()
    }
}

/// Reads pages 1, 2, … through `fetch` until the last one, a failed one, or the bound of
/// `max_items` records (at least one page). The last page is `meta.last_page` when OxaPay sends
/// one; without it, the listing goes on while pages come back full (`size` entries) and ends at
/// the first short one. An empty page is the end either way.
///
/// # Errors
/// The first page that could not be read, with every page before it.
pub async fn read_pages<T, F, Fut>(
    size: PageSize,
    max_items: usize,
    mut fetch: F,
) -> Result<Listing<T>, ListingError<T>>
where
    T: Listed,
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<Page<T>, OxaPayError>>,
{
    let cap = u32::try_from((max_items / usize::from(size.get())).max(1)).unwrap_or(u32::MAX);
    let mut out = Listing::default();
    let mut places: HashMap<TrackId, usize> = HashMap::new();
    let mut page = 1;
    loop {
        let got = match fetch(page).await {
            Ok(got) => got,
            Err(error) => {
                return Err(ListingError {
                    error,
                    failed_page: page,
                    read: out,
                });
            }
        };
        out.pages_read = page;
        let got_entries = got.entries();
        let full = got_entries >= usize::from(size.get());
        let last_page = got.meta.and_then(|m| m.last_page);
        if got.meta.is_none() {
            out.pages_without_meta += 1;
        }
        out.unreadable.extend(got.unreadable);
        for item in got.items {
            match places.get(item.track_id()) {
                Some(&at) => {
                    out.duplicates += 1;
                    out.items[at] = item;
                }
                None => {
                    places.insert(item.track_id().clone(), out.items.len());
                    out.items.push(item);
                }
            }
        }
        // An empty page ends the listing whatever `last_page` claims: every later page is empty.
        let more = got_entries > 0
            && match last_page {
                Some(last) => page < last,
                None => full,
            };
        if !more {
            return Ok(out);
        }
        if page >= cap {
            out.cut = Some(Cut::PageCap { last_page, cap });
            return Ok(out);
        }
        page += 1;
    }
}

/// Turns one record's JSON into a record, or says why it cannot be kept at all.
pub(crate) type ParseItem<T> = fn(&RawValue) -> Result<T, String>;

/// A client for one history endpoint: `{base}/{path}` for the listing, `{base}/{path}/{id}` for
/// one record, the key in its header. `Debug` shows no key.
#[derive(Clone)]
pub(crate) struct History<T> {
    http: reqwest::Client,
    list: Url,
    key: SecretString,
    kind: KeyKind,
    timeout: Duration,
    parse: ParseItem<T>,
    what: &'static str,
}

impl<T> std::fmt::Debug for History<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("endpoint", &self.list.as_str())
            .field("key", &self.kind)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<T: Listed> History<T> {
    /// # Errors
    /// The key holds characters an HTTP header cannot carry (the key is not echoed).
    pub fn new(
        base: &Url,
        path: &str,
        key: SecretString,
        kind: KeyKind,
        timeout: Duration,
        parse: ParseItem<T>,
        what: &'static str,
    ) -> anyhow::Result<Self> {
        if HeaderValue::from_str(key.expose_secret()).is_err() {
            anyhow::bail!(
                "{} holds characters an HTTP header cannot carry: paste the key exactly as OxaPay \
                 shows it",
                kind.env_var()
            );
        }
        Ok(Self {
            http: http::client(timeout)?,
            list: http::endpoint(base, path)?,
            key,
            kind,
            timeout,
            parse,
            what,
        })
    }

    /// One page (numbered from 1) of the listing `query` describes.
    pub async fn page(&self, query: &ListQuery, page: u32) -> Result<Page<T>, OxaPayError> {
        let mut url = self.list.clone();
        url.query_pairs_mut()
            .extend_pairs(query.pairs(page.max(1)))
            .finish();
        self.get(url, |a| {
            parse_page(a.status, a.retry_after, &a.body, self.parse)
        })
        .await
    }

    /// Every page of `query`, within `max_items` records (see [`read_pages`]).
    pub async fn list(
        &self,
        query: &ListQuery,
        max_items: usize,
    ) -> Result<Listing<T>, ListingError<T>> {
        read_pages(query.size, max_items, |page| self.page(query, page)).await
    }

    /// One record by track id; `None` when OxaPay answers that it knows no such record (a v1
    /// answer saying 404; a 404 page that is not OxaPay's answer is an error).
    pub async fn one(&self, track_id: &TrackId) -> Result<Option<T>, OxaPayError> {
        let mut url = self.list.clone();
        url.path_segments_mut()
            .map_err(|()| OxaPayError::BadBody("the base URL cannot take a path".into()))?
            .push(track_id.as_str());
        self.get(url, |a| {
            parse_one(a.status, a.retry_after, &a.body, self.parse)
        })
        .await
    }

    /// GETs `url` with the key and reads the answer with `parse`, within the timeout; a
    /// transport failure or a 5xx answer is tried once more.
    async fn get<R>(
        &self,
        url: Url,
        parse: impl Fn(&http::Answer) -> Result<R, OxaPayError>,
    ) -> Result<R, OxaPayError> {
        http::with_one_retry(self.timeout, self.what, || async {
            let key = self.key.expose_secret();
            let mut header = HeaderValue::from_str(key)
                .map_err(|_| OxaPayError::BadBody("the key cannot be sent as a header".into()))?;
            // Kept out of reqwest's and hyper's debug output, and never indexed by proxies.
            header.set_sensitive(true);
            let request = self
                .http
                .get(url.clone())
                .header(HeaderName::from_static(self.kind.header()), header);
            // An answer that echoes the key must not carry it into logs or chats.
            let answer = http::send(request).await?.without_secret(key);
            parse(&answer)
        })
        .await
        .map_err(|e| key_refused(e, self.kind))
    }
}

/// A 401 to a merchant or payout key call is that key refused, named as such.
fn key_refused(e: OxaPayError, kind: KeyKind) -> OxaPayError {
    match e {
        OxaPayError::Refused {
            status: 401,
            kind: detail,
            message,
            ..
        } if kind != KeyKind::General => OxaPayError::KeyRefused {
            key: kind,
            kind: detail,
            message,
        },
        other => other,
    }
}

#[derive(Deserialize)]
struct ListData<'a> {
    #[serde(borrow, default)]
    list: Option<&'a RawValue>,
    #[serde(borrow, default)]
    meta: Option<&'a RawValue>,
}

/// A listing answer as a page: the v1 envelope checked, then `data.list` read entry by entry.
/// `data` may also be the list itself (no meta).
pub(crate) fn parse_page<T>(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
    parse: ParseItem<T>,
) -> Result<Page<T>, OxaPayError> {
    let data = v1::parse_envelope(status, retry_after, body)?;
    let (list, meta) = if data.get().trim_start().starts_with('[') {
        (data, None)
    } else {
        let d: ListData = serde_json::from_str(data.get())
            .map_err(|e| OxaPayError::BadBody(format!("data is not a listing: {e}")))?;
        let list = d
            .list
            .ok_or_else(|| OxaPayError::BadBody("data has no list".into()))?;
        (list, d.meta)
    };
    let entries: Vec<&RawValue> = serde_json::from_str(list.get()).map_err(|_| {
        OxaPayError::BadBody(format!("list is {}, not a list", preview(list.get())))
    })?;
    let mut page = Page {
        items: Vec::with_capacity(entries.len()),
        unreadable: Vec::new(),
        meta: meta.and_then(read_meta),
    };
    for (at, entry) in entries.into_iter().enumerate() {
        match parse(entry) {
            Ok(item) => page.items.push(item),
            Err(why) => page.unreadable.push(format!("entry {}: {why}", at + 1)),
        }
    }
    Ok(page)
}

/// `meta` with each part read on its own (numbers or numeric strings); `None` when it is not an
/// object (`null`, a string…), as if absent.
fn read_meta(raw: &RawValue) -> Option<Meta> {
    let map: HashMap<String, serde_json::Value> = serde_json::from_str(raw.get()).ok()?;
    let number = |name: &str| -> Option<u64> {
        match map.get(name)? {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let small = |name: &str| number(name).and_then(|n| u32::try_from(n).ok());
    Some(Meta {
        page: small("page"),
        last_page: small("last_page"),
        total: number("total"),
    })
}

/// One record's answer: the record, `None` for OxaPay's "not found", or why it is neither.
pub(crate) fn parse_one<T>(
    status: u16,
    retry_after: Option<u64>,
    body: &[u8],
    parse: ParseItem<T>,
) -> Result<Option<T>, OxaPayError> {
    match v1::parse_envelope(status, retry_after, body) {
        Ok(data) => parse(data).map(Some).map_err(OxaPayError::BadBody),
        Err(OxaPayError::Refused { status: 404, .. }) if is_envelope(body) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The body is a v1 envelope (a JSON object with a `status`), not a page from something in front
/// of OxaPay.
fn is_envelope(body: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe<'a> {
        #[serde(borrow)]
        status: Option<&'a RawValue>,
    }
    serde_json::from_slice::<Probe>(body).is_ok_and(|p| p.status.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cell::RefCell;

    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Item(TrackId, u32);

    impl Listed for Item {
        fn track_id(&self) -> &TrackId {
            &self.0
        }

        fn created_at(&self) -> Option<i64> {
            Some(i64::from(self.1))
        }
    }

    fn item(id: &str, version: u32) -> Item {
        Item(TrackId::new(id).unwrap(), version)
    }

    fn page(ids: &[&str], meta: Option<(u32, u32)>) -> Page<Item> {
        Page {
            items: ids.iter().map(|id| item(id, 0)).collect(),
            unreadable: vec![],
            meta: meta.map(|(page, last)| Meta {
                page: Some(page),
                last_page: Some(last),
                total: None,
            }),
        }
    }

    fn size(n: u16) -> PageSize {
        PageSize::new(n).unwrap()
    }

    /// Runs `read_pages` over scripted pages (index 0 = page 1), recording the pages asked for.
    fn run(
        size: PageSize,
        max: usize,
        pages: Vec<Result<Page<Item>, OxaPayError>>,
    ) -> (Result<Listing<Item>, ListingError<Item>>, Vec<u32>) {
        let asked = RefCell::new(Vec::new());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let result = runtime.block_on(read_pages(size, max, |n| {
            asked.borrow_mut().push(n);
            let reply = pages
                .get(n as usize - 1)
                .cloned()
                .unwrap_or_else(|| Ok(page(&[], None)));
            async move { reply }
        }));
        (result, asked.into_inner())
    }

    #[test]
    fn reads_up_to_the_last_page() {
        let (got, asked) = run(
            size(2),
            100,
            vec![
                Ok(page(&["a", "b"], Some((1, 3)))),
                Ok(page(&["c", "d"], Some((2, 3)))),
                Ok(page(&["e"], Some((3, 3)))),
            ],
        );
        let got = got.unwrap();
        assert_eq!(asked, [1, 2, 3]);
        let ids: Vec<&str> = got.items.iter().map(|i| i.0.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        assert!(got.is_complete());
        assert_eq!(got.pages_read, 3);
    }

    #[test]
    fn a_failed_page_ends_the_listing_with_what_came_before() {
        let refused = OxaPayError::Status {
            status: 502,
            retry_after: None,
        };
        let (got, asked) = run(
            size(2),
            100,
            vec![
                Ok(page(&["a", "b"], Some((1, 3)))),
                Err(refused.clone()),
                Ok(page(&["e"], Some((3, 3)))),
            ],
        );
        assert_eq!(asked, [1, 2], "no page is read past a failed one");
        let e = got.unwrap_err();
        assert_eq!(e.error, refused);
        assert_eq!(e.failed_page, 2);
        assert_eq!(e.read.pages_read, 1);
        assert_eq!(e.read.items.len(), 2);
        assert!(e.to_string().contains("page 2"), "{e}");
    }

    #[test]
    fn a_record_listed_twice_is_kept_once_with_its_later_content() {
        let mut second = page(&["b", "c"], Some((2, 2)));
        second.items[0].1 = 7;
        let (got, _) = run(
            size(2),
            100,
            vec![Ok(page(&["a", "b"], Some((1, 2)))), Ok(second)],
        );
        let got = got.unwrap();
        assert_eq!(got.items, [item("a", 0), item("b", 7), item("c", 0)]);
        assert_eq!(got.duplicates, 1);
    }

    #[test]
    fn without_meta_full_pages_lead_on_and_a_short_one_ends() {
        let (got, asked) = run(
            size(2),
            100,
            vec![
                Ok(page(&["a", "b"], None)),
                Ok(page(&["c", "d"], None)),
                Ok(page(&["e"], None)),
            ],
        );
        let got = got.unwrap();
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(got.items.len(), 5);
        assert_eq!(got.pages_without_meta, 3);
        assert!(got.is_complete());
    }

    #[test]
    fn an_empty_page_ends_the_listing_whatever_last_page_claims() {
        let (got, asked) = run(
            size(2),
            100,
            vec![
                Ok(page(&["a", "b"], Some((1, 1_000_000)))),
                Ok(page(&[], Some((2, 1_000_000)))),
                Ok(page(&["never"], Some((3, 1_000_000)))),
            ],
        );
        assert_eq!(asked, [1, 2]);
        assert!(got.unwrap().is_complete());
    }

    #[test]
    fn an_absurd_last_page_is_bounded_and_said() {
        let pages = (1..=10)
            .map(|n| {
                let ids = [format!("{n}a"), format!("{n}b")];
                Ok(Page {
                    items: ids.iter().map(|id| item(id, 0)).collect(),
                    unreadable: vec![],
                    meta: Some(Meta {
                        page: Some(n),
                        last_page: Some(4_000_000_000),
                        total: None,
                    }),
                })
            })
            .collect();
        let (got, asked) = run(size(2), 6, pages);
        let got = got.unwrap();
        assert_eq!(asked, [1, 2, 3]);
        assert_eq!(
            got.cut,
            Some(Cut::PageCap {
                last_page: Some(4_000_000_000),
                cap: 3
            })
        );
        assert!(
            got.cut
                .as_ref()
                .unwrap()
                .to_string()
                .contains("4000000000 pages")
        );
        // Without meta and pages always full, the same bound holds.
        let pages = (0..10).map(|_| Ok(page(&["x", "y"], None))).collect();
        let (got, asked) = run(size(2), 6, pages);
        assert_eq!(asked, [1, 2, 3]);
        assert!(matches!(
            got.unwrap().cut,
            Some(Cut::PageCap {
                last_page: None,
                cap: 3
            })
        ));
        // A bound below one page still reads one page.
        let (got, asked) = run(size(200), 5, vec![Ok(page(&["x"], Some((1, 9))))]);
        assert_eq!(asked, [1]);
        assert!(got.unwrap().cut.is_some());
    }

    proptest! {
        /// Whatever the pages say, the listing asks pages in order from 1, never past the bound
        /// or a failure, keeps each id once, and reports a failure with what came before it.
        #[test]
        fn paging_is_bounded_and_loses_nothing_read(
            page_size in 1u16..5,
            max in 1usize..40,
            script in prop::collection::vec(
                (prop::collection::vec(0u8..12, 0..5), prop::option::of(0u32..20), any::<bool>()),
                1..12,
            ),
        ) {
            let pages: Vec<Result<Page<Item>, OxaPayError>> = script
                .iter()
                .enumerate()
                .map(|(i, (ids, last, fail))| {
                    if *fail {
                        return Err(OxaPayError::Timeout(Duration::from_secs(1)));
                    }
                    let ids: Vec<String> = ids.iter().map(|n| format!("id{n}")).collect();
                    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                    Ok(page(&refs, last.map(|l| (i as u32 + 1, l))))
                })
                .collect();
            let (got, asked) = run(size(page_size), max, pages.clone());
            let cap = (max / usize::from(page_size)).max(1);
            prop_assert!(asked.len() <= cap);
            prop_assert_eq!(&asked, &(1..=asked.len() as u32).collect::<Vec<_>>());
            let (listing, failed) = match got {
                Ok(l) => (l, None),
                Err(e) => (e.read, Some(e.failed_page)),
            };
            if let Some(failed) = failed {
                prop_assert_eq!(failed as usize, asked.len());
                prop_assert!(pages[failed as usize - 1].is_err());
            }
            let mut wanted: Vec<String> = Vec::new();
            for p in pages.iter().take(listing.pages_read as usize) {
                for it in &p.as_ref().unwrap().items {
                    if !wanted.contains(&it.0.0) {
                        wanted.push(it.0.0.clone());
                    }
                }
            }
            let got_ids: Vec<String> = listing.items.iter().map(|i| i.0.0.clone()).collect();
            prop_assert_eq!(got_ids, wanted);
        }
    }

    #[test]
    fn query_pairs_are_the_documented_names() {
        let q = ListQuery {
            to_date: Some(20),
            ..ListQuery::since(10).with_status("paid")
        };
        let pairs: Vec<String> = q
            .pairs(3)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            pairs,
            [
                "status=paid",
                "from_date=10",
                "to_date=20",
                "sort_by=create_date",
                "sort_type=asc",
                "page=3",
                "size=200"
            ]
        );
        let q = ListQuery {
            sort_by: SortBy::Amount,
            sort_type: SortType::Desc,
            size: PageSize::new(10).unwrap(),
            ..ListQuery::default()
        };
        assert_eq!(
            q.pairs(1)
                .into_iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>(),
            ["sort_by=amount", "sort_type=desc", "page=1", "size=10"]
        );
        assert_eq!(PageSize::new(0), None);
        assert_eq!(PageSize::new(201), None);
        assert_eq!(PageSize::new(200), Some(PageSize::MAX));
    }

    #[test]
    fn track_ids() {
        assert_eq!(TrackId::new(" 123 ").unwrap().as_str(), "123");
        assert_eq!(TrackId::new("<b>&x").unwrap().as_str(), "<b>&x");
        assert_eq!(TrackId::new("  "), Err(TrackIdError::Empty));
        assert_eq!(TrackId::new("a\u{0}b"), Err(TrackIdError::ControlCharacter));
        assert_eq!(TrackId::new(&"9".repeat(101)), Err(TrackIdError::TooLong));
        assert!(TrackId::new(&"é".repeat(100)).is_ok());
    }

    fn raw_item(raw: &RawValue) -> Result<Item, String> {
        let v: serde_json::Value = serde_json::from_str(raw.get()).map_err(|e| e.to_string())?;
        let id = v["track_id"].as_str().ok_or("no track id")?;
        Ok(item(id, 0))
    }

    fn envelope(data: &str) -> String {
        format!(r#"{{"data":{data},"message":"ok","error":{{}},"status":200,"version":"1.0.0"}}"#)
    }

    #[test]
    fn pages_are_read_from_the_envelope() {
        let body = envelope(
            r#"{"list":[{"track_id":"1"},{"x":1},7],"meta":{"page":1,"last_page":"3","total":5}}"#,
        );
        let p = parse_page(200, None, body.as_bytes(), raw_item).unwrap();
        assert_eq!(p.items, [item("1", 0)]);
        assert_eq!(p.unreadable.len(), 2);
        assert!(p.unreadable[0].starts_with("entry 2"), "{:?}", p.unreadable);
        assert_eq!(
            p.meta,
            Some(Meta {
                page: Some(1),
                last_page: Some(3),
                total: Some(5)
            })
        );
        // meta missing, null, or data being the list itself.
        for data in [
            r#"{"list":[{"track_id":"1"}]}"#,
            r#"{"list":[{"track_id":"1"}],"meta":null}"#,
            r#"[{"track_id":"1"}]"#,
        ] {
            let p = parse_page(200, None, envelope(data).as_bytes(), raw_item).unwrap();
            assert_eq!(p.meta, None, "{data}");
            assert_eq!(p.items.len(), 1);
        }
        // Not a listing: an error, never an empty page.
        for data in [
            r#"{}"#,
            r#"{"list":{"a":1}}"#,
            r#""none""#,
            r#"{"list":"x"}"#,
        ] {
            let r = parse_page(200, None, envelope(data).as_bytes(), raw_item);
            assert!(matches!(r, Err(OxaPayError::BadBody(_))), "{data}: {r:?}");
        }
        assert!(matches!(
            parse_page(200, None, b"<html>hi</html>", raw_item),
            Err(OxaPayError::BadBody(_))
        ));
    }

    #[test]
    fn one_record_or_not_found() {
        let body = envelope(r#"{"track_id":"42"}"#);
        assert_eq!(
            parse_one(200, None, body.as_bytes(), raw_item).unwrap(),
            Some(item("42", 0))
        );
        let missing = r#"{"data":{},"message":"Not found","error":{"type":"not_found","message":"Payment not found"},"status":404,"version":"1.0.0"}"#;
        assert_eq!(
            parse_one(404, None, missing.as_bytes(), raw_item).unwrap(),
            None
        );
        assert_eq!(
            parse_one(200, None, missing.as_bytes(), raw_item).unwrap(),
            None,
            "a 200 whose body says 404"
        );
        // A 404 page in front of OxaPay is a wrong address, not a missing record.
        let e = parse_one(404, None, b"<html>404</html>", raw_item).unwrap_err();
        assert!(e.user_message().contains("OXAPAY_API_URL"), "{e:?}");
        let e = parse_one(200, None, envelope(r#"{"x":1}"#).as_bytes(), raw_item).unwrap_err();
        assert!(matches!(e, OxaPayError::BadBody(_)));
    }

    #[test]
    fn a_refused_merchant_or_payout_key_names_its_variable() {
        let refused = OxaPayError::Refused {
            status: 401,
            kind: "invalid_api_key".into(),
            message: "Invalid API key".into(),
            retry_after: None,
        };
        for kind in [KeyKind::Merchant, KeyKind::Payout] {
            let e = key_refused(refused.clone(), kind);
            assert_eq!(
                e,
                OxaPayError::KeyRefused {
                    key: kind,
                    kind: "invalid_api_key".into(),
                    message: "Invalid API key".into()
                }
            );
            assert!(e.user_message().contains(kind.env_var()), "{e:?}");
            assert!(!e.is_retryable());
        }
        assert_eq!(key_refused(refused.clone(), KeyKind::General), refused);
        let other = OxaPayError::Refused {
            status: 403,
            kind: String::new(),
            message: String::new(),
            retry_after: None,
        };
        assert_eq!(key_refused(other.clone(), KeyKind::Merchant), other);
    }
}
