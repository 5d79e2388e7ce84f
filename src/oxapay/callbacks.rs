//! OxaPay's signed callbacks, as pure functions: verify first, read after.
//!
//! OxaPay posts a JSON body with a header `HMAC`: the hex HMAC-SHA512 of the raw body, keyed with
//! the merchant key for payment callbacks (types `invoice`, `white_label`, `static_address`,
//! `payment_link`, `donation`) and with the payout key for payout callbacks (type `payout`).
//!
//! [`verify`] looks at the raw bytes and the header only: it tries each key the bot holds (each
//! comparison in constant time) and parses nothing, so an unsigned body never reaches a JSON
//! parser. Only a [`Verified`] body can be read ([`Verified::parse`]), and its `type` must belong
//! to a key that verified it: a payout body signed with the merchant key is refused.
//!
//! The signature covers no time, so a body can be replayed: whoever stores a callback must treat
//! a second copy as nothing new (the ledger's "told once" rows do).

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::value::RawValue;
use sha2::Sha512;

use super::KeyKind;
use super::fields::Fields;
use super::payments::{Payment, parse_payment};
use super::payouts::{Payout, parse_payout};

/// The largest callback body read (64 KiB); a real one is about a kilobyte.
pub const MAX_CALLBACK_BYTES: usize = 64 * 1024;

/// The header OxaPay signs with.
pub const SIGNATURE_HEADER: &str = "hmac";

/// The body OxaPay wants back from a callback it may stop retrying.
pub const OK_BODY: &str = "ok";

/// An HMAC-SHA512 in hex.
const SIGNATURE_HEX_LEN: usize = 128;

type HmacSha512 = Hmac<Sha512>;

/// The keys callbacks may be signed with; either may be missing. `Debug` tells only which are
/// held.
#[derive(Clone, Default)]
pub struct CallbackKeys {
    merchant: Option<SecretString>,
    payout: Option<SecretString>,
}

impl std::fmt::Debug for CallbackKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackKeys")
            .field("merchant", &self.merchant.is_some())
            .field("payout", &self.payout.is_some())
            .finish()
    }
}

impl CallbackKeys {
    /// An empty key counts as not held.
    pub fn new(merchant: Option<SecretString>, payout: Option<SecretString>) -> Self {
        let held = |k: Option<SecretString>| k.filter(|k| !k.expose_secret().is_empty());
        Self {
            merchant: held(merchant),
            payout: held(payout),
        }
    }

    pub fn holds(&self, kind: KeyKind) -> bool {
        self.key(kind).is_some()
    }

    fn key(&self, kind: KeyKind) -> Option<&SecretString> {
        match kind {
            KeyKind::Merchant => self.merchant.as_ref(),
            KeyKind::Payout => self.payout.as_ref(),
            KeyKind::General => None,
        }
    }
}

/// Why a callback was refused before its body was read. `Display` is the operator's log line
/// (it never holds the body or a key).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefusal {
    #[error("callback body larger than {limit} bytes, not read")]
    TooLarge { limit: usize },
    #[error("callback without an HMAC header")]
    NoSignature,
    #[error("callback whose HMAC header is not {SIGNATURE_HEX_LEN} hex digits")]
    MalformedSignature,
    #[error(
        "callback refused: the bot holds neither OXAPAY_MERCHANT_API_KEY nor \
         OXAPAY_PAYOUT_API_KEY, so no callback can be verified"
    )]
    NoKeys,
    /// No key the bot holds made this signature. `missing`: the key the bot does not hold, which
    /// may have made it.
    #[error("{}", mismatch_text(*.missing))]
    Mismatch { missing: Option<KeyKind> },
}

fn mismatch_text(missing: Option<KeyKind>) -> String {
    match missing {
        None => "callback with a bad signature: it matches neither the merchant nor the payout key"
            .to_owned(),
        Some(key) => format!(
            "callback with a signature that matches no key the bot holds; it holds no {key} \
             ({}), so {} callbacks cannot be verified",
            key.env_var(),
            if key == KeyKind::Payout {
                "payout"
            } else {
                "payment"
            }
        ),
    }
}

impl CallbackRefusal {
    /// The HTTP status to answer: 400 for a body too large, 401 for every signature failure.
    pub fn http_status(&self) -> u16 {
        match self {
            CallbackRefusal::TooLarge { .. } => 400,
            _ => 401,
        }
    }
}

/// A body whose signature was made with a key the bot holds. Only this can be read.
pub struct Verified<'a> {
    raw: &'a [u8],
    by_merchant: bool,
    by_payout: bool,
}

impl std::fmt::Debug for Verified<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verified")
            .field("bytes", &self.raw.len())
            .field("by_merchant", &self.by_merchant)
            .field("by_payout", &self.by_payout)
            .finish()
    }
}

/// Checks `signature` (the `HMAC` header's bytes) against the HMAC-SHA512 of `raw` under each key
/// the bot holds, each in constant time, and reads nothing of the body.
///
/// # Errors
/// A body over [`MAX_CALLBACK_BYTES`], a missing or malformed header, no key held, or a
/// signature that no held key made.
pub fn verify<'a>(
    raw: &'a [u8],
    signature: Option<&[u8]>,
    keys: &CallbackKeys,
) -> Result<Verified<'a>, CallbackRefusal> {
    if raw.len() > MAX_CALLBACK_BYTES {
        return Err(CallbackRefusal::TooLarge {
            limit: MAX_CALLBACK_BYTES,
        });
    }
    let signature = signature
        .map(<[u8]>::trim_ascii)
        .filter(|s| !s.is_empty())
        .ok_or(CallbackRefusal::NoSignature)?;
    let signature = decode_hex(signature).ok_or(CallbackRefusal::MalformedSignature)?;
    if keys.merchant.is_none() && keys.payout.is_none() {
        return Err(CallbackRefusal::NoKeys);
    }
    // Both keys are tried even when the first matches: the time taken says nothing of which.
    let by_merchant = signed_by(raw, &signature, keys.merchant.as_ref());
    let by_payout = signed_by(raw, &signature, keys.payout.as_ref());
    if !by_merchant && !by_payout {
        let missing = [KeyKind::Merchant, KeyKind::Payout]
            .into_iter()
            .find(|k| !keys.holds(*k));
        return Err(CallbackRefusal::Mismatch { missing });
    }
    Ok(Verified {
        raw,
        by_merchant,
        by_payout,
    })
}

fn signed_by(raw: &[u8], signature: &[u8], key: Option<&SecretString>) -> bool {
    let Some(key) = key else {
        return false;
    };
    let Ok(mut mac) = HmacSha512::new_from_slice(key.expose_secret().as_bytes()) else {
        return false;
    };
    mac.update(raw);
    mac.verify_slice(signature).is_ok()
}

/// 128 hex digits (either case) as 64 bytes.
fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if text.len() != SIGNATURE_HEX_LEN {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    text.chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// A verified callback's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callback {
    Payment(Payment),
    Payout(Payout),
}

/// Why a verified body could not be taken. `Display` is the operator's log line (no body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackBodyError {
    #[error("verified callback that is not JSON ({0})")]
    NotJson(String),
    #[error("verified callback without a type")]
    NoType,
    #[error("verified callback of an unknown type {0:?}")]
    UnknownType(String),
    /// A `payout` body signed with the merchant key, or a payment body with the payout key.
    #[error("a {kind} callback signed with the {signed_with}, not the {expected}")]
    WrongKey {
        kind: String,
        signed_with: KeyKind,
        expected: KeyKind,
    },
    #[error("verified callback that cannot be read as a {what}: {why}")]
    Unusable { what: &'static str, why: String },
}

impl CallbackBodyError {
    /// The HTTP status to answer: 401 for a body signed with the other key, else 400.
    pub fn http_status(&self) -> u16 {
        match self {
            CallbackBodyError::WrongKey { .. } => 401,
            _ => 400,
        }
    }
}

/// The key that signs callbacks of `kind`, `None` for a type OxaPay does not document.
pub fn key_for_type(kind: &str) -> Option<KeyKind> {
    match kind.trim().to_ascii_lowercase().as_str() {
        "invoice" | "white_label" | "static_address" | "payment_link" | "donation" => {
            Some(KeyKind::Merchant)
        }
        "payout" => Some(KeyKind::Payout),
        _ => None,
    }
}

impl<'a> Verified<'a> {
    /// The verified bytes.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Whether `key` made the signature.
    pub fn signed_with(&self, key: KeyKind) -> bool {
        match key {
            KeyKind::Merchant => self.by_merchant,
            KeyKind::Payout => self.by_payout,
            KeyKind::General => false,
        }
    }

    /// The callback as a payment or a payout, read with the same rules as a listing's records.
    ///
    /// # Errors
    /// Not JSON, no or an unknown `type`, a type whose key did not sign it, no track id.
    pub fn parse(&self) -> Result<Callback, CallbackBodyError> {
        let text = std::str::from_utf8(self.raw)
            .map_err(|_| CallbackBodyError::NotJson("not UTF-8".into()))?;
        let raw: &RawValue =
            serde_json::from_str(text).map_err(|e| CallbackBodyError::NotJson(e.to_string()))?;
        let mut fields = Fields::of(raw, "")
            .map_err(|_| CallbackBodyError::NotJson("not a JSON object".into()))?;
        let kind = fields.text("type").ok_or(CallbackBodyError::NoType)?;
        let expected =
            key_for_type(&kind).ok_or_else(|| CallbackBodyError::UnknownType(kind.clone()))?;
        if !self.signed_with(expected) {
            let signed_with = if self.by_merchant {
                KeyKind::Merchant
            } else {
                KeyKind::Payout
            };
            return Err(CallbackBodyError::WrongKey {
                kind,
                signed_with,
                expected,
            });
        }
        match expected {
            KeyKind::Payout => {
                parse_payout(raw)
                    .map(Callback::Payout)
                    .map_err(|why| CallbackBodyError::Unusable {
                        what: "payout",
                        why,
                    })
            }
            _ => parse_payment(raw).map(Callback::Payment).map_err(|why| {
                CallbackBodyError::Unusable {
                    what: "payment",
                    why,
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxapay::{PaymentStatus, PayoutStatus};
    use proptest::prelude::*;

    const MERCHANT: &str = "merchant-key-SECRET";
    const PAYOUT: &str = "payout-key-SECRET";

    fn sign(raw: &[u8], key: &str) -> String {
        let mut mac = HmacSha512::new_from_slice(key.as_bytes()).unwrap();
        mac.update(raw);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn keys(merchant: bool, payout: bool) -> CallbackKeys {
        CallbackKeys::new(
            merchant.then(|| SecretString::from(MERCHANT)),
            payout.then(|| SecretString::from(PAYOUT)),
        )
    }

    const PAYMENT: &str = r#"{"track_id":"151811887","status":"Paid","type":"invoice","module_name":"OxaPay","amount":10,"value":10,"sent_value":10.01,"currency":"USDT","order_id":"ORD-1","email":"a@b.c","note":"","fee_paid_by_payer":1,"under_paid_coverage":0,"description":"","date":1738493900,"txs":[{"status":"confirmed","tx_hash":"0xhash","sent_amount":10.01,"received_amount":9.9,"value":10.01,"sent_value":10.01,"currency":"USDT","network":"Tron Network","sender_address":"TS","address":"TA","rate":1,"confirmations":20,"auto_convert_amount":0,"auto_convert_currency":"","date":1738493950}]}"#;
    const PAYOUT_BODY: &str = r#"{"track_id":"258411","type":"payout","status":"Confirmed","tx_hash":"abc","address":"T<b>","amount":3.0440897036220003,"value":3.04,"currency":"TRX","network":"TRC20","description":"","date":1738493900}"#;

    #[test]
    fn the_vendors_algorithm_matches_a_published_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign(b"what do ya want for nothing?", "Jefe"),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
    }

    #[test]
    fn a_payment_signed_with_the_merchant_key_is_read() {
        let raw = PAYMENT.as_bytes();
        let sig = sign(raw, MERCHANT);
        for header in [sig.clone(), sig.to_uppercase(), format!(" {sig}\t")] {
            let v = verify(raw, Some(header.as_bytes()), &keys(true, true)).unwrap();
            assert!(v.signed_with(KeyKind::Merchant) && !v.signed_with(KeyKind::Payout));
            let Callback::Payment(p) = v.parse().unwrap() else {
                panic!("a payment")
            };
            assert_eq!(p.track_id.as_str(), "151811887");
            assert_eq!(p.status, PaymentStatus::Paid);
            assert_eq!(p.txs[0].amount.unwrap().to_string(), "10.01");
            assert_eq!(p.txs[0].tx_hash.as_deref(), Some("0xhash"));
        }
    }

    #[test]
    fn a_payout_signed_with_the_payout_key_is_read() {
        let raw = PAYOUT_BODY.as_bytes();
        let v = verify(raw, Some(sign(raw, PAYOUT).as_bytes()), &keys(false, true)).unwrap();
        let Callback::Payout(p) = v.parse().unwrap() else {
            panic!("a payout")
        };
        assert_eq!(p.status, PayoutStatus::Confirmed);
        assert_eq!(p.amount.unwrap().to_string(), "3.0440897036220003");
        assert_eq!(p.address.as_deref(), Some("T<b>"));
    }

    #[test]
    fn a_body_signed_with_the_other_key_is_refused() {
        // A payout body signed with the merchant key verifies (the bot holds that key), but its
        // type belongs to the payout key.
        let raw = PAYOUT_BODY.as_bytes();
        let v = verify(raw, Some(sign(raw, MERCHANT).as_bytes()), &keys(true, true)).unwrap();
        let e = v.parse().unwrap_err();
        assert_eq!(
            e,
            CallbackBodyError::WrongKey {
                kind: "payout".into(),
                signed_with: KeyKind::Merchant,
                expected: KeyKind::Payout
            }
        );
        assert_eq!(e.http_status(), 401);
        let raw = PAYMENT.as_bytes();
        let v = verify(raw, Some(sign(raw, PAYOUT).as_bytes()), &keys(true, true)).unwrap();
        assert!(matches!(
            v.parse(),
            Err(CallbackBodyError::WrongKey {
                signed_with: KeyKind::Payout,
                ..
            })
        ));
    }

    #[test]
    fn signatures_that_fail() {
        let raw = PAYMENT.as_bytes();
        let good = sign(raw, MERCHANT);
        let both = keys(true, true);
        let bad_digit = format!("{}zz", &good[..126]);
        let cases: [(Option<&[u8]>, CallbackRefusal); 6] = [
            (None, CallbackRefusal::NoSignature),
            (Some(b"  "), CallbackRefusal::NoSignature),
            (
                Some(&good.as_bytes()[..127]),
                CallbackRefusal::MalformedSignature,
            ),
            (
                Some(bad_digit.as_bytes()),
                CallbackRefusal::MalformedSignature,
            ),
            (Some(b"sha512=00"), CallbackRefusal::MalformedSignature),
            (
                Some(&[b'0'; 128]),
                CallbackRefusal::Mismatch { missing: None },
            ),
        ];
        for (header, want) in cases {
            let e = verify(raw, header, &both).unwrap_err();
            assert_eq!(e, want, "{header:?}");
            assert_eq!(e.http_status(), 401);
        }
        // A body changed after signing.
        let mut changed = raw.to_vec();
        changed[20] ^= 1;
        assert_eq!(
            verify(&changed, Some(good.as_bytes()), &both).unwrap_err(),
            CallbackRefusal::Mismatch { missing: None }
        );
        // Non-ASCII header bytes.
        assert_eq!(
            verify(raw, Some("é".repeat(64).as_bytes()), &both).unwrap_err(),
            CallbackRefusal::MalformedSignature
        );
    }

    #[test]
    fn a_callback_for_a_key_the_bot_lacks_says_which() {
        let raw = PAYOUT_BODY.as_bytes();
        let e = verify(raw, Some(sign(raw, PAYOUT).as_bytes()), &keys(true, false)).unwrap_err();
        assert_eq!(
            e,
            CallbackRefusal::Mismatch {
                missing: Some(KeyKind::Payout)
            }
        );
        assert!(e.to_string().contains("OXAPAY_PAYOUT_API_KEY"), "{e}");
        let raw = PAYMENT.as_bytes();
        let e = verify(
            raw,
            Some(sign(raw, MERCHANT).as_bytes()),
            &keys(false, true),
        )
        .unwrap_err();
        assert!(e.to_string().contains("OXAPAY_MERCHANT_API_KEY"), "{e}");
        let e = verify(
            raw,
            Some(sign(raw, MERCHANT).as_bytes()),
            &keys(false, false),
        )
        .unwrap_err();
        assert_eq!(e, CallbackRefusal::NoKeys);
        let empty = CallbackKeys::new(Some(SecretString::from("")), None);
        assert!(!empty.holds(KeyKind::Merchant));
        assert!(!format!("{:?}", keys(true, true)).contains("SECRET"));
    }

    #[test]
    fn oversized_bodies_are_refused_unread() {
        let raw = vec![b' '; MAX_CALLBACK_BYTES + 1];
        let sig = sign(&raw, MERCHANT);
        let e = verify(&raw, Some(sig.as_bytes()), &keys(true, true)).unwrap_err();
        assert_eq!(
            e,
            CallbackRefusal::TooLarge {
                limit: MAX_CALLBACK_BYTES
            }
        );
        assert_eq!(e.http_status(), 400);
        let raw = vec![b' '; MAX_CALLBACK_BYTES];
        assert!(
            verify(
                &raw,
                Some(sign(&raw, MERCHANT).as_bytes()),
                &keys(true, true)
            )
            .is_ok()
        );
    }

    #[test]
    fn verified_bodies_that_are_no_callback() {
        type Check = fn(&CallbackBodyError) -> bool;
        let cases: [(&str, Check); 7] = [
            ("", |e| matches!(e, CallbackBodyError::NotJson(_))),
            ("<html>", |e| matches!(e, CallbackBodyError::NotJson(_))),
            ("[1,2]", |e| matches!(e, CallbackBodyError::NotJson(_))),
            (r#"{"track_id":"1"}"#, |e| *e == CallbackBodyError::NoType),
            (r#"{"type":"swap","track_id":"1"}"#, |e| {
                *e == CallbackBodyError::UnknownType("swap".into())
            }),
            (r#"{"type":"invoice"}"#, |e| {
                matches!(
                    e,
                    CallbackBodyError::Unusable {
                        what: "payment",
                        ..
                    }
                )
            }),
            (r#"{"type":"payout","track_id":""}"#, |e| {
                matches!(e, CallbackBodyError::Unusable { what: "payout", .. })
            }),
        ];
        for (body, want) in cases {
            let raw = body.as_bytes();
            let both = keys(true, true);
            for key in [MERCHANT, PAYOUT] {
                let sig = sign(raw, key);
                let v = verify(raw, Some(sig.as_bytes()), &both).unwrap();
                match v.parse() {
                    Err(CallbackBodyError::WrongKey { .. }) => {}
                    Err(e) => {
                        assert!(want(&e), "{body:?}: {e:?}");
                        assert_eq!(e.http_status(), 400);
                        assert!(!e.to_string().contains("SECRET"));
                    }
                    Ok(c) => panic!("{body:?} read as {c:?}"),
                }
            }
        }
        let raw = [0xff, 0xfe];
        let v = verify(
            &raw,
            Some(sign(&raw, MERCHANT).as_bytes()),
            &keys(true, false),
        )
        .unwrap();
        assert_eq!(
            v.parse().unwrap_err(),
            CallbackBodyError::NotJson("not UTF-8".into())
        );
    }

    #[test]
    fn the_same_key_for_both_verifies_by_type() {
        let same = CallbackKeys::new(
            Some(SecretString::from(MERCHANT)),
            Some(SecretString::from(MERCHANT)),
        );
        for body in [PAYMENT, PAYOUT_BODY] {
            let raw = body.as_bytes();
            let v = verify(raw, Some(sign(raw, MERCHANT).as_bytes()), &same).unwrap();
            assert!(v.parse().is_ok());
        }
    }

    #[test]
    fn every_documented_type_has_its_key() {
        for t in [
            "invoice",
            "white_label",
            "static_address",
            "payment_link",
            "donation",
            "Invoice",
        ] {
            assert_eq!(key_for_type(t), Some(KeyKind::Merchant), "{t}");
        }
        assert_eq!(key_for_type("PAYOUT"), Some(KeyKind::Payout));
        assert_eq!(key_for_type("swap"), None);
    }

    proptest! {
        /// Any body, any header: `verify` never panics, and accepts exactly the bodies signed
        /// with a held key.
        #[test]
        fn only_a_held_keys_signature_verifies(
            body in prop::collection::vec(any::<u8>(), 0..300),
            header in prop::collection::vec(any::<u8>(), 0..200),
            signer in 0u8..3,
            held_merchant in any::<bool>(),
            held_payout in any::<bool>(),
        ) {
            let ks = keys(held_merchant, held_payout);
            // A random header that verified would be an HMAC forgery.
            prop_assert!(verify(&body, Some(&header), &ks).is_err());
            let key = ["merchant-key-SECRET", "payout-key-SECRET", "stranger"][signer as usize];
            let sig = sign(&body, key);
            let held = match signer {
                0 => held_merchant,
                1 => held_payout,
                _ => false,
            };
            let result = verify(&body, Some(sig.as_bytes()), &ks);
            prop_assert_eq!(result.is_ok(), held);
            if let Ok(v) = result {
                // Reading never panics either.
                let _ = v.parse();
            }
        }
    }
}
