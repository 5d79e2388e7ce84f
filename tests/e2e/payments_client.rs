//! The payment and payout history clients over real HTTP against the fake OxaPay: every page read
//! and every amount exact, and each hostile path of the client layer — a page failing in the
//! middle of a listing (what was read comes back with the error, and the cursor cannot pass the
//! unread pages), the listing shifting while it is paged, the merchant key refused while the
//! balance key works, `meta` missing or `last_page` absurd, a 40-digit amount, a track id with
//! HTML in it, a 10 MiB answer, OxaPay's clock running ahead. Also the fake itself: it must refuse
//! what OxaPay refuses, or these tests prove less than they claim.

use std::time::Duration;

use oxapay_bot::oxapay::callbacks::{self, Callback, CallbackKeys, CallbackRefusal};
use oxapay_bot::oxapay::listing::Cut;
use oxapay_bot::oxapay::{
    KeyKind, ListQuery, OxaPayError, PageSize, PaymentStatus, PaymentsClient, PayoutStatus,
    PayoutsClient, SortBy, SortType, TrackId, V1Client,
};
use oxapay_bot::rules::feed::{Mode, advance_cursor, listing_from};
use oxapay_bot::rules::payments::{PaymentEvent, decide};
use reqwest::Url;
use secrecy::SecretString;
use serde_json::Value;

use crate::support::{
    Endpoint, FakeOxaPay, FakePayment, FakePayout, FakeTx, Feed, OxaReply, sign_callback,
};

const MERCHANT: &str = "merchant-key-SECRET-77";
const PAYOUT: &str = "payout-key-SECRET-88";
const GENERAL: &str = "general-key-SECRET-99";
/// A fixed creation time for payments that only need to be in order.
const T0: i64 = 1_790_000_000;

async fn fake() -> FakeOxaPay {
    let oxa = FakeOxaPay::start(OxaReply::balances(&[("USDT", "12.5")])).await;
    oxa.require_history_key(Feed::Payments, MERCHANT);
    oxa.require_history_key(Feed::Payouts, PAYOUT);
    oxa
}

fn url(oxa: &FakeOxaPay) -> Url {
    Url::parse(&oxa.url()).unwrap()
}

fn payments(oxa: &FakeOxaPay, key: &str) -> PaymentsClient {
    PaymentsClient::new(&url(oxa), SecretString::from(key), Duration::from_secs(10)).unwrap()
}

fn payouts(oxa: &FakeOxaPay, key: &str) -> PayoutsClient {
    PayoutsClient::new(&url(oxa), SecretString::from(key), Duration::from_secs(10)).unwrap()
}

/// `n` payments one second apart from `T0`, track ids `p0`, `p1`, …
fn add_payments(oxa: &FakeOxaPay, n: usize) {
    for i in 0..n {
        oxa.add_payment(FakePayment::new(&format!("p{i}"), T0 + i as i64));
    }
}

fn ids<T: oxapay_bot::oxapay::listing::Listed>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|i| i.track_id().as_str().to_owned())
        .collect()
}

fn want_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("p{i}")).collect()
}

// ----- the fake itself ---------------------------------------------------------------------------

async fn get(oxa: &FakeOxaPay, path_and_query: &str, key: Option<(&str, &str)>) -> (u16, Value) {
    let mut request = reqwest::Client::new().get(format!("{}{path_and_query}", oxa.url()));
    if let Some((name, value)) = key {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_fake_lists_history_as_oxapay_does() {
    let oxa = fake().await;
    for (id, date, status, amount) in [
        ("a", T0 + 30, "paid", "5"),
        ("b", T0 + 10, "expired", "700"),
        ("c", T0 + 20, "Paid", "0.5"),
    ] {
        oxa.add_payment(FakePayment::new(id, date).status(status).amount(amount));
    }
    let key = Some(("merchant_api_key", MERCHANT));
    let list = |v: &Value| -> Vec<String> {
        v["data"]["list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["track_id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Defaults: newest first, 10 a page, meta.
    let (status, body) = get(&oxa, "/v1/payment", key).await;
    assert_eq!(status, 200);
    assert_eq!(list(&body), ["a", "c", "b"]);
    assert_eq!(
        body["data"]["meta"],
        serde_json::json!({"page":1,"last_page":1,"total":3})
    );
    assert_eq!(body["status"], 200);
    // Every filter.
    let cases = [
        ("?sort_by=create_date&sort_type=asc", vec!["b", "c", "a"]),
        ("?sort_by=amount&sort_type=asc", vec!["c", "a", "b"]),
        ("?status=paid&sort_type=asc", vec!["c", "a"]),
        (
            &*format!("?from_date={}&to_date={}", T0 + 15, T0 + 30),
            vec!["a", "c"],
        ),
        ("?sort_type=asc&size=2&page=2", vec!["a"]),
        ("?size=2&page=9", vec![]),
    ];
    for (query, want) in cases {
        let (status, body) = get(&oxa, &format!("/v1/payment{query}"), key).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(list(&body), want, "{query}");
    }
    let (_, body) = get(&oxa, "/v1/payment?size=2", key).await;
    assert_eq!(body["data"]["meta"]["last_page"], 2);
    // What OxaPay refuses.
    for (query, want) in [
        ("?size=201", 400),
        ("?size=0", 400),
        ("?page=0", 400),
        ("?sort_by=date", 400),
        ("?sort_type=up", 400),
        ("?from_date=yesterday", 400),
    ] {
        let (status, body) = get(&oxa, &format!("/v1/payment{query}"), key).await;
        assert_eq!(
            (status, body["status"].as_u64()),
            (want, Some(want as u64)),
            "{query}"
        );
    }
    for bad in [
        None,
        Some(("merchant_api_key", "wrong")),
        Some(("payout_api_key", MERCHANT)),
    ] {
        assert_eq!(get(&oxa, "/v1/payment", bad).await.0, 401, "{bad:?}");
    }
    // One record; unknown ones are 404 in OxaPay's envelope.
    let (status, body) = get(&oxa, "/v1/payment/b", key).await;
    assert_eq!(
        (status, body["data"]["status"].as_str()),
        (200, Some("expired"))
    );
    let (status, body) = get(&oxa, "/v1/payment/zzz", key).await;
    assert_eq!((status, body["status"].as_u64()), (404, Some(404)));
    // Payouts behind their own key.
    oxa.add_payout(FakePayout::new("o1", T0));
    let (status, body) = get(&oxa, "/v1/payout", Some(("payout_api_key", PAYOUT))).await;
    assert_eq!((status, list(&body)), (200, vec!["o1".to_owned()]));
    assert_eq!(get(&oxa, "/v1/payout", key).await.0, 401);
    assert_eq!(oxa.calls_to(Endpoint::Payments), 17);
    assert_eq!(oxa.calls_to(Endpoint::Payment), 2);
    assert_eq!(oxa.calls_to(Endpoint::Payouts), 2);
    assert_eq!(oxa.calls(), 0, "no balance request among them");
}

// ----- reading -----------------------------------------------------------------------------------

#[tokio::test]
async fn every_page_is_read_oldest_first_with_the_merchant_key() {
    let oxa = fake().await;
    add_payments(&oxa, 450);
    let listing = payments(&oxa, MERCHANT)
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap();
    assert_eq!(ids(&listing.items), want_ids(0..450));
    assert_eq!((listing.pages_read, listing.duplicates), (3, 0));
    assert!(listing.is_complete());
    let queries = oxa.list_queries(Feed::Payments);
    assert_eq!(queries.len(), 3);
    for (n, q) in queries.iter().enumerate() {
        let q: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            q,
            [
                format!("from_date={T0}"),
                "sort_by=create_date".into(),
                "sort_type=asc".into(),
                format!("page={}", n + 1),
                "size=200".into(),
            ]
        );
    }
    for r in oxa.requests() {
        assert_eq!(r.header("merchant_api_key"), Some(MERCHANT));
        assert_eq!(r.header("general_api_key"), None);
    }
}

#[tokio::test]
async fn amounts_are_exact_and_a_40_digit_one_is_named_not_dropped() {
    let oxa = fake().await;
    let cases = [
        (
            "exact",
            "12345678901234567.89",
            Some("12345678901234567.89"),
        ),
        ("string", "\"0.00000001\"", Some("0.00000001")),
        ("tiny", "0.000000000000000001", Some("0.000000000000000001")),
        ("forty", "1234567890123456789012345678901234567890", None),
    ];
    for (i, (id, literal, _)) in cases.iter().enumerate() {
        oxa.add_payment(
            FakePayment::new(id, T0 + i as i64)
                .amount(literal)
                .tx(FakeTx::new(&format!("0x{id}"), literal, T0 + 5)),
        );
    }
    let listing = payments(&oxa, MERCHANT)
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap();
    assert_eq!(listing.items.len(), 4, "the 40-digit payment is kept");
    for ((id, literal, want), p) in cases.iter().zip(&listing.items) {
        assert_eq!(p.track_id.as_str(), *id);
        assert_eq!(p.amount.map(|a| a.to_string()).as_deref(), *want, "{id}");
        assert_eq!(
            p.txs[0].amount.map(|a| a.to_string()).as_deref(),
            *want,
            "{id} tx"
        );
        if want.is_none() {
            assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
            assert!(p.problems[0].starts_with("amount: "), "{:?}", p.problems);
            assert!(p.problems[0].contains(literal), "{:?}", p.problems);
            assert!(p.problems[1].starts_with("txs[0].amount: "));
            // Everything else was read.
            assert_eq!(p.status, PaymentStatus::Paid);
            assert_eq!(p.currency.as_ref().map(|c| c.as_str()), Some("USDT"));
            assert_eq!(p.created_at, Some(T0 + 3));
        } else {
            assert!(p.problems.is_empty(), "{id}: {:?}", p.problems);
        }
    }
}

#[tokio::test]
async fn a_track_id_with_html_is_kept_as_sent_and_found_again() {
    let oxa = fake().await;
    let hostile = "<b>9&amp;1</b>/../?x=1#y %2F";
    oxa.add_payment(FakePayment::new(hostile, T0));
    let client = payments(&oxa, MERCHANT);
    let listing = client.list(&ListQuery::since(T0), 1000).await.unwrap();
    assert_eq!(ids(&listing.items), [hostile]);
    let id = listing.items[0].track_id.clone();
    let one = client.payment(&id).await.unwrap().unwrap();
    assert_eq!(one.track_id.as_str(), hostile);
    let path = oxa.requests().last().unwrap().path.clone();
    assert!(
        path.starts_with("/v1/payment/") && path.matches('/').count() == 3,
        "one path segment: {path}"
    );
    // Unknown: none, not an error.
    let unknown = TrackId::new("<script>").unwrap();
    assert_eq!(client.payment(&unknown).await.unwrap(), None);
}

#[tokio::test]
async fn status_changes_and_new_transfers_are_seen_on_the_next_read() {
    let oxa = fake().await;
    oxa.add_payment(
        FakePayment::new("s1", T0)
            .kind("static_address")
            .status("paying")
            .tx(FakeTx::new("0xfirst", "3", T0 + 1)),
    );
    let client = payments(&oxa, MERCHANT);
    let id = TrackId::new("s1").unwrap();
    let first = client.payment(&id).await.unwrap().unwrap();
    let told = decide(None, &first, Mode::Live);
    assert_eq!(
        told.events,
        [PaymentEvent::Received {
            tx_hash: "0xfirst".into(),
            status: PaymentStatus::Paying
        }]
    );
    oxa.set_payment_status("s1", "Paid");
    oxa.add_payment_tx("s1", FakeTx::new("0xsecond", "4", T0 + 60));
    let again = client.payment(&id).await.unwrap().unwrap();
    assert_eq!(again.status, PaymentStatus::Paid);
    let known = oxapay_bot::rules::payments::Known {
        status: Some(first.status.clone()),
        seen: [first.status.clone()].into(),
        tx_hashes: ["0xfirst".to_owned()].into(),
    };
    let told = decide(Some(&known), &again, Mode::Live);
    assert_eq!(
        told.events,
        [PaymentEvent::Received {
            tx_hash: "0xsecond".into(),
            status: PaymentStatus::Paid
        }]
    );
    assert_eq!(oxa.calls_to(Endpoint::Payment), 2);
}

// ----- a listing that fails or misleads ------------------------------------------------------------

#[tokio::test]
async fn a_page_failing_mid_listing_returns_what_came_before_and_holds_the_cursor() {
    let oxa = fake().await;
    add_payments(&oxa, 450);
    let client = payments(&oxa, MERCHANT);
    // A glitch once: retried, nothing lost.
    oxa.fail_list_page(
        Feed::Payments,
        2,
        OxaReply::status(502, "<html>Bad gateway</html>"),
    );
    let listing = client.list(&ListQuery::since(T0), 20_000).await.unwrap();
    assert_eq!(ids(&listing.items), want_ids(0..450));
    assert_eq!(oxa.calls_to(Endpoint::Payments), 4, "page 2 asked twice");

    // Failing twice: the listing ends at page 2 with page 1's payments.
    for _ in 0..2 {
        oxa.fail_list_page(
            Feed::Payments,
            2,
            OxaReply::status(502, "<html>Bad gateway</html>"),
        );
    }
    let e = client
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert_eq!(e.failed_page, 2);
    assert_eq!(
        e.error.user_message(),
        "OxaPay is having trouble (HTTP 502) — try again shortly."
    );
    assert_eq!(ids(&e.read.items), want_ids(0..200));
    assert_eq!(oxa.calls_to(Endpoint::Payments), 7, "page 3 never asked");
    // The cursor moves no further than what was read: the next listing starts before page 2.
    let created: Vec<Option<i64>> = e.read.items.iter().map(|p| p.created_at).collect();
    let now = chrono::Utc::now().timestamp();
    let cursor = advance_cursor(None, &created, false, now).unwrap();
    assert_eq!(cursor, T0 + 199);
    assert!(listing_from(Some(cursor), now, 30) <= T0 + 200);

    // 429 on page 3: not retried, Retry-After kept for the caller's backoff.
    oxa.fail_list_page(
        Feed::Payments,
        3,
        OxaReply::v1_error(429, "rate_limit", "Too many requests").with_header("retry-after", "7"),
    );
    let e = client
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert!(
        matches!(
            e.error,
            OxaPayError::Refused {
                status: 429,
                retry_after: Some(7),
                ..
            }
        ),
        "{:?}",
        e.error
    );
    assert_eq!(
        e.error.user_message(),
        "OxaPay is limiting requests — try again in 7 s."
    );
    assert_eq!((e.failed_page, e.read.items.len()), (3, 400));
    assert_eq!(oxa.calls_to(Endpoint::Payments), 10);

    // A CDN page in place of page 2: an error, never an empty page.
    oxa.fail_list_page(
        Feed::Payments,
        2,
        OxaReply::json("<!DOCTYPE html><title>Just a moment...</title>"),
    );
    let e = client
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert!(matches!(e.error, OxaPayError::BadBody(_)), "{:?}", e.error);
    assert_eq!(e.read.items.len(), 200);
}

#[tokio::test]
async fn the_same_payment_on_two_pages_is_kept_once() {
    let oxa = fake().await;
    add_payments(&oxa, 450);
    oxa.shift_after_page(Feed::Payments, 1, 1);
    let listing = payments(&oxa, MERCHANT)
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap();
    assert_eq!(listing.duplicates, 1, "p199 ends page 1 and starts page 2");
    assert_eq!(
        ids(&listing.items),
        want_ids(0..450),
        "each once, none lost"
    );
}

#[tokio::test]
async fn missing_meta_and_an_absurd_last_page_are_bounded() {
    let oxa = fake().await;
    add_payments(&oxa, 450);
    let client = payments(&oxa, MERCHANT);
    // No meta: full pages lead on, the short one ends.
    oxa.omit_meta(Feed::Payments, true);
    let listing = client.list(&ListQuery::since(T0), 20_000).await.unwrap();
    assert_eq!(ids(&listing.items), want_ids(0..450));
    assert_eq!((listing.pages_read, listing.pages_without_meta), (3, 3));
    assert!(listing.is_complete());
    oxa.omit_meta(Feed::Payments, false);

    // A billion pages claimed: the listing stops at its bound and says so.
    oxa.claim_last_page(Feed::Payments, Some(1_000_000_000));
    let before = oxa.calls_to(Endpoint::Payments);
    let listing = client.list(&ListQuery::since(T0), 400).await.unwrap();
    assert_eq!(oxa.calls_to(Endpoint::Payments) - before, 2);
    assert_eq!(ids(&listing.items), want_ids(0..400));
    let cut = listing.cut.clone().expect("cut");
    assert_eq!(
        cut,
        Cut::PageCap {
            last_page: Some(1_000_000_000),
            cap: 2
        }
    );
    assert!(cut.to_string().contains("1000000000 pages"), "{cut}");
    // The cursor after a cut listing read in order reaches what was read; the rest comes next.
    let created: Vec<Option<i64>> = listing.items.iter().map(|p| p.created_at).collect();
    let now = chrono::Utc::now().timestamp();
    assert_eq!(advance_cursor(None, &created, false, now), Some(T0 + 399));
    // Beyond the records, an empty page ends it whatever meta claims.
    let before = oxa.calls_to(Endpoint::Payments);
    let listing = client.list(&ListQuery::since(T0), 20_000).await.unwrap();
    assert_eq!(oxa.calls_to(Endpoint::Payments) - before, 4);
    assert_eq!(listing.items.len(), 450);
    assert!(listing.is_complete());
}

#[tokio::test]
async fn the_merchant_key_refused_while_the_balance_key_works() {
    let oxa = fake().await;
    oxa.require_general_key(GENERAL);
    add_payments(&oxa, 3);
    let balances = V1Client::new(
        &url(&oxa),
        SecretString::from(GENERAL),
        Duration::from_secs(10),
    )
    .unwrap()
    .balances()
    .await
    .unwrap();
    assert_eq!(balances.amounts["USDT"].to_string(), "12.5");
    let e = payments(&oxa, "revoked-merchant-key")
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert_eq!(e.failed_page, 1);
    assert!(matches!(
        e.error,
        OxaPayError::KeyRefused {
            key: KeyKind::Merchant,
            ..
        }
    ));
    assert_eq!(
        e.error.user_message(),
        "OxaPay refused the merchant API key (HTTP 401): it is not a merchant API key or was \
         revoked — check OXAPAY_MERCHANT_API_KEY."
    );
    assert_eq!(
        oxa.calls_to(Endpoint::Payments),
        1,
        "a refused key is not retried"
    );
    // The general key is not a merchant key either.
    let e = payments(&oxa, GENERAL)
        .payment(&TrackId::new("p1").unwrap())
        .await
        .unwrap_err();
    assert!(
        e.user_message().contains("OXAPAY_MERCHANT_API_KEY"),
        "{e:?}"
    );
    // Payouts: their own key, their own sentence.
    let e = payouts(&oxa, MERCHANT)
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert!(
        e.error.user_message().contains("OXAPAY_PAYOUT_API_KEY"),
        "{:?}",
        e.error
    );
    let shown = format!("{e} {e:?}");
    for secret in [MERCHANT, GENERAL, PAYOUT] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn a_10_mib_answer_is_refused_before_it_is_read_whole() {
    let oxa = fake().await;
    add_payments(&oxa, 3);
    let client = payments(&oxa, MERCHANT);
    // Declared: refused on its length.
    oxa.fail_list_page(Feed::Payments, 1, OxaReply::json(&" ".repeat(10 << 20)));
    let e = client
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert_eq!(
        e.error,
        OxaPayError::TooLarge {
            limit: oxapay_bot::oxapay::MAX_BODY_BYTES
        }
    );
    // Streamed without a length, far past the cap: the client stops reading at the cap.
    const HUGE: usize = 1 << 30;
    oxa.fail_list_page(Feed::Payments, 1, OxaReply::huge(HUGE, &[]));
    let e = client
        .list(&ListQuery::since(T0), 20_000)
        .await
        .unwrap_err();
    assert_eq!(
        e.error,
        OxaPayError::TooLarge {
            limit: oxapay_bot::oxapay::MAX_BODY_BYTES
        }
    );
    let streamed = oxa.streamed_bytes() as usize;
    assert!(streamed < HUGE / 8, "{streamed} bytes streamed");
    // The record endpoint too.
    oxa.fail_record(Feed::Payments, OxaReply::json(&" ".repeat(10 << 20)));
    let e = client
        .payment(&TrackId::new("p1").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(e, OxaPayError::TooLarge { .. }));
    assert_eq!(oxa.calls_to(Endpoint::Payments), 2, "not retried");
}

#[tokio::test]
async fn oxapay_clock_ahead_of_ours_skips_nothing() {
    let oxa = fake().await;
    let client = payments(&oxa, MERCHANT);
    let now = chrono::Utc::now().timestamp();
    // OxaPay's clock runs an hour ahead: its payments are stamped in our future.
    oxa.set_clock_ahead(3600);
    oxa.add_payment(FakePayment::new("ahead", oxa.oxapay_now()));
    let first = client
        .list(&ListQuery::since(listing_from(None, now, 0)), 20_000)
        .await
        .unwrap();
    assert_eq!(ids(&first.items), ["ahead"]);
    let created: Vec<Option<i64>> = first.items.iter().map(|p| p.created_at).collect();
    let cursor = advance_cursor(None, &created, true, now).unwrap();
    assert!(
        cursor < now + 3600,
        "the cursor does not follow a clock ahead of ours"
    );
    // Its clock is put right; a payment made now is still listed from the cursor.
    oxa.set_clock_ahead(0);
    oxa.add_payment(FakePayment::new("after", oxa.oxapay_now()));
    let next = client
        .list(
            &ListQuery::since(listing_from(Some(cursor), now, 0)),
            20_000,
        )
        .await
        .unwrap();
    assert!(
        ids(&next.items).contains(&"after".to_owned()),
        "{:?}",
        ids(&next.items)
    );
}

// ----- payouts and callbacks -------------------------------------------------------------------

#[tokio::test]
async fn payouts_are_read_with_the_payout_key() {
    let oxa = fake().await;
    oxa.add_payout(
        FakePayout::new("o1", T0)
            .status("Processing")
            .address("T<b>&\"x\"</b>"),
    );
    oxa.add_payout(FakePayout::new("o2", T0 + 1));
    let client = payouts(&oxa, PAYOUT);
    let query = ListQuery {
        sort_by: SortBy::CreateDate,
        sort_type: SortType::Desc,
        size: PageSize::new(1).unwrap(),
        ..ListQuery::since(T0)
    };
    let listing = client.list(&query, 20_000).await.unwrap();
    assert_eq!(ids(&listing.items), ["o2", "o1"]);
    assert_eq!(listing.pages_read, 2);
    let o1 = &listing.items[1];
    assert_eq!(o1.status, PayoutStatus::Processing);
    assert_eq!(o1.address.as_deref(), Some("T<b>&\"x\"</b>"));
    assert_eq!(o1.amount.unwrap().to_string(), "5");
    oxa.set_payout_status("o1", "confirmed");
    let again = client
        .payout(&TrackId::new("o1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.status, PayoutStatus::Confirmed);
    let confirmed = client
        .list(&ListQuery::since(T0).with_status("confirmed"), 20_000)
        .await
        .unwrap();
    assert_eq!(ids(&confirmed.items), ["o1", "o2"]);
    for r in oxa.requests() {
        assert_eq!(r.header("payout_api_key"), Some(PAYOUT));
    }
}

#[test]
fn callbacks_signed_as_the_fake_signs_them_verify() {
    let keys = CallbackKeys::new(
        Some(SecretString::from(MERCHANT)),
        Some(SecretString::from(PAYOUT)),
    );
    let payment = FakePayment::new("cb1", T0).status("Paid").json();
    let signature = sign_callback(payment.as_bytes(), MERCHANT);
    let verified =
        callbacks::verify(payment.as_bytes(), Some(signature.as_bytes()), &keys).unwrap();
    let Callback::Payment(p) = verified.parse().unwrap() else {
        panic!("a payment callback")
    };
    assert_eq!(
        (p.track_id.as_str(), p.status),
        ("cb1", PaymentStatus::Paid)
    );
    // Signed with the other key, or by a stranger.
    let wrong = sign_callback(payment.as_bytes(), PAYOUT);
    let v = callbacks::verify(payment.as_bytes(), Some(wrong.as_bytes()), &keys).unwrap();
    assert_eq!(v.parse().unwrap_err().http_status(), 401);
    let stranger = sign_callback(payment.as_bytes(), "someone-else");
    assert_eq!(
        callbacks::verify(payment.as_bytes(), Some(stranger.as_bytes()), &keys).unwrap_err(),
        CallbackRefusal::Mismatch { missing: None }
    );
    // A payout callback.
    let payout = FakePayout::new("o9", T0)
        .json()
        .replacen('{', "{\"type\":\"payout\",", 1);
    let v = callbacks::verify(
        payout.as_bytes(),
        Some(sign_callback(payout.as_bytes(), PAYOUT).as_bytes()),
        &keys,
    )
    .unwrap();
    assert!(matches!(v.parse().unwrap(), Callback::Payout(p) if p.track_id.as_str() == "o9"));
}

// ----- the ledger's tables ---------------------------------------------------------------------

/// The migration applies after the others on a real SQLite file; amounts stay exact as text; a
/// chat's default event lists are the rules' defaults; a payment's statuses and txs go with it;
/// a told row cannot be written twice.
#[tokio::test]
async fn the_ledger_tables_keep_amounts_exact_and_defaults_match_the_rules() {
    use oxapay_bot::rules::feed::{event_list_text, parse_event_list};
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::collections::BTreeSet;

    let dir = tempfile::tempdir().unwrap();
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join("ledger.sqlite"))
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .unwrap();
    sqlx::migrate!("./migrations").run(&pool).await.unwrap();

    let forty = "1234567890123456789012345678901234567890.000000000000000001";
    sqlx::query(
        "INSERT INTO payments (track_id, amount, status, status_text, status_since, \
         first_seen_at, updated_at, source) VALUES ('<b>1</b>', ?, 'paid', 'Paid', 1, 1, 1, 'poll')",
    )
    .bind(forty)
    .execute(&pool)
    .await
    .unwrap();
    let amount: String = sqlx::query_scalar("SELECT amount FROM payments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(amount, forty);
    for sql in [
        "INSERT INTO payment_statuses VALUES ('<b>1</b>', 'paid', 1, 'poll')",
        "INSERT INTO payment_txs (track_id, tx_hash, first_seen_at, updated_at) \
         VALUES ('<b>1</b>', '0xa', 1, 1)",
        "INSERT INTO payment_status_changes (track_id, to_status, at, source) \
         VALUES ('<b>1</b>', 'paid', 1, 'poll')",
        "INSERT INTO payment_told VALUES (-100, '<b>1</b>', 'status:paid', 1)",
        "INSERT INTO chat_payment_feeds (chat_id, enabled, set_at) VALUES (-100, 1, 1)",
        "INSERT INTO chat_payout_feeds (chat_id, enabled, set_at) VALUES (-100, 1, 1)",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    // Refused: a second told row, a tx of an unknown payment, a source that is none.
    for sql in [
        "INSERT INTO payment_told VALUES (-100, '<b>1</b>', 'status:paid', 2)",
        "INSERT INTO payment_txs (track_id, tx_hash, first_seen_at, updated_at) \
         VALUES ('nope', '0xa', 1, 1)",
        "INSERT INTO payment_txs (track_id, tx_hash, first_seen_at, updated_at) \
         VALUES ('<b>1</b>', '0xa', 1, 1)",
        "INSERT INTO payouts (track_id, status, status_text, status_since, first_seen_at, \
         updated_at, source) VALUES ('o', 'x', 'x', 1, 1, 1, 'guess')",
    ] {
        assert!(sqlx::query(sql).execute(&pool).await.is_err(), "{sql}");
    }
    // The default lists read back as the rules' defaults.
    let (payments, payouts): (String, String) = sqlx::query_as(
        "SELECT p.events, o.events FROM chat_payment_feeds p JOIN chat_payout_feeds o USING (chat_id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let p: BTreeSet<PaymentStatus> = parse_event_list(&payments).unwrap();
    assert_eq!(
        p,
        <PaymentStatus as oxapay_bot::rules::feed::FeedStatus>::defaults()
    );
    assert_eq!(payments, event_list_text(&p));
    let o: BTreeSet<PayoutStatus> = parse_event_list(&payouts).unwrap();
    assert_eq!(
        o,
        <PayoutStatus as oxapay_bot::rules::feed::FeedStatus>::defaults()
    );
    assert_eq!(payouts, event_list_text(&o));
    // Both feeds start without a cursor, before their backfill.
    let cursors: Vec<(String, Option<i64>, i64)> =
        sqlx::query_as("SELECT feed, cursor, backfill_done FROM feed_cursors ORDER BY feed")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        cursors,
        [("payments".into(), None, 0), ("payouts".into(), None, 0)]
    );
    // A payment's statuses and txs go with it.
    sqlx::query("DELETE FROM payments")
        .execute(&pool)
        .await
        .unwrap();
    let left: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM payment_statuses) + (SELECT count(*) FROM payment_txs) \
         + (SELECT count(*) FROM payment_status_changes)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(left, 0);
}
