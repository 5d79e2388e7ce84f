//! The parser's rules, one variable or combination at a time.

use super::*;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::time::Duration;
use teloxide::types::UserId;

const TOKEN: &str = "123456:AAE-secret_token";
const KEY: &str = "PAYOUT-KEY-XYZ";
const GENERAL: &str = "GENERAL-KEY-ABC";

fn parse(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut env: HashMap<String, String> = [
        ("TELOXIDE_TOKEN", TOKEN),
        ("OXAPAY_PAYOUT_API_KEY", KEY),
        ("ADMIN_IDS", "42"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (k, v) in pairs {
        env.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::from_lookup(|name| env.get(name).cloned())
}

#[test]
fn defaults_apply() {
    let c = parse(&[]).unwrap();
    assert_eq!(c.oxapay.api_url.as_str(), "https://api.oxapay.com/");
    assert_eq!(c.oxapay.timeout, Duration::from_secs(10));
    assert!(c.oxapay.general_key.is_none());
    assert_eq!(c.oxapay.payout_key.as_ref().unwrap().expose_secret(), KEY);
    assert_eq!(c.caches.price, Duration::from_secs(60));
    assert_eq!(c.history.interval, Duration::from_secs(900));
    assert_eq!(c.history.retention_days, 400);
    assert_eq!(c.database_url, "sqlite://oxapay-bot.db");
    assert_eq!(c.alerts.interval, Duration::from_secs(300));
    assert_eq!(c.alerts.repeat, None);
    assert_eq!(c.alerts.failures_before_notice, 3);
    assert_eq!(c.caches.balance, Duration::from_secs(5));
    assert_eq!(c.log_filter, "info");
    assert!(c.telegram.api_url.is_none());
    assert!(c.is_admin(UserId(42)));
}

#[test]
fn missing_required_values_name_the_variable() {
    for var in ["TELOXIDE_TOKEN", "ADMIN_IDS"] {
        let e = parse(&[(var, "  ")]).unwrap_err();
        assert_eq!(e.var, var);
        assert!(e.problem.contains("required"), "{e}");
    }
}

#[test]
fn one_oxapay_key_is_required_and_the_general_one_wins() {
    let e = parse(&[("OXAPAY_PAYOUT_API_KEY", "  ")]).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("OXAPAY_GENERAL_API_KEY") && text.contains("OXAPAY_PAYOUT_API_KEY"),
        "{text}"
    );
    assert!(text.contains("required"), "{text}");

    let general_only = parse(&[
        ("OXAPAY_PAYOUT_API_KEY", ""),
        ("OXAPAY_GENERAL_API_KEY", GENERAL),
    ])
    .unwrap();
    assert!(general_only.oxapay.payout_key.is_none());
    let api = general_only.oxapay.balance_api().unwrap();
    assert_eq!(api.describe(), "OxaPay v1 API (general key)");

    let both = parse(&[("OXAPAY_GENERAL_API_KEY", GENERAL)]).unwrap();
    assert_eq!(
        both.oxapay.balance_api().unwrap().describe(),
        "OxaPay v1 API (general key)"
    );
    let secrets = both.secrets();
    assert!(secrets.contains(&GENERAL.to_owned()) && secrets.contains(&KEY.to_owned()));
    assert!(secrets.contains(&TOKEN.to_owned()));

    let payout_only = parse(&[]).unwrap();
    assert_eq!(
        payout_only.oxapay.balance_api().unwrap().describe(),
        "OxaPay legacy API (payout key)"
    );
    assert_eq!(payout_only.secrets().len(), 2);
    payout_only.oxapay.prices_client().unwrap();
}

#[test]
fn an_api_url_keeps_its_path_but_takes_no_credentials_or_query() {
    let c = parse(&[("OXAPAY_API_URL", "https://proxy.example/oxapay")]).unwrap();
    assert_eq!(c.oxapay.api_url.path(), "/oxapay");
    for bad in [
        "https://user:pw@proxy.example/oxapay",
        "https://proxy.example/oxapay?token=x",
        "https://proxy.example/#x",
    ] {
        let e = parse(&[("OXAPAY_API_URL", bad)]).unwrap_err();
        assert_eq!(e.var, "OXAPAY_API_URL", "{bad}");
        assert!(!e.to_string().contains("pw") && !e.to_string().contains("token="));
    }
}

#[test]
fn malformed_values_are_rejected_with_what_is_expected() {
    let cases = [
        ("TELOXIDE_TOKEN", "not a token"),
        ("TELOXIDE_TOKEN", "abc:def"),
        ("OXAPAY_API_URL", "ftp://x"),
        ("OXAPAY_API_URL", "nonsense"),
        ("TELEGRAM_API_URL", "localhost:8081"),
        ("OXAPAY_TIMEOUT_SECS", "ten"),
        ("OXAPAY_TIMEOUT_SECS", "0"),
        ("OXAPAY_TIMEOUT_SECS", "-5"),
        ("ADMIN_IDS", "12,abc"),
        ("ADMIN_IDS", "-100"),
        ("ADMIN_IDS", ","),
        ("DATABASE_URL", "postgres://x"),
        ("ALERT_INTERVAL_SECS", "0"),
        ("ALERT_REPEAT_SECS", "1.5"),
        ("ALERT_FAILURES_BEFORE_NOTICE", "0"),
        ("BALANCE_CACHE_SECS", "x"),
        ("HISTORY_INTERVAL_SECS", "0"),
        ("HISTORY_INTERVAL_SECS", "86401"),
        ("HISTORY_RETENTION_DAYS", "30"),
        ("HISTORY_RETENTION_DAYS", "x"),
        ("RUST_LOG", "[[["),
        ("OXAPAY_PAYOUT_API_KEY", "k"),
        ("OXAPAY_GENERAL_API_KEY", "short"),
        ("OXAPAY_GENERAL_API_KEY", "has a space in it"),
        ("OXAPAY_GENERAL_API_KEY", "ключ-не-ascii-1234"),
        ("PRICE_CACHE_SECS", "3601"),
        ("PRICE_CACHE_SECS", "-1"),
    ];
    for (var, value) in cases {
        let e = parse(&[(var, value)]).unwrap_err();
        assert_eq!(e.var, var, "{var}={value}: {e}");
        assert!(e.to_string().starts_with(var));
    }
}

#[test]
fn errors_never_echo_secrets() {
    let e = parse(&[("TELOXIDE_TOKEN", "SECRETVALUE")]).unwrap_err();
    assert!(!e.to_string().contains("SECRETVALUE"));
    let e = parse(&[("OXAPAY_PAYOUT_API_KEY", "SECRET VALUE")]).unwrap_err();
    assert!(!e.to_string().contains("SECRET"));
    let e = parse(&[("OXAPAY_GENERAL_API_KEY", "SECRET VALUE")]).unwrap_err();
    assert!(!e.to_string().contains("SECRET"));
    // A key pasted into the URL variable is not echoed either.
    let e = parse(&[("OXAPAY_API_URL", "SECRETKEY123456")]).unwrap_err();
    assert!(!e.to_string().contains("SECRETKEY"), "{e}");
}

#[test]
fn values_are_parsed() {
    let c = parse(&[
        ("ADMIN_IDS", " 1, 2 ,3,"),
        ("ALERT_REPEAT_SECS", "3600"),
        ("BALANCE_CACHE_SECS", "0"),
        ("PRICE_CACHE_SECS", "3600"),
        ("TELEGRAM_API_URL", "http://127.0.0.1:8081"),
        ("DATABASE_URL", "sqlite:///data/bot.db"),
    ])
    .unwrap();
    assert_eq!(
        c.telegram.admin_ids.iter().copied().collect::<Vec<_>>(),
        vec![UserId(1), UserId(2), UserId(3)]
    );
    assert_eq!(c.alerts.repeat, Some(Duration::from_secs(3600)));
    assert_eq!(c.caches.balance, Duration::ZERO);
    assert_eq!(c.caches.price, Duration::from_secs(3600));
    assert_eq!(c.database_url, "sqlite:///data/bot.db");
}

#[test]
fn a_secret_pasted_into_another_variable_is_masked_in_the_error() {
    let e = parse(&[("OXAPAY_API_URL", KEY)]).unwrap_err();
    assert_eq!(e.var, "OXAPAY_API_URL");
    assert!(!e.to_string().contains(KEY), "{e}");
    let e = parse(&[("TELEGRAM_API_URL", TOKEN)]).unwrap_err();
    assert!(!e.to_string().contains("secret_token"), "{e}");
}

#[test]
fn a_telegram_url_keeps_its_path_prefix_without_a_trailing_slash() {
    for (given, kept) in [
        ("https://proxy.example/tg/", "https://proxy.example/tg"),
        ("https://proxy.example/tg", "https://proxy.example/tg"),
        ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/"),
    ] {
        let c = parse(&[("TELEGRAM_API_URL", given)]).unwrap();
        assert_eq!(c.telegram.api_url.unwrap().as_str(), kept);
    }
}

#[test]
fn debug_output_redacts_secrets() {
    let c = parse(&[("OXAPAY_GENERAL_API_KEY", GENERAL)]).unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains(TOKEN) && !debug.contains("secret_token"));
    assert!(!debug.contains(KEY) && !debug.contains(GENERAL));
    assert!(debug.contains("REDACTED"));
}

#[test]
fn webhook_mode_is_off_by_default_and_its_settings_need_the_url() {
    let c = parse(&[]).unwrap();
    assert!(c.webhook.is_none() && c.metrics.is_none());
    for var in ["WEBHOOK_LISTEN", "TELEGRAM_WEBHOOK_SECRET"] {
        let value = if var == "WEBHOOK_LISTEN" {
            "0.0.0.0:8443"
        } else {
            "0123456789abcdef"
        };
        let e = parse(&[(var, value)]).unwrap_err();
        assert_eq!(e.var, var);
        assert!(e.problem.contains("TELEGRAM_WEBHOOK_URL"), "{e}");
    }
}

#[test]
fn a_webhook_takes_https_a_listen_address_and_a_secret_or_generates_one() {
    const SECRET: &str = "s3cret_Webhook-token-0123";
    let c = parse(&[
        ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/tg/hook"),
        ("WEBHOOK_LISTEN", "127.0.0.1:8080"),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET),
        ("METRICS_LISTEN", "127.0.0.1:9090"),
    ])
    .unwrap();
    let w = c.webhook.as_ref().unwrap();
    assert_eq!(w.url.as_str(), "https://bot.example.com/tg/hook");
    assert_eq!(w.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(w.secret.expose_secret(), SECRET);
    assert!(!w.secret_generated);
    assert!(c.secrets().contains(&SECRET.to_owned()), "masked in logs");
    assert!(!format!("{c:?}").contains(SECRET));
    assert_eq!(c.metrics.unwrap().listen.to_string(), "127.0.0.1:9090");

    let generated = |()| {
        let c = parse(&[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:8443/")]).unwrap();
        let w = c.webhook.clone().unwrap();
        assert_eq!(w.listen.to_string(), "0.0.0.0:8443");
        assert!(w.secret_generated);
        let s = w.secret.expose_secret().to_owned();
        assert_eq!(s.len(), 32);
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
        assert!(c.secrets().contains(&s), "a generated secret is masked too");
        s
    };
    assert_ne!(generated(()), generated(()), "a new one at each start");
}

#[test]
fn webhook_and_metrics_mistakes_are_one_line_each() {
    let url = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/hook");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("TELEGRAM_WEBHOOK_URL", "http://bot.example.com/hook")],
            "TELEGRAM_WEBHOOK_URL",
        ),
        (
            &[("TELEGRAM_WEBHOOK_URL", "bot.example.com")],
            "TELEGRAM_WEBHOOK_URL",
        ),
        (
            &[("TELEGRAM_WEBHOOK_URL", "https://u:p@bot.example.com/")],
            "TELEGRAM_WEBHOOK_URL",
        ),
        (
            &[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/?a=1")],
            "TELEGRAM_WEBHOOK_URL",
        ),
        (
            &[("TELEGRAM_WEBHOOK_URL", "https://bot.example.com:9000/")],
            "TELEGRAM_WEBHOOK_URL",
        ),
        (&[url, ("WEBHOOK_LISTEN", "8443")], "WEBHOOK_LISTEN"),
        (
            &[url, ("WEBHOOK_LISTEN", "localhost:8443")],
            "WEBHOOK_LISTEN",
        ),
        (
            &[url, ("TELEGRAM_WEBHOOK_SECRET", "short")],
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            &[
                url,
                ("TELEGRAM_WEBHOOK_SECRET", "has spaces in this secret"),
            ],
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            &[url, ("TELEGRAM_WEBHOOK_SECRET", &"x".repeat(257))],
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (&[("METRICS_LISTEN", "9090")], "METRICS_LISTEN"),
        (
            &[url, ("METRICS_LISTEN", "127.0.0.1:8443")],
            "METRICS_LISTEN",
        ),
    ];
    for (pairs, var) in cases {
        let e = parse(pairs).unwrap_err();
        assert_eq!(e.var, *var, "{pairs:?}: {e}");
    }
    // A secret with a character outside Telegram's alphabet is not echoed.
    let e = parse(&[url, ("TELEGRAM_WEBHOOK_SECRET", "not/a/valid/secret/value")]).unwrap_err();
    assert!(!e.to_string().contains("not/a/valid"), "{e}");
}

#[test]
fn the_parser_reads_exactly_the_settings_in_the_table() {
    let asked = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let env: HashMap<&str, &str> = [
        ("TELOXIDE_TOKEN", TOKEN),
        ("OXAPAY_PAYOUT_API_KEY", KEY),
        ("ADMIN_IDS", "42"),
        ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/hook"),
    ]
    .into();
    Config::from_lookup(|name| {
        asked.lock().unwrap().insert(name.to_owned());
        env.get(name).map(|v| (*v).to_owned())
    })
    .unwrap();
    let table: std::collections::BTreeSet<String> = settings::SETTINGS
        .iter()
        .map(|s| s.name.to_owned())
        .collect();
    assert_eq!(*asked.lock().unwrap(), table);
}

#[test]
fn every_number_takes_its_range_from_the_table_and_its_default_when_unset() {
    for s in settings::SETTINGS.iter().filter(|s| s.range.is_some()) {
        let settings::Range { min, max } = s.range.unwrap();
        for ok in [min, max] {
            parse(&[(s.name, &ok.to_string())])
                .unwrap_or_else(|e| panic!("{}={ok} is accepted: {e}", s.name));
        }
        let mut bad = vec![(max + 1).to_string(), "x".into(), "-1".into(), "1.5".into()];
        if min > 0 {
            bad.push((min - 1).to_string());
        }
        for value in bad {
            let e = parse(&[(s.name, &value)]).unwrap_err();
            assert_eq!(e.var, s.name);
            assert_eq!(
                e.problem,
                format!("must be a whole number from {min} to {max}, got {value:?}")
            );
        }
        let empty = parse(&[(s.name, "  ")]).unwrap();
        let unset = parse(&[]).unwrap();
        assert_eq!(format!("{empty:?}"), format!("{unset:?}"), "{}", s.name);
    }
}

#[test]
fn the_payment_settings_have_their_defaults_and_the_merchant_key_is_optional() {
    let c = parse(&[]).unwrap();
    assert!(c.oxapay.merchant_key.is_none() && c.callbacks.is_none());
    assert_eq!(c.payments.poll, Duration::from_secs(30));
    assert_eq!(c.payments.backfill_days, 30);
    assert_eq!(c.payments.payout_stuck, Duration::from_secs(3600));

    const MERCHANT: &str = "MERCHANT-KEY-123";
    let c = parse(&[
        ("OXAPAY_MERCHANT_API_KEY", MERCHANT),
        ("PAYMENT_POLL_SECS", "5"),
        ("PAYMENT_BACKFILL_DAYS", "0"),
        ("PAYOUT_STUCK_MINS", "10080"),
        ("OXAPAY_CALLBACK_LISTEN", "0.0.0.0:8080"),
    ])
    .unwrap();
    assert_eq!(
        c.oxapay.merchant_key.as_ref().unwrap().expose_secret(),
        MERCHANT
    );
    assert_eq!(c.payments.poll, Duration::from_secs(5));
    assert_eq!(c.payments.backfill_days, 0);
    assert_eq!(c.payments.payout_stuck, Duration::from_secs(10080 * 60));
    assert_eq!(
        c.callbacks.as_ref().unwrap().listen.to_string(),
        "0.0.0.0:8080"
    );
    assert!(c.secrets().contains(&MERCHANT.to_owned()), "masked in logs");
    assert!(!format!("{c:?}").contains(MERCHANT));

    // A merchant key alone does not read balances.
    let e = parse(&[
        ("OXAPAY_PAYOUT_API_KEY", ""),
        ("OXAPAY_MERCHANT_API_KEY", MERCHANT),
    ])
    .unwrap_err();
    assert!(e.to_string().contains("OXAPAY_GENERAL_API_KEY or"), "{e}");
}

#[test]
fn a_malformed_merchant_key_is_named_and_never_echoed() {
    for (value, problem) in [
        (
            "short",
            "is too short to be an OxaPay key: paste the whole merchant key",
        ),
        (
            "MERCHANT KEY 123",
            "must not contain spaces: paste the key exactly as OxaPay shows it",
        ),
    ] {
        let e = parse(&[("OXAPAY_MERCHANT_API_KEY", value)]).unwrap_err();
        assert_eq!(e.var, "OXAPAY_MERCHANT_API_KEY");
        assert_eq!(e.problem, problem);
    }
    let e = parse(&[
        ("OXAPAY_API_URL", "MERCHANT-SECRET-1"),
        ("OXAPAY_MERCHANT_API_KEY", "MERCHANT-SECRET-1"),
    ])
    .unwrap_err();
    assert_eq!(e.var, "OXAPAY_API_URL");
    assert!(!e.to_string().contains("MERCHANT-SECRET"), "{e}");
}

#[test]
fn the_callback_listener_needs_a_port_of_its_own() {
    let url = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/hook");
    let e = parse(&[url, ("OXAPAY_CALLBACK_LISTEN", "127.0.0.1:8443")]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "OXAPAY_CALLBACK_LISTEN: uses port 8443 like WEBHOOK_LISTEN: give each its own port"
    );
    let e = parse(&[
        ("METRICS_LISTEN", "127.0.0.1:9090"),
        ("OXAPAY_CALLBACK_LISTEN", "0.0.0.0:9090"),
    ])
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "OXAPAY_CALLBACK_LISTEN: uses port 9090 like METRICS_LISTEN: give each its own port"
    );
    let e = parse(&[("OXAPAY_CALLBACK_LISTEN", "8080")]).unwrap_err();
    assert_eq!(e.var, "OXAPAY_CALLBACK_LISTEN");
    // Port 0 (any free port) never clashes; the callbacks need no webhook.
    let c = parse(&[
        url,
        ("WEBHOOK_LISTEN", "127.0.0.1:0"),
        ("METRICS_LISTEN", "127.0.0.1:0"),
        ("OXAPAY_CALLBACK_LISTEN", "127.0.0.1:0"),
    ])
    .unwrap();
    assert!(c.callbacks.is_some() && c.metrics.is_some() && c.webhook.is_some());
}

#[test]
fn every_secret_setting_is_in_the_secrets_and_masked_in_errors() {
    const VALUE: &str = "Secret_value-0123456789";
    let url = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/hook");
    for s in settings::SETTINGS.iter().filter(|s| s.secret) {
        let value = if s.name == "TELOXIDE_TOKEN" {
            "123:Secret_value-0123456789"
        } else {
            VALUE
        };
        let c = parse(&[url, (s.name, value)]).unwrap();
        assert!(c.secrets().contains(&value.to_owned()), "{}", s.name);
        assert!(!format!("{c:?}").contains(VALUE), "{}", s.name);
        let e = parse(&[url, (s.name, value), ("DATABASE_URL", value)]).unwrap_err();
        assert_eq!(e.var, "DATABASE_URL");
        assert!(!e.to_string().contains(VALUE), "{}: {e}", s.name);
    }
}

#[test]
fn the_single_variable_readers_use_the_same_rules() {
    let none = |_: &str| None;
    assert_eq!(
        Config::database_url_from_lookup(none).unwrap(),
        "sqlite://oxapay-bot.db"
    );
    assert_eq!(Config::metrics_listen_from_lookup(none).unwrap(), None);
    let bad = |_: &str| Some("postgres://x".to_owned());
    assert_eq!(
        Config::database_url_from_lookup(bad).unwrap_err().var,
        "DATABASE_URL"
    );
    assert_eq!(
        Config::metrics_listen_from_lookup(bad).unwrap_err().var,
        "METRICS_LISTEN"
    );
}

#[test]
fn oxapay_defaults_have_no_key_and_the_tables_url_and_timeout() {
    let o = oxapay_defaults().unwrap();
    assert_eq!(o.api_url.as_str(), "https://api.oxapay.com/");
    assert_eq!(o.timeout, Duration::from_secs(10));
    assert!(o.general_key.is_none() && o.payout_key.is_none() && o.merchant_key.is_none());
}

#[test]
fn the_value_checks_init_uses_are_the_parsers_own() {
    assert!(token_is_well_formed(TOKEN));
    assert!(!token_is_well_formed("123456:"));
    assert!(!token_is_well_formed("abc:def"));
    assert_eq!(key_problem("general", GENERAL), None);
    assert_eq!(
        key_problem("merchant", "short").unwrap(),
        "is too short to be an OxaPay key: paste the whole merchant key"
    );
    assert_eq!(
        parse_admin_ids(" 7, 5,7 ")
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        [UserId(5), UserId(7)]
    );
    assert_eq!(parse_admin_ids("0").unwrap_err().var, "ADMIN_IDS");
    assert_eq!(
        parse_telegram_api_url("https://proxy.example/tg/")
            .unwrap()
            .as_str(),
        "https://proxy.example/tg"
    );
    assert_eq!(
        parse_oxapay_url("https://x/?a").unwrap_err().var,
        "OXAPAY_API_URL"
    );
}
