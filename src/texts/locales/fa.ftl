# فارسی. مرجع: en.ftl؛ همان پیام‌ها با همان متغیرها.
# فرمان‌ها (/balance، off، above، total، all، now، auto) و CUR و AMOUNT لاتین می‌مانند: در تلگرام تایپ می‌شوند.
# مبلغ‌ها، کد ارزها، شناسه‌ها و زمان‌ها با رقم لاتین و چپ‌به‌راست درج می‌شوند.

## Shared words

subject-total = ارزش کل
time-unknown = زمانی نامعلوم
weekday-short = { $day ->
    [1] دوشنبه
    [2] سه‌شنبه
    [3] چهارشنبه
    [4] پنجشنبه
    [5] جمعه
    [6] شنبه
   *[7] یکشنبه
}
weekday-long = { $day ->
    [1] دوشنبه
    [2] سه‌شنبه
    [3] چهارشنبه
    [4] پنجشنبه
    [5] جمعه
    [6] شنبه
   *[7] یکشنبه
}
month-short = { $month ->
    [1] ژانویه
    [2] فوریه
    [3] مارس
    [4] آوریل
    [5] مه
    [6] ژوئن
    [7] ژوئیه
    [8] اوت
    [9] سپتامبر
    [10] اکتبر
    [11] نوامبر
   *[12] دسامبر
}
time-zoned = { $weekday } { $day } { $month } { $year }، ساعت { $time } { $zone }
time-utc-clock = { $weekday } ساعت { $time } UTC
duration-minutes = { $minutes } دقیقه
duration-hours = { $hours } ساعت و { $minutes } دقیقه
interval = { $unit ->
    [h] { $n } ساعت
    [min] { $n } دقیقه
   *[s] { $n } ثانیه
}
span = { $span ->
    [week] 7 روز
    [month] 30 روز
    [quarter] 90 روز
   *[year] یک سال
}
schedule-daily = هر روز ساعت { $time } { $zone }
schedule-weekly = هر { $day } ساعت { $time } { $zone }

## /start and /help

help = <b>ربات موجودی OxaPay</b>
    موجودی کیف‌پول‌های این حساب OxaPay را نشان می‌دهد و وقتی موجودی یکی از آن‌ها کم شود، در همین گفتگو خبر می‌دهد؛ پرداخت‌ها و برداشت‌ها را هم همان لحظه اطلاع می‌دهد.

    /balance — همهٔ کیف‌پول‌های دارای موجودی، با ارزش دلاری هرکدام و جمع کل
    /balance all — همان، به‌همراه کیف‌پول‌هایی که ارزششان کمتر از یک سنت است
    /balance CUR — فقط یک ارز، مثلاً <code>/balance BTC</code>
    /alert CUR AMOUNT — وقتی موجودی CUR کمتر از AMOUNT شد خبر بده، مثلاً <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — وقتی موجودی CUR بیشتر از AMOUNT شد خبر بده (وقت انتقال به کیف پول سرد)
    /alert total AMOUNT — وقتی ارزش دلاری کل حساب کمتر از AMOUNT شد خبر بده
    /alert CUR off — حذف هشدارهای CUR (<code>/alert CUR above off</code>: فقط یکی)؛ /alert off — همهٔ هشدارهای این گفتگو
    /alerts — آستانه‌های هشدار این گفتگو و وضعیتشان
    /mute 2h — توقف موقت هشدارهای این گفتگو (30m، 2h، 1d؛ /mute off ادامه می‌دهد)
    /report 09:00 [TZ] — گزارش روزانهٔ موجودی در این ساعت (TZ مثل Asia/Tehran؛ <code>/report mon 09:00</code>: هفتگی)؛ /report برنامه را نشان می‌دهد، /report off متوقفش می‌کند و /report now همین حالا گزارشی می‌فرستد
    /history [CUR|total] [7d|30d|90d|1y] — نمودار موجودی، مثلاً <code>/history BTC 7d</code>
    /payments — اعلان هر پرداخت در همین گفتگو، همان لحظه که انجام می‌شود (<code>/payments on</code>، <code>/payments on 100</code>: فقط $100 و بیشتر، <code>/payments off</code>)؛ و آخرین پرداخت‌ها
    /payouts — همین برای برداشت‌ها، به‌همراه هر برداشتی که گیر کرده باشد
    /tx TRACK_ID — همهٔ جزئیات یک پرداخت یا برداشت
    /sales [today|yesterday|7d|30d] — مبلغ دریافتی، در مقایسه با دورهٔ قبل
    /history payments [7d|30d|90d] — نمودار دریافتی روزانه به دلار
    /lang — زبان این گفتگو (<code>/lang en</code>، <code>/lang auto</code>)
    /help — همین راهنما
help-your-id = شناسهٔ کاربری تلگرام شما: { $id }

## The command menu (at most 256 characters each)

menu-start = این ربات چه می‌کند و شناسهٔ کاربری شما
menu-help = فرمان‌هایی که می‌توانید به کار ببرید
menu-balance = موجودی کیف‌پول‌ها و ارزش دلاری؛ /balance CUR برای یک ارز، /balance all برای همه
menu-alert = /alert CUR AMOUNT (یا CUR above AMOUNT) هشدار می‌گذارد؛ /alert CUR off حذفش می‌کند
menu-alerts = هشدارهای این گفتگو و وضعیتشان
menu-mute = /mute 2h هشدارهای این گفتگو را موقتاً متوقف می‌کند؛ /mute off ادامه می‌دهد
menu-report = /report 09:00 [TZ] گزارش روزانه، /report mon 09:00 هفتگی؛ off، now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: نمودار موجودی
menu-lang = زبان این گفتگو: /lang en، /lang auto
menu-payments = اعلان پرداخت‌ها همان لحظه: /payments on، /payments off؛ آخرین پرداخت‌ها
menu-payouts = اعلان برداشت‌ها همان لحظه: /payouts on، /payouts off؛ آخرین برداشت‌ها
menu-tx = /tx TRACK_ID: همهٔ جزئیات یک پرداخت یا برداشت
menu-sales = /sales [today|yesterday|7d|30d]: مبلغ دریافتی

## Refusals and failures

not-authorized-user-in-chat = شما اجازهٔ استفاده از این ربات را ندارید. شناسهٔ کاربری شما { $id } است (شناسهٔ این گفتگو: { $chat })؛ از یکی از مدیران بخواهید با /allow دسترسی بدهد.
not-authorized-user = شما اجازهٔ استفاده از این ربات را ندارید. شناسهٔ کاربری شما { $id } است؛ از یکی از مدیران بخواهید با /allow دسترسی بدهد.
not-authorized-chat = این گفتگو اجازهٔ استفاده از ربات را ندارد. شناسهٔ آن { $chat } است؛ از یکی از مدیران بخواهید با /allow دسترسی بدهد.
not-authorized-has-levels = کسی در این گفتگو هشدار موجودی تنظیم کرده است؛ هر عضوی می‌تواند با /alert off آن‌ها را خاموش کند.
admin-only = این کار فقط از مدیران برمی‌آید.
slow-down = فرمان‌ها بیش از حد پشت سر هم است؛ لطفاً کمی صبر کنید. ربات چند ثانیهٔ دیگر دوباره پاسخ می‌دهد.
unknown-command = فرمان ناشناخته. فهرست فرمان‌ها با /help.
storage-failed = پایگاه دادهٔ ربات مشغول یا در دسترس نیست؛ چیزی تغییر نکرد. لحظه‌ای بعد دوباره امتحان کنید.
bad-argument = { $problem } — { $usage }
unknown-currency = این حساب OxaPay کیف پول <b>{ $currency }</b> ندارد. کیف‌پول‌های آن: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] کلید API عمومی (general)
    [merchant] کلید API پذیرنده (merchant)
   *[payout] کلید API برداشت (payout)
}
oxapay-timeout = OxaPay در { $secs } ثانیه پاسخ نداد؛ کمی بعد دوباره امتحان کنید.
oxapay-connection = اتصال به OxaPay برقرار نشد؛ کمی بعد دوباره امتحان کنید.
oxapay-redirect = نشانی OxaPay با تغییر مسیر پاسخ داد (HTTP { $status })؛ ربات تغییر مسیر را دنبال نمی‌کند تا کلید به جای دیگری فرستاده نشود. OXAPAY_API_URL را بررسی کنید.
oxapay-rate-limited = { $secs ->
    [0] OxaPay تعداد درخواست‌ها را محدود کرده است؛ یک دقیقهٔ دیگر امتحان کنید.
   *[other] OxaPay تعداد درخواست‌ها را محدود کرده است؛ { $secs } ثانیهٔ دیگر امتحان کنید.
}
oxapay-server-trouble = OxaPay دچار مشکل است (HTTP { $status })؛ کمی بعد دوباره امتحان کنید.
oxapay-refused = OxaPay درخواست را رد کرد (HTTP { $status })؛ بعداً دوباره امتحان کنید.
oxapay-too-large = پاسخ OxaPay برای خواندن بیش از حد بزرگ بود (بیش از { $mib } مگابایت)؛ کمی بعد دوباره امتحان کنید.
oxapay-unreadable = ربات نتوانست پاسخ OxaPay را بخواند؛ کمی بعد دوباره امتحان کنید.
oxapay-code = { $code ->
    [101] OxaPay درخواست را نامعتبر دانست (کد 101).
    [102] OxaPay کلید API را نپذیرفت: این کلید برداشت نیست (کد 102).
    [103] OxaPay کلید برداشت را نپذیرفت (کد 103): OXAPAY_PAYOUT_API_KEY را بررسی کنید.
    [104] OxaPay آی‌پی این سرور را نپذیرفت (کد 104): آن را در پنل OxaPay مجاز کنید.
    [105] OxaPay این ارز را نمی‌شناسد (کد 105).
    [124] سقف درخواست‌های OxaPay پر شده است (کد 124)؛ بعداً دوباره امتحان کنید.
   *[other] OxaPay خطا گزارش کرد (کد { $code })؛ بعداً دوباره امتحان کنید.
}
oxapay-key-refused = OxaPay { $key } را نپذیرفت (HTTP 401): کلید از نوع دیگری است یا باطل شده؛ { $variable } را بررسی کنید.
oxapay-invalid = OxaPay درخواست را نامعتبر دانست (HTTP 400).
oxapay-general-key-refused = OxaPay کلید را نپذیرفت (HTTP 401): کلید API عمومی نیست یا باطل شده؛ OXAPAY_GENERAL_API_KEY را بررسی کنید.
oxapay-not-found = OxaPay این نشانی را نمی‌شناسد (HTTP 404)؛ OXAPAY_API_URL را بررسی کنید.
oxapay-maintenance = { $secs ->
    [0] OxaPay در حال تعمیر و نگهداری است (HTTP 503)؛ بعداً دوباره امتحان کنید.
   *[other] OxaPay در حال تعمیر و نگهداری است (HTTP 503)؛ { $secs } ثانیهٔ دیگر امتحان کنید.
}
oxapay-error = OxaPay خطا گزارش کرد؛ بعداً دوباره امتحان کنید.
prices-unavailable = فعلاً قیمت‌های دلاری در دسترس نیست ({ $reason })، به همین دلیل ارزشی نمایش داده نمی‌شود.
price-reason = { $kind ->
    [timeout] پاسخی در { $secs } ثانیه نیامد
    [connection] اتصال برقرار نشد
    [redirect] تغییر مسیر HTTP { $status } دنبال نشد؛ OXAPAY_API_URL را بررسی کنید
    [limited] OxaPay تعداد درخواست‌ها را محدود کرده است
    [http] HTTP { $status }
    [code] کد { $status }
    [key] { $key } پذیرفته نشد
   *[unreadable] پاسخ خوانا نبود
}
prices-stale = فعلاً قیمت‌های دلاری به‌روز نیست، به همین دلیل ارزشی نمایش داده نمی‌شود.

## Arguments that were refused

problem-not-currency = { $given } ارز نیست: { $why }
problem-currency-missing = کد ارز وارد نشده است
problem-currency-invalid = کد ارز 2 تا 10 حرف لاتین یا رقم است، مثل BTC یا USDT
problem-amount-not-accepted = { $given } پذیرفته نیست: { $why }
problem-amount-missing = مبلغ وارد نشده است
problem-amount-not-plain = مبلغ باید عددی ساده باشد، مثل 0.5، 1000 یا 1234.5678
problem-amount-not-positive = مبلغ باید بیشتر از صفر باشد
problem-amount-too-large = مبلغ بیش از حد بزرگ یا دقیق است: حداکثر 15 رقم پیش از ممیز، 18 رقم پس از آن و 28 رقم در کل
problem-not-direction = { $given } جهت نیست: below یا above بنویسید
problem-alert-missing = ارز و مبلغ وارد نشده‌اند
problem-amount-missing-after = مبلغ وارد نشده است
problem-alert-too-many = کلمه‌ها زیاد است: یک ارز، در صورت نیاز below یا above، و یک مبلغ بنویسید
problem-one-currency = هر بار فقط یک ارز
problem-not-understood = { $given } مفهوم نیست
problem-not-duration = { $given } مدت زمانی مثل 30m، 2h یا 1d نیست
problem-mute-zero = توقف هشدار باید بیشتر از صفر طول بکشد
problem-mute-too-long = توقف هشدار حداکثر 30 روز است (30d)
problem-one-duration = هر بار فقط یک مدت زمان
problem-bad-time = { $given } زمان نیست: HH:MM را 24 ساعته بنویسید، مثل 09:00 یا 18:30
problem-unknown-day = { $given } روز هفته نیست: mon، tue، wed، thu، fri، sat یا sun یا نام کامل انگلیسی آن را بنویسید، مثل monday
problem-unknown-zone = { $given } منطقهٔ زمانی نیست: نام منطقهٔ IANA را بنویسید، مثل Asia/Tehran، Europe/Berlin یا UTC
problem-missing-time = زمان وارد نشده است: HH:MM را 24 ساعته بنویسید، مثل 09:00
problem-day-after-time = روز هفته پیش از ساعت می‌آید، مثل mon 09:00
problem-not-alone = پس از { $given } چیز دیگری نباید بیاید
problem-report-too-many = کلمه‌ها زیاد است: یک ساعت، برای گزارش هفتگی روز هفته پیش از آن و منطقهٔ زمانی پس از آن بنویسید، مثل mon 09:00 Asia/Tehran
problem-history-not-understood = { $given } نه ارز است نه بازهٔ زمانی: یک ارز مثل BTC (یا total) و یک بازه از 7d، 30d، 90d یا 1y بنویسید
problem-unknown-span = { $given } بازهٔ زمانی نیست: 7d، 30d، 90d یا 1y بنویسید
problem-two-subjects = هر بار فقط یک ارز: ارزی مثل BTC یا total بنویسید
problem-two-spans = هر بار فقط یک بازه: 7d، 30d، 90d یا 1y
problem-history-too-many = کلمه‌ها زیاد است: حداکثر یک ارز (یا total) و یک بازه، مثل BTC 90d
problem-unknown-lang = { $given } از زبان‌هایی نیست که این ربات می‌داند
problem-one-lang = هر بار فقط یک زبان
problem-events-empty = دست‌کم یک وضعیت بنویسید و وضعیت‌ها را با کاما جدا کنید (یا all، یا default)
problem-event-unknown = { $given } وضعیت نیست؛ وضعیت‌ها: { $known } (یا all، یا default)
problem-track-id = { $given } کد پیگیری نیست: { $why ->
    [long] کد پیگیری حداکثر { $max } نویسه است
   *[control] کد پیگیری نویسهٔ کنترلی ندارد
}
problem-track-id-missing = کد پیگیری وارد نشده است
problem-one-track-id = هر بار فقط یک کد پیگیری
problem-not-period = { $given } بازهٔ زمانی نیست
problem-one-period = هر بار فقط یک بازه

usage-balance = برای همهٔ کیف‌پول‌ها /balance، برای دیدن ریزموجودی‌ها هم <code>/balance all</code>، یا برای یک ارز /balance CUR را بفرستید، مثلاً <code>/balance BTC</code>.
usage-alert = <code>/alert CUR AMOUNT</code> (مثلاً <code>/alert BTC 0.5</code>: وقتی BTC کمتر از 0.5 شد خبر بده)، <code>/alert CUR above AMOUNT</code> (وقتی بیشتر شد)، <code>/alert total AMOUNT</code> (ارزش دلاری کل)، <code>/alert CUR off</code> یا <code>/alert off</code> را بفرستید؛ AMOUNT عددی ساده و بزرگ‌تر از صفر است، مثل 0.5، 1000 یا 1234.5678.
usage-mute = <code>/mute 30m</code>، <code>/mute 2h</code> یا <code>/mute 1d</code> (حداکثر 30d)، <code>/mute off</code>، یا برای دیدن وضعیت فقط /mute را بفرستید.
usage-alerts = برای این گفتگو /alerts، یا برای همهٔ گفتگوها <code>/alerts all</code> (ویژهٔ مدیران) را بفرستید.
usage-report = <code>/report 09:00</code> یا <code>/report 09:00 Asia/Tehran</code> (روزانه)، <code>/report mon 09:00 [TZ]</code> (هفتگی)، <code>/report off</code>، <code>/report now</code>، یا برای دیدن برنامه فقط /report را بفرستید. TZ نام منطقهٔ زمانی IANA است، مثل UTC، Asia/Tehran یا Europe/Berlin.
usage-history = <code>/history</code> (ارزش کل، 30 روز)، <code>/history BTC</code> یا <code>/history total 7d</code> را بفرستید؛ بازه‌ها: 7d، 30d، 90d، 1y.
usage-lang = برای دیدن زبان این گفتگو /lang، برای انتخاب زبان <code>/lang en</code> ({ $codes })، یا برای پیروی از زبان تلگرام هر کاربر <code>/lang auto</code> را بفرستید.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 به‌روزرسانی
button-mute-hour = 🔕 توقف 1 ساعته
button-balance = 💰 موجودی
popup-not-authorized = شما اجازهٔ استفاده از این ربات را ندارید. شناسهٔ کاربری شما { $id } است؛ از یکی از مدیران بخواهید با /allow دسترسی بدهد.
popup-button-forged = این دکمه معتبر نیست. برای دیدن کارهای ربات /help را بفرستید.
popup-button-too-old = این پیام برای دکمه‌هایش بیش از حد قدیمی است؛ فرمان را دوباره بفرستید.
popup-refreshed = به‌روز شد.
popup-nothing-changed = از زمان این پیام چیزی تغییر نکرده است.
popup-refresh-too-long = موجودی‌ها دیگر در یک پیام جا نمی‌شوند؛ برای فهرست کامل /balance را بفرستید.
popup-refresh-failed = الان نشد این پیام به‌روز شود؛ به‌جایش /balance را بفرستید.
popup-muted = هشدارهای این گفتگو تا { $until } متوقف است.

## /balance

balance-heading-valued = <b>موجودی‌های OxaPay</b> (کیف‌پول‌های دارای موجودی، به ترتیب ارزش)
balance-heading = <b>موجودی‌های OxaPay</b> (کیف‌پول‌های دارای موجودی)
balance-no-price = بدون قیمت
balance-footer-priced = <i>OxaPay، { $at } · قیمت‌ها در { $priced_at }</i>
balance-footer = <i>OxaPay، { $at }</i>
balance-all-zero = موجودی هر { $count } کیف پول صفر است.
balance-total = جمع کل: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
   *[other] {" "}({ $unpriced } کیف پول بی‌قیمت در جمع نیامده است)
}
balance-dust = ریزموجودی: { $count } کیف پول با ارزش کمتر از $0.01 جمع شده است؛ /balance all آن‌ها را نشان می‌دهد.
balance-unreadable = ⚠️ OxaPay برای { $currencies } مبلغی فرستاد که ربات نتوانست بخواند: نمایش داده نشد{ $in_total ->
    [yes] {" "}(و در جمع کل هم نیامد)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = OxaPay برای { $currency } قیمت دلاری ندارد.
balance-unreadable-one = OxaPay برای <b>{ $currency }</b> مبلغی فرستاد که ربات نتوانست بخواند ({ $why })؛ باقی کیف‌پول‌ها مشکلی ندارند، /balance را امتحان کنید.

## Alert levels

alert-set = هشدار تنظیم شد: وقتی { $subject } { $direction ->
    [above] بیشتر از
   *[below] کمتر از
} { $level } شود{ $total ->
    [yes] {" "}(جمع ارزش دلاری همهٔ کیف‌پول‌ها؛ اگر در بررسی قیمتی در دست نباشد، وضعیت همان می‌ماند)
   *[no] {""}
}، در این گفتگو خبر داده می‌شود. بررسی بعدی موجودی وضعیت فعلی را نشان می‌دهد.
alerts-removed = { $count ->
    [0] این گفتگو هشداری نداشت.
    [1] تنها هشدار این گفتگو حذف شد.
   *[other] همهٔ { $count } هشدار این گفتگو حذف شد.
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] این گفتگو برای { $subject } هشدار کمینه نداشت.
        [above] این گفتگو برای { $subject } هشدار بیشینه نداشت.
       *[both] این گفتگو برای { $subject } هشداری نداشت.
    }
    [1] { $direction ->
        [below] هشدار کمینهٔ { $subject } حذف شد.
        [above] هشدار بیشینهٔ { $subject } حذف شد.
       *[both] هشدار { $subject } حذف شد.
    }
   *[other] هر { $removed } هشدار { $subject } حذف شد.
}
alert-state-unchecked = هنوز بررسی نشده
alert-state-ok = عادی
alert-state-crossed = { $direction ->
    [above] بالاتر از آستانه
   *[below] پایین‌تر از آستانه
} از { $since }
alert-line = { $subject } { $direction ->
    [above] بالای
   *[below] زیر
} { $level }: { $state }
alerts-none-anywhere = هیچ گفتگویی هشدار ندارد.
alerts-none = این گفتگو هشداری ندارد. با <code>/alert CUR AMOUNT</code> یا <code>/alert CUR above AMOUNT</code> یکی تنظیم کنید.
alerts-heading-all = <b>هشدارهای همهٔ گفتگوها</b>
alerts-heading = <b>هشدارهای این گفتگو</b>
alerts-last-check = آخرین بررسی موفق: { $at }
alerts-no-check = هنوز هیچ بررسی موفقی انجام نشده است.
alerts-muted = 🔕 متوقف تا { $until }؛ /mute off هشدارها را از سر می‌گیرد.

## Alerts as they happen

alert-low = ⚠️ موجودی کم: { $subject } { $balance } کمتر از آستانهٔ هشدار شما { $level } است
alert-still-low = ⚠️ همچنان کم: { $subject } { $balance } کمتر از آستانهٔ هشدار شما { $level } است (از { $since })
alert-recovered = ✅ موجودی { $subject } به حالت عادی برگشت: { $balance } (آستانهٔ هشدار { $level })
alert-high = 🔺 { $subject } { $balance } بیشتر از آستانهٔ شما { $level } است؛ بهتر است بخشی از دارایی را به کیف پول سرد منتقل کنید
alert-still-high = 🔺 همچنان زیاد: { $subject } { $balance } بیشتر از آستانهٔ شما { $level } است (از { $since })
alert-high-back = ✅ { $subject } دوباره به آستانهٔ شما { $level } یا کمتر رسید: { $balance }
mute-over = 🔔 توقف هشدارها تمام شد. وضعیت فعلی:
mute-over-quiet = 🔔 توقف هشدارها تمام شد.
mute-over-low = ⚠️ { $subject }{ $balance } کمتر از آستانهٔ هشدار شما { $level } است (از { $since })
mute-over-high = 🔺 { $subject }{ $balance } بیشتر از آستانهٔ شما { $level } است (از { $since })

## /mute

muted = 🔕 هشدارهای این گفتگو تا { $until } متوقف شد. وضعیت‌ها همچنان به‌روز می‌شوند و با پایان توقف، یک خلاصه از آنچه کم یا زیاد است دریافت می‌کنید. /mute off همین حالا هشدارها را از سر می‌گیرد.
mute-status = 🔕 هشدارهای این گفتگو تا { $until } متوقف است.
mute-status-off = هشدارهای این گفتگو متوقف نیست. <code>/mute 2h</code> آن‌ها را دو ساعت متوقف می‌کند.
unmuted = 🔔 هشدارهای این گفتگو از سر گرفته شد.
unmuted-not-muted = هشدارهای این گفتگو متوقف نبود.
unmuted-as-of = بر پایهٔ آخرین بررسی:

## /report and the reports

report-set = 📊 گزارش تنظیم شد: { $schedule }. گزارش بعدی: { $next } ({ $next_utc }).
report-status = 📊 این گفتگو { $schedule } گزارش دریافت می‌کند. گزارش بعدی: { $next } ({ $next_utc }). /report off گزارش‌ها را متوقف می‌کند و /report now همین حالا یکی می‌فرستد.
report-none = این گفتگو گزارش زمان‌بندی‌شده ندارد. <code>/report 09:00 Asia/Tehran</code> گزارش روزانه و <code>/report mon 09:00</code> گزارش هفتگی تنظیم می‌کند؛ /report now نمونه‌ای را نشان می‌دهد.
report-removed = گزارش‌های زمان‌بندی‌شدهٔ این گفتگو متوقف شد.
report-removed-none = این گفتگو گزارش زمان‌بندی‌شده نداشت.
report-queued = 📊 گزارش در راه است.
report-heading = 📊 <b>گزارش موجودی</b> — { $at }
report-late = ⏰ با { $late } تأخیر: موعد این گزارش { $due } بود و ربات در آن زمان روشن نبود.
report-stored = ⚠️ OxaPay از { $at } پاسخ نداده است؛ این‌ها موجودی‌های خوانده‌شده در آن زمان است.
report-stored-no-values = برای موجودی‌های ذخیره‌شده ارزش دلاری نمایش داده نمی‌شود.
report-total-then = جمع کل در آن زمان: <b>{ $total }</b>
report-first = نخستین گزارش این گفتگو: هنوز چیزی برای مقایسه نیست.
report-no-change = از گزارش قبلی ({ $at }) تغییری نبوده است.
report-since = <b>از گزارش قبلی</b> ({ $at }):
report-change-new = (جدید)
report-change-empty = (اکنون خالی)
report-total-change = جمع کل: { $change } USD{ $percent }
report-crossed-heading = <b>آستانه‌هایی که اکنون رد شده‌اند</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $direction ->
    [above] بالای
   *[below] زیر
} { $level }: { $direction ->
    [above] بالاتر از آستانه
   *[below] پایین‌تر از آستانه
} از { $since }
report-read-at = <i>موجودی‌ها خوانده‌شده در { $at }</i>
report-without-balances = 📊 <b>گزارش موجودی</b> — { $at }
    ⚠️ OxaPay پاسخ نداده و هنوز موجودی قبلی‌ای ذخیره نشده است، پس این بار چیزی برای گزارش نیست.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>، { $span } گذشته
    آغاز: { $first } — { $first_at }
    پایان: { $last } — { $last_at }
    تغییر: { $change }{ $percent }
    کمینه: { $min } — { $min_at }
    بیشینه: { $max } — { $max_at }
    <i>{ $count } نقطه</i>
history-total-name = ارزش کل (USD)
history-none = هنوز سابقه‌ای از موجودی ثبت نشده است. ربات موجودی‌ها را از نخستین خواندن موفق و پس از آن هر { $interval } ثبت می‌کند؛ بعداً دوباره بپرسید.
history-too-few = هنوز نقطه‌های کافی برای رسم خط نیست: { $count } نقطه در این بازه (ثبت از { $since }). بعداً دوباره امتحان کنید، یا بازهٔ بلندتری بخواهید، مثل <code>/history total 90d</code>.
history-no-total = برای این بازه جمع دلاری‌ای ثبت نشده است (قیمت‌ها در دسترس نبود یا کیف پولی قیمت نداشت). به‌جایش یک ارز را بخواهید، مثلاً <code>/history BTC 30d</code>.
history-unavailable = این بار نمودار رسم نشد؛ خطا برای اپراتور ثبت شد. بعداً دوباره امتحان کنید.
chart-title = { $subject }، { $span } گذشته
chart-min = کمینه
chart-max = بیشینه
chart-min-max = کمینه = بیشینه

## /lang

lang-current = زبان این گفتگو: { $name } ({ $code }){ $source ->
    [set] ، که با /lang تنظیم شده است. <code>/lang auto</code> به زبان تلگرام هر کاربر برمی‌گردد.
    [telegram] ، یعنی زبان برنامهٔ تلگرام شما. <code>/lang en</code> زبان دیگری برای این گفتگو تنظیم می‌کند.
   *[default] ؛ برای این گفتگو زبانی تنظیم نشده است. <code>/lang fa</code> آن را تنظیم می‌کند.
}
    زبان‌ها: { $languages }
lang-set = از این پس زبان این گفتگو { $name } ({ $code }) است. <code>/lang auto</code> به زبان تلگرام هر کاربر برمی‌گردد.
lang-auto = این گفتگو دوباره از زبان تلگرام هر کاربر پیروی می‌کند؛ اینجا یعنی { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.
# A status reads after «پرداخت»: «پرداخت انجام‌شده».

payment-status = { $status ->
    [new] جدید
    [waiting] منتظر واریز
    [paying] در حال واریز
    [paid] انجام‌شده
    [manual_accept] دستی پذیرفته‌شده
    [underpaid] ناقص
    [refunding] در حال بازپرداخت
    [refunded] بازپرداخت‌شده
    [expired] منقضی‌شده
   *[other] { $name }
}
payment-received = 💰 <b>واریز</b> به آدرس ثابت: { $amount } (پرداخت { $status })
payment-event = { $emoji } <b>پرداخت { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } (با قیمت { $at })
payment-amount-unreadable = مبلغی ناخوانا به { $currency }
payment-amount-unreadable-bare = مبلغی ناخوانا
payment-track = کد پیگیری { $track }
payment-order-track = سفارش { $order } · کد پیگیری { $track }
payment-tx = تراکنش { $tx }
payments-on = 🔔 این گفتگو اعلان پرداخت‌هایی با این وضعیت‌ها را دریافت می‌کند: { $events }. <code>/payments off</code> آن را خاموش می‌کند.
payments-on-min = 🔔 این گفتگو اعلان پرداخت‌های { $min } و بیشتر را با این وضعیت‌ها دریافت می‌کند: { $events }. <code>/payments off</code> آن را خاموش می‌کند.
payments-off-setting = 🔕 این گفتگو اعلان پرداخت دریافت نمی‌کند. <code>/payments on</code> آن را روشن می‌کند (<code>/payments on 100</code>: فقط پرداخت‌های $100 و بیشتر).
payments-none = هنوز پرداختی ثبت نشده است.
payments-last = <b>{ $count } پرداخت آخر</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · سفارش { $order } · { $when }
payments-events-set = این گفتگو اعلان پرداخت‌هایی با این وضعیت‌ها را دریافت می‌کند: { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}اعلان‌ها در این گفتگو خاموش است: <code>/payments on</code> روشنشان می‌کند.
}
payments-chat-not-allowed = پرداخت‌ها فقط در گفتگوهایی اعلام می‌شوند که یکی از مدیران مجاز کرده باشد: ابتدا از یکی از مدیران بخواهید /allow { $chat } را بفرستد.
payments-need-key = اعلان پرداخت‌ها خاموش است: اپراتور ربات باید OXAPAY_MERCHANT_API_KEY (کلید API پذیرنده از OxaPay) را تنظیم کند و ربات را دوباره راه‌اندازی کند.
tx-payment-heading = { $emoji } <b>پرداخت { $track }</b>: { $status } از { $since }
tx-amount = مبلغ: { $amount }{ $usd }
tx-field = { $field ->
    [type] نوع
    [order] سفارش
    [email] ایمیل
    [description] توضیحات
    [created] زمان ایجاد
   *[expires] زمان انقضا
}: { $value }
tx-on-network = در شبکهٔ { $network }
tx-confirmations = ، { $count } تأیید
tx-to = به آدرس { $address }
tx-seen = تاریخچهٔ وضعیت: { $steps }
tx-problems = ⚠️ این موارد در پاسخ OxaPay خوانا نبود: { $problems }
tx-payment-live = <i>همین حالا از OxaPay خوانده شد؛ در دفتر ربات نیست (قدیمی‌تر از سابقهٔ ربات است).</i>
tx-unknown = OxaPay هیچ پرداخت یا برداشتی با کد پیگیری { $track } نمی‌شناسد.
sales-heading = 💵 <b>فروش { $period ->
    [today] امروز
    [yesterday] دیروز
    [week] 7 روز گذشته
   *[month] 30 روز گذشته
}</b> (از { $from })
sales-paid = { $paid } پرداخت انجام‌شده · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } پرداخت بدون ارزش دلاری در جمع نیامده است)
}
sales-unreadable = { $count } پرداخت با مبلغ ناخوانا در جمع‌ها نیامده است.
sales-before = دورهٔ قبل: { $paid } پرداخت انجام‌شده · { $usd }. تغییر: { $paid_change } پرداخت، { $usd_change }{ $percent }
sales-counts = ناقص: { $underpaid } · منقضی‌شده: { $expired }
report-count = { $emoji } { $status }: { $count }
report-payments = <b>پرداخت‌ها از گزارش قبلی</b>: { $counts }
report-payments-none = <b>پرداخت‌ها از گزارش قبلی</b>: هیچ.
report-received = دریافتی: { $received }
held-payments = { $count } پرداخت، { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } پرداخت بدون ارزش دلاری)
}
held-payouts = { $count } برداشت
held-line = 💰 در زمان توقف: { $parts }؛ /payments و /payouts فهرستشان را نشان می‌دهند.
payments-chart-empty = در این بازه پرداخت انجام‌شده‌ای نیست، پس هنوز چیزی برای رسم نمودار وجود ندارد.
payments-chart-caption = 💵 دریافتی روزانه، { $days } روز گذشته: <b>{ $total }</b> از { $paid } پرداخت انجام‌شده{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } پرداخت بدون ارزش دلاری در جمع نیامده است)
}
# Drawn on the chart: plain text.
payments-chart-title = دریافتی روزانه (USD)، { $days } روز گذشته
problem-payments-span = { $given } بازهٔ زمانی پرداخت‌ها نیست: 7d، 30d یا 90d بنویسید
usage-payments = برای دیدن تنظیم این گفتگو و آخرین پرداخت‌ها /payments، <code>/payments on</code> (یا <code>/payments on 100</code>: فقط پرداخت‌های $100 و بیشتر)، <code>/payments off</code>، یا <code>/payments events paid,underpaid,expired</code> را بفرستید (وضعیت‌ها: new، waiting، paying، paid، manual_accept، underpaid، refunding، refunded، expired؛ یا all، یا default).
usage-tx = <code>/tx TRACK_ID</code> را با کد پیگیری پرداخت یا برداشت در OxaPay بفرستید، مثلاً <code>/tx 188225613</code>.
usage-sales = /sales (امروز)، <code>/sales yesterday</code>، <code>/sales 7d</code> یا <code>/sales 30d</code> را بفرستید.

## Payouts: the feed, /payouts, /tx, reports
# A status reads after «برداشت»: «برداشت تأییدشده».

payout-status = { $status ->
    [pending] در انتظار
    [processing] در حال پردازش
    [confirming] در حال تأیید روی بلاکچین
    [confirmed] تأییدشده
    [canceled] لغوشده
    [rejected] ردشده
   *[other] { $name }
}
payout-event = { $emoji } <b>برداشت { $status }</b>: { $body }
payout-stuck = ⏳ <b>برداشت گیر کرده است</b>: از { $since } همچنان { $status } (بیش از { $mins } دقیقه): { $body }
payout-fee = ، کارمزد { $fee }
payout-to = به آدرس { $address }
payouts-on = 🔔 این گفتگو اعلان برداشت‌هایی با این وضعیت‌ها را دریافت می‌کند: { $events }؛ و نیز هر برداشتی که گیر کند. <code>/payouts off</code> آن را خاموش می‌کند.
payouts-off-setting = 🔕 این گفتگو اعلان برداشت دریافت نمی‌کند. <code>/payouts on</code> آن را روشن می‌کند.
payouts-none = هنوز برداشتی ثبت نشده است.
payouts-last = <b>{ $count } برداشت آخر</b>
payouts-events-set = این گفتگو اعلان برداشت‌هایی با این وضعیت‌ها را دریافت می‌کند: { $events }؛ و نیز هر برداشتی که گیر کند.{ $enabled ->
    [yes] {""}
   *[no] {" "}اعلان‌ها در این گفتگو خاموش است: <code>/payouts on</code> روشنشان می‌کند.
}
payouts-need-key = اعلان برداشت‌ها خاموش است: اپراتور ربات باید OXAPAY_PAYOUT_API_KEY (کلید API برداشت از OxaPay) را تنظیم کند و ربات را دوباره راه‌اندازی کند.
tx-payout-heading = { $emoji } <b>برداشت { $track }</b>: { $status } از { $since }
tx-payout-live-heading = { $emoji } <b>برداشت { $track }</b>: { $status }
tx-memo = ممو: { $memo }
tx-internal = به حساب OxaPay دیگری (بدون انتقال روی بلاکچین).
tx-payout-live = <i>همین حالا از OxaPay خوانده شد؛ در دفتر ربات نیست.</i>
report-payouts = <b>برداشت‌ها از گزارش قبلی</b>: { $counts }
report-sent = ارسالی: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } برداشت بدون ارزش دلاری در جمع نیامده است)
}
usage-payouts = برای دیدن تنظیم این گفتگو و آخرین برداشت‌ها /payouts، <code>/payouts on</code>، <code>/payouts off</code>، یا <code>/payouts events confirmed,rejected</code> را بفرستید (وضعیت‌ها: pending، processing، confirming، confirmed، canceled، rejected؛ یا all، یا default). برداشتی که گیر کند، فهرست هر چه باشد، همیشه اعلام می‌شود.
