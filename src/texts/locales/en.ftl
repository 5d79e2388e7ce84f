# English: the source of every message. Each other language's file has exactly these messages
# with exactly these variables (the texts tests say what is missing or extra).
#
# Messages are Telegram HTML: <b>, <i>, <code>, <pre> may be used; the bot escapes every
# variable that holds outside text. Amounts, codes, ids and times arrive ready to print (ASCII
# digits, kept left to right in right-to-left languages): never reformat them.

## Shared words

subject-total = Total value
time-unknown = an unknown time
weekday-short = { $day ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
weekday-long = { $day ->
    [1] Monday
    [2] Tuesday
    [3] Wednesday
    [4] Thursday
    [5] Friday
    [6] Saturday
   *[7] Sunday
}
month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
# A moment in the chat's zone: "Thu 27 Nov 2026 09:00 (Europe/Berlin)".
time-zoned = { $weekday } { $day } { $month } { $year } { $time } { $zone }
# A weekday and a time in UTC: "Thu 08:00 UTC".
time-utc-clock = { $weekday } { $time } UTC
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
interval = { $unit ->
    [h] { $n } h
    [min] { $n } min
   *[s] { $n } s
}
span = { $span ->
    [week] 7 days
    [month] 30 days
    [quarter] 90 days
   *[year] 1 year
}
schedule-daily = every day at { $time } { $zone }
schedule-weekly = every { $day } at { $time } { $zone }

## /start and /help

help = <b>OxaPay balance bot</b>
    Shows this OxaPay account's wallet balances, tells this chat when one runs low, and tells it of payments and payouts as they happen.

    /balance — every wallet that holds something, with its USD value and the total
    /balance all — the same with wallets worth under a cent
    /balance CUR — one currency, e.g. <code>/balance BTC</code>
    /alert CUR AMOUNT — tell this chat when CUR falls below AMOUNT, e.g. <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — tell this chat when CUR rises above AMOUNT (time to sweep to cold storage)
    /alert total AMOUNT — tell this chat when the account's total USD value falls below AMOUNT
    /alert CUR off — stop CUR's alerts (<code>/alert CUR above off</code>: one kind); /alert off — every alert here
    /alerts — this chat's alert levels and their state
    /mute 2h — hold this chat's alerts for a while (30m, 2h, 1d; /mute off resumes)
    /report 09:00 [TZ] — a balance report here every day at that time (TZ like Europe/Berlin; <code>/report mon 09:00</code>: weekly); /report shows it, /report off stops it, /report now sends one now
    /history [CUR|total] [7d|30d|90d|1y] — a chart of the balance, e.g. <code>/history BTC 7d</code>
    /payments — this chat hears payments as they happen (<code>/payments on</code>, <code>/payments on 100</code>: worth $100 or more, <code>/payments off</code>); the last ones
    /payouts — the same for payouts, and any that is stuck
    /tx TRACK_ID — one payment or payout, whole
    /sales [today|yesterday|7d|30d] — what was received, against the period before
    /history payments [7d|30d|90d] — a chart of the USD received per day
    /lang — the language of this chat (<code>/lang ru</code>, <code>/lang auto</code>)
    /help — this message
help-your-id = Your Telegram user id: { $id }

## The command menu (at most 256 characters each)

menu-start = what this bot does and your user id
menu-help = the commands you can use
menu-balance = wallet balances and USD values; /balance CUR for one, /balance all
menu-alert = /alert CUR AMOUNT (or CUR above AMOUNT) sets an alert; /alert CUR off removes it
menu-alerts = this chat's alerts and their state
menu-mute = /mute 2h holds this chat's alerts; /mute off resumes them
menu-report = /report 09:00 [TZ] daily or /report mon 09:00 weekly; off, now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: a chart of the balance
menu-lang = the language of this chat: /lang ru, /lang auto
menu-payments = /payments on|off: hear about payments here; /payments lists the last
menu-payouts = /payouts on|off: hear about payouts here; /payouts lists the last
menu-tx = /tx TRACK_ID: one payment or payout, whole
menu-sales = /sales [today|yesterday|7d|30d]: what was paid, against the period before

## Refusals and failures

not-authorized-user-in-chat = You are not authorized to use this bot. Your user id is { $id } (this chat: { $chat }) — ask an admin to /allow it.
not-authorized-user = You are not authorized to use this bot. Your user id is { $id } — ask an admin to /allow it.
not-authorized-chat = This chat is not authorized to use this bot. Its id is { $chat } — ask an admin to /allow it.
not-authorized-has-levels = This chat receives balance alerts someone set here; anyone in it can stop them with /alert off.
admin-only = Only admins can do that.
slow-down = Too many commands at once — please slow down; the bot will answer again in a few seconds.
unknown-command = Unknown command. /help lists what this bot understands.
storage-failed = The bot's database is busy or unavailable — nothing was changed; try again in a moment.
bad-argument = { $problem } — { $usage }
unknown-currency = This OxaPay account has no <b>{ $currency }</b> wallet. Its wallets: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] general API key
    [merchant] merchant API key
   *[payout] payout API key
}
oxapay-timeout = OxaPay did not answer within { $secs } s — try again shortly.
oxapay-connection = Could not reach OxaPay (connection failed) — try again shortly.
oxapay-redirect = OxaPay's address answered with a redirect (HTTP { $status }); the bot does not follow redirects, so the key is not sent elsewhere — check OXAPAY_API_URL.
oxapay-rate-limited = { $secs ->
    [0] OxaPay is limiting requests — try again in a minute.
   *[other] OxaPay is limiting requests — try again in { $secs } s.
}
oxapay-server-trouble = OxaPay is having trouble (HTTP { $status }) — try again shortly.
oxapay-refused = OxaPay refused the request (HTTP { $status }) — try again later.
oxapay-too-large = OxaPay sent an answer too large to read (over { $mib } MiB) — try again shortly.
oxapay-unreadable = OxaPay sent an answer the bot could not read — try again shortly.
oxapay-code = { $code ->
    [101] OxaPay rejected the request as invalid (code 101).
    [102] OxaPay rejected the API key: it is not a payout key (code 102).
    [103] OxaPay rejected the payout key (code 103): check OXAPAY_PAYOUT_API_KEY.
    [104] OxaPay refused this server's IP (code 104): allow it in the OxaPay panel.
    [105] OxaPay does not know that currency (code 105).
    [124] OxaPay's request limit is exceeded (code 124) — try again later.
   *[other] OxaPay reported an error (code { $code }) — try again later.
}
oxapay-key-refused = OxaPay refused the { $key } (HTTP 401): it is not a { $key } or was revoked — check { $variable }.
oxapay-invalid = OxaPay rejected the request as invalid (HTTP 400).
oxapay-general-key-refused = OxaPay refused the key (HTTP 401): the key is not a general API key or was revoked — check OXAPAY_GENERAL_API_KEY.
oxapay-not-found = OxaPay does not know this address (HTTP 404) — check OXAPAY_API_URL.
oxapay-maintenance = { $secs ->
    [0] OxaPay is down for maintenance (HTTP 503) — try again later.
   *[other] OxaPay is down for maintenance (HTTP 503) — try again in { $secs } s.
}
oxapay-error = OxaPay reported an error — try again later.
prices-unavailable = USD prices are unavailable right now ({ $reason }), so no values are shown.
price-reason = { $kind ->
    [timeout] no answer within { $secs } s
    [connection] connection failed
    [redirect] a redirect, HTTP { $status }, not followed — check OXAPAY_API_URL
    [limited] OxaPay is limiting requests
    [http] HTTP { $status }
    [code] code { $status }
    [key] the { $key } was refused
   *[unreadable] unreadable answer
}
prices-stale = USD prices are not current right now, so no values are shown.

## Arguments that were refused

problem-not-currency = { $given } is not a currency: { $why }
problem-currency-missing = a currency code is missing
problem-currency-invalid = a currency code is 2 to 10 letters or digits, like BTC or USDT
problem-amount-not-accepted = { $given } is not accepted: { $why }
problem-amount-missing = an amount is missing
problem-amount-not-plain = the amount must be a plain number like 0.5, 1000 or 1234.5678
problem-amount-not-positive = the amount must be above zero
problem-amount-too-large = the amount is too large or too precise: at most 15 digits before the point, 18 after it, 28 in all
problem-not-direction = { $given } is not a direction: say below or above
problem-alert-missing = a currency and an amount are missing
problem-amount-missing-after = the amount is missing
problem-alert-too-many = too many words: give a currency, optionally below or above, and an amount
problem-one-currency = one currency at a time
problem-not-understood = { $given } is not understood
problem-not-duration = { $given } is not a duration like 30m, 2h or 1d
problem-mute-zero = a mute must last longer than zero
problem-mute-too-long = a mute lasts at most 30 days (30d)
problem-one-duration = one duration at a time
problem-bad-time = { $given } is not a time: write HH:MM on a 24-hour clock, like 09:00 or 18:30
problem-unknown-day = { $given } is not a day of the week: write mon, tue, wed, thu, fri, sat or sun, or the full name, like monday
problem-unknown-zone = { $given } is not a time zone: write an IANA zone name like Europe/Berlin, Asia/Tehran or UTC
problem-missing-time = the time is missing: write HH:MM on a 24-hour clock, like 09:00
problem-day-after-time = the day comes before the time, like mon 09:00
problem-not-alone = { $given } stands alone: nothing may follow it
problem-report-too-many = too many words: write a time, a weekday before it for a weekly report and a zone after it, like mon 09:00 Europe/Berlin
problem-history-not-understood = { $given } is neither a currency nor a period: write a currency like BTC (or total) and a period of 7d, 30d, 90d or 1y
problem-unknown-span = { $given } is not a period: write 7d, 30d, 90d or 1y
problem-two-subjects = one currency at a time: write a currency like BTC, or total
problem-two-spans = one period at a time: write 7d, 30d, 90d or 1y
problem-history-too-many = too many words: write at most a currency (or total) and a period, like BTC 90d
problem-unknown-lang = { $given } is not a language this bot speaks
problem-one-lang = one language at a time
problem-events-empty = name at least one status, separated by commas (or all, or default)
problem-event-unknown = { $given } is not a status; the statuses are: { $known } (or all, or default)
problem-track-id = { $given } is not a track id: { $why ->
    [long] a track id is at most { $max } characters
   *[control] a track id holds no control characters
}
problem-track-id-missing = the track id is missing
problem-one-track-id = one track id at a time
problem-not-period = { $given } is not a period
problem-one-period = one period at a time

usage-balance = use /balance for every wallet, <code>/balance all</code> to include dust, or /balance CUR for one, e.g. <code>/balance BTC</code>.
usage-alert = use <code>/alert CUR AMOUNT</code> (e.g. <code>/alert BTC 0.5</code>: tell when BTC falls below 0.5), <code>/alert CUR above AMOUNT</code> (when it rises above), <code>/alert total AMOUNT</code> (the total USD value), <code>/alert CUR off</code> or <code>/alert off</code>; AMOUNT is a plain number above zero like 0.5, 1000 or 1234.5678.
usage-mute = use <code>/mute 30m</code>, <code>/mute 2h</code> or <code>/mute 1d</code> (at most 30d), <code>/mute off</code>, or /mute to see it.
usage-alerts = use /alerts for this chat, or <code>/alerts all</code> (admins) for every chat.
usage-report = use <code>/report 09:00</code> or <code>/report 09:00 Europe/Berlin</code> (daily), <code>/report mon 09:00 [TZ]</code> (weekly), <code>/report off</code>, <code>/report now</code>, or /report to see it. TZ is an IANA zone name such as UTC, Europe/Berlin or Asia/Tehran.
usage-history = use <code>/history</code> (total value, 30 days), <code>/history BTC</code>, <code>/history total 7d</code>; periods: 7d, 30d, 90d, 1y.
usage-lang = use /lang to see this chat's language, <code>/lang ru</code> to set one ({ $codes }), or <code>/lang auto</code> to follow each user's Telegram language.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 Refresh
button-mute-hour = 🔕 Mute 1h
button-balance = 💰 Balance
popup-not-authorized = You are not authorized to use this bot. Your user id is { $id }: ask an admin to /allow it.
popup-button-forged = This button is not valid. Send /help to see what the bot can do.
popup-button-too-old = This message is too old for its buttons; send the command again.
popup-refreshed = Updated.
popup-nothing-changed = Nothing changed since this message was written.
popup-refresh-too-long = The balances no longer fit in one message; send /balance for the full list.
popup-refresh-failed = Could not update this message right now; send /balance instead.
popup-muted = Alerts here are muted until { $until }.

## /balance

balance-heading-valued = <b>OxaPay balances</b> (wallets above zero, largest value first)
balance-heading = <b>OxaPay balances</b> (wallets above zero)
balance-no-price = no price
balance-footer-priced = <i>OxaPay, { $at } · prices of { $priced_at }</i>
balance-footer = <i>OxaPay, { $at }</i>
balance-all-zero = All { $count } wallets are at zero.
balance-total = Total: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
    [one] {" "}(1 wallet without a price left out)
   *[other] {" "}({ $unpriced } wallets without a price left out)
}
balance-dust = Dust: { $count ->
    [one] 1 wallet
   *[other] { $count } wallets
} worth under $0.01 each, folded — /balance all shows them.
balance-unreadable = ⚠️ OxaPay sent an amount the bot could not read for { $currencies }: left out{ $in_total ->
    [yes] {" "}(and out of the total)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = OxaPay lists no USD price for { $currency }.
balance-unreadable-one = OxaPay sent an amount for <b>{ $currency }</b> that the bot could not read ({ $why }); the other wallets are fine — try /balance.

## Alert levels

alert-set = Alert set: this chat is told when { $subject } { $direction ->
    [above] rises above
   *[below] falls below
} { $level }{ $total ->
    [yes] {" "}(the sum of every wallet's USD value; a check where a price is missing leaves it as it was)
   *[no] {""}
}. The next balance check tells you where it stands.
alerts-removed = { $count ->
    [0] This chat had no alerts.
    [1] The one alert of this chat was removed.
   *[other] All { $count } alerts of this chat were removed.
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] This chat had no below alert for { $subject }.
        [above] This chat had no above alert for { $subject }.
       *[both] This chat had no alert for { $subject }.
    }
    [1] { $direction ->
        [below] The below alert for { $subject } was removed.
        [above] The above alert for { $subject } was removed.
       *[both] The alert for { $subject } was removed.
    }
   *[other] Both { $removed } alerts for { $subject } were removed.
}
alert-state-unchecked = not yet checked
alert-state-ok = ok
alert-state-crossed = { $direction ->
    [above] high
   *[below] low
} since { $since }
alert-line = { $subject } { $direction ->
    [above] above
   *[below] below
} { $level }: { $state }
alerts-none-anywhere = No chat has alerts.
alerts-none = This chat has no alerts. Set one with <code>/alert CUR AMOUNT</code> or <code>/alert CUR above AMOUNT</code>.
alerts-heading-all = <b>Alerts of every chat</b>
alerts-heading = <b>Alerts of this chat</b>
alerts-last-check = Last successful check: { $at }
alerts-no-check = No successful check yet.
alerts-muted = 🔕 Muted until { $until } — /mute off to resume.

## Alerts as they happen

alert-low = ⚠️ Low balance: { $subject } { $balance } is below your alert level { $level }
alert-still-low = ⚠️ Still low: { $subject } { $balance } is below your alert level { $level } (since { $since })
alert-recovered = ✅ { $subject } recovered: { $balance } (alert level { $level })
alert-high = 🔺 { $subject } { $balance } is above your level { $level } — consider moving funds to cold storage
alert-still-high = 🔺 Still high: { $subject } { $balance } is above your level { $level } (since { $since })
alert-high-back = ✅ { $subject } is back at or below your level { $level }: { $balance }
mute-over = 🔔 Mute over. Right now:
mute-over-quiet = 🔔 Mute over.
mute-over-low = ⚠️ { $subject }{ $balance } is below your alert level { $level } (low since { $since })
mute-over-high = 🔺 { $subject }{ $balance } is above your level { $level } (high since { $since })

## /mute

muted = 🔕 Alerts in this chat are held until { $until }. States keep updating; when the mute ends you get one summary of what is low or high then. /mute off resumes them now.
mute-status = 🔕 This chat's alerts are muted until { $until }.
mute-status-off = This chat's alerts are not muted. <code>/mute 2h</code> holds them for two hours.
unmuted = 🔔 Alerts in this chat resume.
unmuted-not-muted = This chat's alerts were not muted.
unmuted-as-of = As of the last check:

## /report and the reports

report-set = 📊 Reports set: { $schedule }. Next: { $next } — { $next_utc }.
report-status = 📊 This chat gets a report { $schedule }. Next: { $next } — { $next_utc }. /report off stops it, /report now sends one now.
report-none = This chat has no scheduled report. <code>/report 09:00 Europe/Berlin</code> sets a daily one, <code>/report mon 09:00</code> a weekly one; /report now shows what it looks like.
report-removed = Scheduled reports stopped for this chat.
report-removed-none = This chat had no scheduled report.
report-queued = 📊 Report on its way.
report-heading = 📊 <b>Balance report</b> — { $at }
report-late = ⏰ Late by { $late }: it was due at { $due } and the bot was not running then.
report-stored = ⚠️ OxaPay has not answered since { $at }; these are the balances read then.
report-stored-no-values = Values are not shown for stored balances.
report-total-then = Total then: <b>{ $total }</b>
report-first = The first report here: nothing to compare yet.
report-no-change = No change since the last report ({ $at }).
report-since = <b>Since the last report</b> ({ $at }):
report-change-new = (new)
report-change-empty = (now empty)
report-total-change = Total: { $change } USD{ $percent }
report-crossed-heading = <b>Levels crossed now</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $direction ->
    [above] above
   *[below] below
} { $level }: { $direction ->
    [above] high
   *[below] low
} since { $since }
report-read-at = <i>Balances read { $at }</i>
report-without-balances = 📊 <b>Balance report</b> — { $at }
    ⚠️ OxaPay has not answered and no earlier balances are stored yet, so there is nothing to report this time.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>, last { $span }
    First: { $first } — { $first_at }
    Last: { $last } — { $last_at }
    Change: { $change }{ $percent }
    Min: { $min } — { $min_at }
    Max: { $max } — { $max_at }
    <i>{ $count } points</i>
history-total-name = Total value (USD)
history-none = No balance history yet. The bot records the balances with the first successful read and then every { $interval } — ask again later.
history-too-few = Too few points for a line yet: { $count } in this period (recording since { $since }). Try again later, or a longer period such as <code>/history total 90d</code>.
history-no-total = No USD totals are recorded for this period (prices were unavailable, or a wallet had no price). Ask for one currency instead, e.g. <code>/history BTC 30d</code>.
history-unavailable = The chart could not be drawn this time; the error is logged for the operator. Try again later.
# The chart's own words (drawn, not sent: plain text).
chart-title = { $subject }, last { $span }
chart-min = min
chart-max = max
chart-min-max = min = max

## /lang

lang-current = This chat reads { $name } ({ $code }){ $source ->
    [set] , set with /lang. <code>/lang auto</code> goes back to each user's Telegram language.
    [telegram] : your Telegram app's language. <code>/lang ru</code> sets another one for this chat.
   *[default] : no language was set for this chat. <code>/lang ru</code> sets one.
}
    Languages: { $languages }
lang-set = This chat now reads { $name } ({ $code }). <code>/lang auto</code> goes back to each user's Telegram language.
lang-auto = This chat follows each user's Telegram language again; here that is { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.

payment-status = { $status ->
    [new] new
    [waiting] waiting for payment
    [paying] being paid
    [paid] paid
    [manual_accept] accepted by hand
    [underpaid] underpaid
    [refunding] being refunded
    [refunded] refunded
    [expired] expired
   *[other] { $name }
}
payment-received = 💰 <b>Received</b> on a static address: { $amount } (payment { $status })
payment-event = { $emoji } <b>Payment { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } (at the price of { $at })
# An amount OxaPay sent that is not an exact number (40 digits, say): never shown rounded.
payment-amount-unreadable = an unreadable amount of { $currency }
payment-amount-unreadable-bare = an unreadable amount
payment-track = track { $track }
payment-order-track = order { $order } · track { $track }
payment-tx = tx { $tx }
payments-on = 🔔 This chat hears payments: { $events }. <code>/payments off</code> stops it.
payments-on-min = 🔔 This chat hears payments: { $events }; payments worth { $min } or more. <code>/payments off</code> stops it.
payments-off-setting = 🔕 This chat does not hear payments. <code>/payments on</code> turns it on (<code>/payments on 100</code>: only those worth $100 or more).
payments-none = No payments recorded yet.
payments-last = <b>{ $count ->
    [one] The last payment
   *[other] The last { $count } payments
}</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · order { $order } · { $when }
payments-events-set = This chat hears payments that are { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}The feed is off here: <code>/payments on</code> turns it on.
}
payments-chat-not-allowed = Payments are told only in chats an admin allowed: ask an admin to /allow { $chat } first.
payments-need-key = The payment feed is off: the bot's operator must set OXAPAY_MERCHANT_API_KEY (the merchant API key from OxaPay) and restart the bot.
tx-payment-heading = { $emoji } <b>Payment { $track }</b>: { $status } since { $since }
tx-amount = Amount: { $amount }{ $usd }
tx-field = { $field ->
    [type] Type
    [order] Order
    [email] Email
    [description] Description
    [created] Created
   *[expires] Expires
}: { $value }
tx-on-network = on { $network }
tx-confirmations = , { $count ->
    [one] 1 confirmation
   *[other] { $count } confirmations
}
tx-to = to { $address }
tx-seen = Seen: { $steps }
tx-problems = ⚠️ Not readable in OxaPay's answer: { $problems }
tx-payment-live = <i>Read from OxaPay now; not in the bot's ledger (older than its history).</i>
tx-unknown = OxaPay knows no payment or payout with the track id { $track }.
sales-heading = 💵 <b>Sales { $period ->
    [today] today
    [yesterday] yesterday
    [week] in the last 7 days
   *[month] in the last 30 days
}</b> (from { $from })
sales-paid = { $paid } paid · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } without a USD value left out)
}
sales-unreadable = { $count } with an unreadable amount left out of the sums.
sales-before = The period before: { $paid } paid · { $usd }. Change: { $paid_change } paid, { $usd_change }{ $percent }
sales-counts = Underpaid: { $underpaid } · Expired: { $expired }
report-count = { $emoji } { $count } { $status }
report-payments = <b>Payments since the last report</b>: { $counts }
report-payments-none = <b>Payments since the last report</b>: none.
report-received = Received: { $received }
held-payments = { $count ->
    [one] 1 payment
   *[other] { $count } payments
}, { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } without a USD value)
}
held-payouts = { $count ->
    [one] 1 payout
   *[other] { $count } payouts
}
held-line = 💰 While muted: { $parts } — /payments and /payouts list them.
payments-chart-empty = No paid payments in that period, so there is nothing to chart yet.
payments-chart-caption = 💵 Received per day, last { $days } days: <b>{ $total }</b> from { $paid } paid payments{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } without a USD value left out)
}
# Drawn on the chart: plain text.
payments-chart-title = Received per day (USD), last { $days } days
problem-payments-span = { $given } is not a period for payments: write 7d, 30d or 90d
usage-payments = use /payments to see this chat's setting and the last payments, <code>/payments on</code> (or <code>/payments on 100</code>: only payments worth $100 or more), <code>/payments off</code>, or <code>/payments events paid,underpaid,expired</code> (statuses: new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; or all, or default).
usage-tx = use <code>/tx TRACK_ID</code> with the track id OxaPay gave the payment or payout, e.g. <code>/tx 188225613</code>.
usage-sales = use /sales (today), <code>/sales yesterday</code>, <code>/sales 7d</code> or <code>/sales 30d</code>.

## Payouts: the feed, /payouts, /tx, reports

payout-status = { $status ->
    [pending] pending
    [processing] processing
    [confirming] confirming on the chain
    [confirmed] confirmed
    [canceled] canceled
    [rejected] rejected
   *[other] { $name }
}
payout-event = { $emoji } <b>Payout { $status }</b>: { $body }
payout-stuck = ⏳ <b>Payout stuck</b>: still { $status } since { $since } (over { $mins } min): { $body }
payout-fee = , fee { $fee }
payout-to = To { $address }
payouts-on = 🔔 This chat hears payouts: { $events }, and any stuck one. <code>/payouts off</code> stops it.
payouts-off-setting = 🔕 This chat does not hear payouts. <code>/payouts on</code> turns it on.
payouts-none = No payouts recorded yet.
payouts-last = <b>{ $count ->
    [one] The last payout
   *[other] The last { $count } payouts
}</b>
payouts-events-set = This chat hears payouts that are { $events }, and any stuck one.{ $enabled ->
    [yes] {""}
   *[no] {" "}The feed is off here: <code>/payouts on</code> turns it on.
}
payouts-need-key = The payout feed is off: the bot's operator must set OXAPAY_PAYOUT_API_KEY (the payout API key from OxaPay) and restart the bot.
tx-payout-heading = { $emoji } <b>Payout { $track }</b>: { $status } since { $since }
tx-payout-live-heading = { $emoji } <b>Payout { $track }</b>: { $status }
tx-memo = Memo: { $memo }
tx-internal = To another OxaPay account (no blockchain transfer).
tx-payout-live = <i>Read from OxaPay now; not in the bot's ledger.</i>
report-payouts = <b>Payouts since the last report</b>: { $counts }
report-sent = Sent: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } without a USD value left out)
}
usage-payouts = use /payouts to see this chat's setting and the last payouts, <code>/payouts on</code>, <code>/payouts off</code>, or <code>/payouts events confirmed,rejected</code> (statuses: pending, processing, confirming, confirmed, canceled, rejected; or all, or default). A stuck payout is told whatever the list.
