# العربية. المرجع: en.ftl؛ الرسائل نفسها بالمتغيرات نفسها.
# الأوامر (/balance و off و above و total و all و now و auto) وCUR وAMOUNT تبقى باللاتينية: تُكتب في تيليجرام.
# المبالغ ورموز العملات والمعرّفات والأوقات تُدرج بأرقام لاتينية ومن اليسار إلى اليمين.

## Shared words

subject-total = القيمة الإجمالية
time-unknown = وقت غير معروف
weekday-short = { $day ->
    [1] الاثنين
    [2] الثلاثاء
    [3] الأربعاء
    [4] الخميس
    [5] الجمعة
    [6] السبت
   *[7] الأحد
}
weekday-long = { $day ->
    [1] يوم الاثنين
    [2] يوم الثلاثاء
    [3] يوم الأربعاء
    [4] يوم الخميس
    [5] يوم الجمعة
    [6] يوم السبت
   *[7] يوم الأحد
}
month-short = { $month ->
    [1] يناير
    [2] فبراير
    [3] مارس
    [4] أبريل
    [5] مايو
    [6] يونيو
    [7] يوليو
    [8] أغسطس
    [9] سبتمبر
    [10] أكتوبر
    [11] نوفمبر
   *[12] ديسمبر
}
time-zoned = { $weekday } { $day } { $month } { $year }، الساعة { $time } { $zone }
time-utc-clock = { $weekday } الساعة { $time } UTC
duration-minutes = { $minutes } دقيقة
duration-hours = { $hours } ساعة و{ $minutes } دقيقة
interval = { $unit ->
    [h] { $n } ساعة
    [min] { $n } دقيقة
   *[s] { $n } ثانية
}
span = { $span ->
    [week] 7 أيام
    [month] 30 يومًا
    [quarter] 90 يومًا
   *[year] سنة واحدة
}
schedule-daily = كل يوم الساعة { $time } { $zone }
schedule-weekly = كل { $day } الساعة { $time } { $zone }

## /start and /help

help = <b>بوت أرصدة OxaPay</b>
    يعرض أرصدة محافظ حساب OxaPay هذا، وينبّه هذه المحادثة عندما ينخفض رصيد إحداها، ويخبرها بالمدفوعات الواردة والصادرة فور حدوثها.

    /balance — كل محفظة فيها رصيد، مع قيمتها بالدولار والإجمالي
    /balance all — مثلها مع المحافظ التي تقل قيمتها عن سنت واحد
    /balance CUR — عملة واحدة، مثل <code>/balance BTC</code>
    /alert CUR AMOUNT — نبّه هذه المحادثة عندما ينخفض رصيد CUR عن AMOUNT، مثل <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — نبّه عندما يرتفع رصيد CUR فوق AMOUNT (حان وقت النقل إلى المحفظة الباردة)
    /alert total AMOUNT — نبّه عندما تنخفض القيمة الإجمالية للحساب بالدولار عن AMOUNT
    /alert CUR off — إلغاء تنبيهات CUR (<code>/alert CUR above off</code>: نوع واحد فقط)؛ /alert off — كل تنبيهات هذه المحادثة
    /alerts — حدود التنبيه في هذه المحادثة وحالتها
    /mute 2h — إيقاف تنبيهات هذه المحادثة مؤقتًا (30m أو 2h أو 1d؛ /mute off يستأنفها)
    /report 09:00 [TZ] — تقرير أرصدة هنا كل يوم في هذا الوقت (TZ مثل Asia/Riyadh؛ <code>/report mon 09:00</code>: أسبوعيًا)؛ /report يعرضه، و/report off يوقفه، و/report now يرسل تقريرًا الآن
    /history [CUR|total] [7d|30d|90d|1y] — رسم بياني للرصيد، مثل <code>/history BTC 7d</code>
    /payments — إشعارات المدفوعات في هذه المحادثة فور حدوثها (<code>/payments on</code>، <code>/payments on 100</code>: بقيمة $100 أو أكثر، <code>/payments off</code>)؛ وآخر المدفوعات
    /payouts — الشيء نفسه للمدفوعات الصادرة، مع أي دفعة صادرة عالقة
    /tx TRACK_ID — دفعة واحدة أو دفعة صادرة بكل تفاصيلها
    /sales [today|yesterday|7d|30d] — ما استُلم، مقارنةً بالفترة السابقة
    /history payments [7d|30d|90d] — رسم بياني لما استُلم بالدولار يوميًا
    /lang — لغة هذه المحادثة (<code>/lang en</code>، <code>/lang auto</code>)
    /help — هذه الرسالة
help-your-id = معرّف المستخدم الخاص بك في تيليجرام: { $id }

## The command menu (at most 256 characters each)

menu-start = ما يفعله هذا البوت ومعرّف المستخدم الخاص بك
menu-help = الأوامر المتاحة لك
menu-balance = أرصدة المحافظ وقيمتها بالدولار؛ /balance CUR لعملة واحدة، /balance all للكل
menu-alert = /alert CUR AMOUNT (أو CUR above AMOUNT) يضبط تنبيهًا؛ /alert CUR off يلغيه
menu-alerts = تنبيهات هذه المحادثة وحالتها
menu-mute = /mute 2h يوقف تنبيهات هذه المحادثة مؤقتًا؛ /mute off يستأنفها
menu-report = /report 09:00 [TZ] تقرير يومي أو /report mon 09:00 أسبوعي؛ off، now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: رسم بياني للرصيد
menu-lang = لغة هذه المحادثة: /lang en، /lang auto
menu-payments = إشعارات المدفوعات فور حدوثها: /payments on، /payments off؛ وآخر المدفوعات
menu-payouts = إشعارات المدفوعات الصادرة فور حدوثها: /payouts on، /payouts off؛ وآخرها
menu-tx = /tx TRACK_ID: دفعة أو دفعة صادرة بكل تفاصيلها
menu-sales = /sales [today|yesterday|7d|30d]: ما استُلم

## Refusals and failures

not-authorized-user-in-chat = لا تملك صلاحية استخدام هذا البوت. معرّف المستخدم الخاص بك هو { $id } (معرّف هذه المحادثة: { $chat })؛ اطلب من أحد المشرفين منحك الصلاحية عبر /allow.
not-authorized-user = لا تملك صلاحية استخدام هذا البوت. معرّف المستخدم الخاص بك هو { $id }؛ اطلب من أحد المشرفين منحك الصلاحية عبر /allow.
not-authorized-chat = لا تملك هذه المحادثة صلاحية استخدام البوت. معرّفها { $chat }؛ اطلب من أحد المشرفين منحها الصلاحية عبر /allow.
not-authorized-has-levels = تصل إلى هذه المحادثة تنبيهات رصيد ضبطها أحد الأعضاء؛ يمكن لأي عضو إيقافها بالأمر /alert off.
admin-only = هذا الإجراء للمشرفين فقط.
slow-down = أوامر كثيرة في وقت واحد؛ يُرجى التمهّل، سيعود البوت للرد بعد ثوانٍ.
unknown-command = أمر غير معروف. يعرض /help الأوامر التي يفهمها هذا البوت.
storage-failed = قاعدة بيانات البوت مشغولة أو غير متاحة، ولم يتغير شيء؛ حاول مجددًا بعد قليل.
bad-argument = { $problem } — { $usage }
unknown-currency = لا توجد في حساب OxaPay هذا محفظة <b>{ $currency }</b>. محافظه: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] مفتاح API العام (general)
    [merchant] مفتاح API التاجر (merchant)
   *[payout] مفتاح API المدفوعات الصادرة (payout)
}
oxapay-timeout = لم يرد OxaPay خلال { $secs } ثانية؛ حاول مجددًا بعد قليل.
oxapay-connection = تعذّر الاتصال بـ OxaPay؛ حاول مجددًا بعد قليل.
oxapay-redirect = ردّ عنوان OxaPay بإعادة توجيه (HTTP { $status })؛ البوت لا يتبع إعادة التوجيه حتى لا يُرسَل المفتاح إلى جهة أخرى. تحقّق من OXAPAY_API_URL.
oxapay-rate-limited = { $secs ->
    [0] يحدّ OxaPay من عدد الطلبات؛ حاول مجددًا بعد دقيقة.
   *[other] يحدّ OxaPay من عدد الطلبات؛ حاول مجددًا بعد { $secs } ثانية.
}
oxapay-server-trouble = يواجه OxaPay مشكلة (HTTP { $status })؛ حاول مجددًا بعد قليل.
oxapay-refused = رفض OxaPay الطلب (HTTP { $status })؛ حاول مجددًا لاحقًا.
oxapay-too-large = أرسل OxaPay ردًا أكبر من أن يُقرأ (أكثر من { $mib } ميبيبايت)؛ حاول مجددًا بعد قليل.
oxapay-unreadable = أرسل OxaPay ردًا تعذّر على البوت قراءته؛ حاول مجددًا بعد قليل.
oxapay-code = { $code ->
    [101] رفض OxaPay الطلب لأنه غير صالح (الرمز 101).
    [102] رفض OxaPay مفتاح API: ليس مفتاح مدفوعات صادرة (الرمز 102).
    [103] رفض OxaPay مفتاح المدفوعات الصادرة (الرمز 103): تحقّق من OXAPAY_PAYOUT_API_KEY.
    [104] رفض OxaPay عنوان IP لهذا الخادم (الرمز 104): اسمح به في لوحة OxaPay.
    [105] لا يعرف OxaPay هذه العملة (الرمز 105).
    [124] تجاوزتَ حدّ طلبات OxaPay (الرمز 124)؛ حاول مجددًا لاحقًا.
   *[other] أبلغ OxaPay عن خطأ (الرمز { $code })؛ حاول مجددًا لاحقًا.
}
oxapay-key-refused = رفض OxaPay { $key } (HTTP 401): المفتاح من نوع آخر أو أُلغي؛ تحقّق من { $variable }.
oxapay-invalid = رفض OxaPay الطلب لأنه غير صالح (HTTP 400).
oxapay-general-key-refused = رفض OxaPay المفتاح (HTTP 401): ليس مفتاح API عامًا أو أُلغي؛ تحقّق من OXAPAY_GENERAL_API_KEY.
oxapay-not-found = لا يعرف OxaPay هذا العنوان (HTTP 404)؛ تحقّق من OXAPAY_API_URL.
oxapay-maintenance = { $secs ->
    [0] يخضع OxaPay للصيانة (HTTP 503)؛ حاول مجددًا لاحقًا.
   *[other] يخضع OxaPay للصيانة (HTTP 503)؛ حاول مجددًا بعد { $secs } ثانية.
}
oxapay-error = أبلغ OxaPay عن خطأ؛ حاول مجددًا لاحقًا.
prices-unavailable = أسعار الدولار غير متاحة حاليًا ({ $reason })، لذلك لا تُعرض القيم.
price-reason = { $kind ->
    [timeout] لا رد خلال { $secs } ثانية
    [connection] تعذّر الاتصال
    [redirect] إعادة توجيه HTTP { $status } لم تُتّبع؛ تحقّق من OXAPAY_API_URL
    [limited] يحدّ OxaPay من عدد الطلبات
    [http] HTTP { $status }
    [code] الرمز { $status }
    [key] رُفض { $key }
   *[unreadable] رد غير مقروء
}
prices-stale = أسعار الدولار ليست محدّثة حاليًا، لذلك لا تُعرض القيم.

## Arguments that were refused

problem-not-currency = { $given } ليست عملة: { $why }
problem-currency-missing = رمز العملة غير موجود
problem-currency-invalid = رمز العملة من 2 إلى 10 حروف لاتينية أو أرقام، مثل BTC أو USDT
problem-amount-not-accepted = { $given } غير مقبول: { $why }
problem-amount-missing = المبلغ غير موجود
problem-amount-not-plain = يجب أن يكون المبلغ رقمًا بسيطًا مثل 0.5 أو 1000 أو 1234.5678
problem-amount-not-positive = يجب أن يكون المبلغ أكبر من صفر
problem-amount-too-large = المبلغ كبير جدًا أو دقيق جدًا: 15 رقمًا على الأكثر قبل الفاصلة، و18 بعدها، و28 إجمالًا
problem-not-direction = { $given } ليس اتجاهًا: اكتب below أو above
problem-alert-missing = العملة والمبلغ غير موجودين
problem-amount-missing-after = المبلغ غير موجود
problem-alert-too-many = كلمات كثيرة: اكتب عملة، وbelow أو above إن شئت، ثم مبلغًا
problem-one-currency = عملة واحدة في كل مرة
problem-not-understood = { $given } غير مفهوم
problem-not-duration = { $given } ليست مدة مثل 30m أو 2h أو 1d
problem-mute-zero = يجب أن يدوم الإيقاف المؤقت أكثر من صفر
problem-mute-too-long = يدوم الإيقاف المؤقت 30 يومًا على الأكثر (30d)
problem-one-duration = مدة واحدة في كل مرة
problem-bad-time = { $given } ليس وقتًا: اكتب HH:MM بنظام 24 ساعة، مثل 09:00 أو 18:30
problem-unknown-day = { $given } ليس يومًا من أيام الأسبوع: اكتب mon أو tue أو wed أو thu أو fri أو sat أو sun، أو الاسم الإنجليزي الكامل مثل monday
problem-unknown-zone = { $given } ليست منطقة زمنية: اكتب اسم منطقة IANA، مثل Asia/Riyadh أو Europe/Berlin أو UTC
problem-missing-time = الوقت غير موجود: اكتب HH:MM بنظام 24 ساعة، مثل 09:00
problem-day-after-time = يأتي اليوم قبل الوقت، مثل mon 09:00
problem-not-alone = { $given } تُكتب وحدها: لا شيء بعدها
problem-report-too-many = كلمات كثيرة: اكتب وقتًا، وقبله يومًا للتقرير الأسبوعي، وبعده منطقة زمنية، مثل mon 09:00 Asia/Riyadh
problem-history-not-understood = { $given } ليست عملة ولا فترة: اكتب عملة مثل BTC (أو total) وفترة من 7d أو 30d أو 90d أو 1y
problem-unknown-span = { $given } ليست فترة: اكتب 7d أو 30d أو 90d أو 1y
problem-two-subjects = عملة واحدة في كل مرة: اكتب عملة مثل BTC، أو total
problem-two-spans = فترة واحدة في كل مرة: 7d أو 30d أو 90d أو 1y
problem-history-too-many = كلمات كثيرة: عملة واحدة على الأكثر (أو total) وفترة واحدة، مثل BTC 90d
problem-unknown-lang = { $given } ليست لغة يتحدثها هذا البوت
problem-one-lang = لغة واحدة في كل مرة
problem-events-empty = اذكر حالة واحدة على الأقل، مفصولة بفواصل (أو all أو default)
problem-event-unknown = { $given } ليست حالة؛ الحالات: { $known } (أو all أو default)
problem-track-id = { $given } ليس معرّف تتبع: { $why ->
    [long] لا يتجاوز عدد أحرف معرّف التتبع { $max }
   *[control] لا يحتوي معرّف التتبع على محارف تحكم
}
problem-track-id-missing = معرّف التتبع غير موجود
problem-one-track-id = معرّف تتبع واحد في كل مرة
problem-not-period = { $given } ليست فترة
problem-one-period = فترة واحدة في كل مرة

usage-balance = استخدم /balance لكل المحافظ، و<code>/balance all</code> لتشمل الأرصدة الضئيلة، أو /balance CUR لعملة واحدة، مثل <code>/balance BTC</code>.
usage-alert = استخدم <code>/alert CUR AMOUNT</code> (مثل <code>/alert BTC 0.5</code>: نبّه عندما ينخفض BTC عن 0.5)، أو <code>/alert CUR above AMOUNT</code> (عندما يرتفع فوقه)، أو <code>/alert total AMOUNT</code> (القيمة الإجمالية بالدولار)، أو <code>/alert CUR off</code> أو <code>/alert off</code>؛ وAMOUNT رقم بسيط أكبر من صفر مثل 0.5 أو 1000 أو 1234.5678.
usage-mute = استخدم <code>/mute 30m</code> أو <code>/mute 2h</code> أو <code>/mute 1d</code> (30d على الأكثر)، أو <code>/mute off</code>، أو /mute وحده لعرض الحالة.
usage-alerts = استخدم /alerts لهذه المحادثة، أو <code>/alerts all</code> (للمشرفين) لكل المحادثات.
usage-report = استخدم <code>/report 09:00</code> أو <code>/report 09:00 Asia/Riyadh</code> (يوميًا)، أو <code>/report mon 09:00 [TZ]</code> (أسبوعيًا)، أو <code>/report off</code>، أو <code>/report now</code>، أو /report وحده لعرضه. TZ اسم منطقة IANA مثل UTC أو Asia/Riyadh أو Europe/Berlin.
usage-history = استخدم <code>/history</code> (القيمة الإجمالية، 30 يومًا)، أو <code>/history BTC</code>، أو <code>/history total 7d</code>؛ الفترات: 7d و30d و90d و1y.
usage-lang = استخدم /lang لعرض لغة هذه المحادثة، و<code>/lang en</code> لاختيار لغة ({ $codes })، أو <code>/lang auto</code> لاتباع لغة تيليجرام لكل مستخدم.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 تحديث
button-mute-hour = 🔕 إيقاف ساعة
button-balance = 💰 الرصيد
popup-not-authorized = لا تملك صلاحية استخدام هذا البوت. معرّف المستخدم الخاص بك هو { $id }؛ اطلب من أحد المشرفين منحك الصلاحية عبر /allow.
popup-button-forged = هذا الزر غير صالح. أرسل /help لمعرفة ما يفعله البوت.
popup-button-too-old = هذه الرسالة أقدم من أن تعمل أزرارها؛ أرسل الأمر من جديد.
popup-refreshed = تم التحديث.
popup-nothing-changed = لم يتغير شيء منذ كتابة هذه الرسالة.
popup-refresh-too-long = لم تعد الأرصدة تتسع لرسالة واحدة؛ أرسل /balance للقائمة الكاملة.
popup-refresh-failed = تعذّر تحديث هذه الرسالة الآن؛ أرسل /balance بدلًا من ذلك.
popup-muted = التنبيهات هنا متوقفة حتى { $until }.

## /balance

balance-heading-valued = <b>أرصدة OxaPay</b> (المحافظ التي فيها رصيد، الأعلى قيمة أولًا)
balance-heading = <b>أرصدة OxaPay</b> (المحافظ التي فيها رصيد)
balance-no-price = بلا سعر
balance-footer-priced = <i>OxaPay، { $at } · أسعار { $priced_at }</i>
balance-footer = <i>OxaPay، { $at }</i>
balance-all-zero = أرصدة المحافظ كلها ({ $count }) صفر.
balance-total = الإجمالي: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
    [one] {" "}(لم تُحتسب محفظة واحدة بلا سعر)
    [two] {" "}(لم تُحتسب محفظتان بلا سعر)
    [few] {" "}(لم تُحتسب { $unpriced } محافظ بلا سعر)
   *[other] {" "}(لم تُحتسب { $unpriced } محفظة بلا سعر)
}
balance-dust = أرصدة ضئيلة: { $count ->
    [one] محفظة واحدة
    [two] محفظتان
    [few] { $count } محافظ
   *[other] { $count } محفظة
} تقل قيمة كل منها عن $0.01، مطويّة؛ يعرضها /balance all.
balance-unreadable = ⚠️ أرسل OxaPay مبلغًا تعذّرت قراءته لـ { $currencies }: لم يُعرض{ $in_total ->
    [yes] {" "}(ولم يُحتسب في الإجمالي)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = لا يذكر OxaPay سعرًا بالدولار لـ { $currency }.
balance-unreadable-one = أرسل OxaPay مبلغًا لـ <b>{ $currency }</b> تعذّر على البوت قراءته ({ $why })؛ المحافظ الأخرى سليمة، جرّب /balance.

## Alert levels

alert-set = ضُبط التنبيه: ستُنبَّه هذه المحادثة عند { $direction ->
    [above] ارتفاع
   *[below] انخفاض
} { $subject } { $direction ->
    [above] فوق
   *[below] عن
} { $level }{ $total ->
    [yes] {" "}(مجموع قيم كل المحافظ بالدولار؛ إذا غاب سعر عند الفحص تبقى الحالة كما هي)
   *[no] {""}
}. سيُظهر الفحص التالي للأرصدة الوضع الحالي.
alerts-removed = { $count ->
    [0] لم تكن في هذه المحادثة تنبيهات.
    [1] أُلغي التنبيه الوحيد في هذه المحادثة.
    [2] أُلغي التنبيهان في هذه المحادثة.
    [few] أُلغيت تنبيهات هذه المحادثة الـ { $count } كلها.
   *[other] أُلغيت تنبيهات هذه المحادثة كلها ({ $count } تنبيهًا).
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] لم يكن في هذه المحادثة تنبيه انخفاض لـ { $subject }.
        [above] لم يكن في هذه المحادثة تنبيه ارتفاع لـ { $subject }.
       *[both] لم يكن في هذه المحادثة تنبيه لـ { $subject }.
    }
    [1] { $direction ->
        [below] أُلغي تنبيه الانخفاض لـ { $subject }.
        [above] أُلغي تنبيه الارتفاع لـ { $subject }.
       *[both] أُلغي التنبيه لـ { $subject }.
    }
   *[other] أُلغي تنبيها { $subject } كلاهما ({ $removed }).
}
alert-state-unchecked = لم يُفحص بعد
alert-state-ok = سليم
alert-state-crossed = { $direction ->
    [above] مرتفع
   *[below] منخفض
} منذ { $since }
alert-line = { $subject } { $direction ->
    [above] فوق
   *[below] دون
} { $level }: { $state }
alerts-none-anywhere = لا توجد تنبيهات في أي محادثة.
alerts-none = لا توجد تنبيهات في هذه المحادثة. اضبط واحدًا بـ <code>/alert CUR AMOUNT</code> أو <code>/alert CUR above AMOUNT</code>.
alerts-heading-all = <b>تنبيهات كل المحادثات</b>
alerts-heading = <b>تنبيهات هذه المحادثة</b>
alerts-last-check = آخر فحص ناجح: { $at }
alerts-no-check = لم يُجرَ أي فحص ناجح بعد.
alerts-muted = 🔕 متوقفة حتى { $until }؛ يستأنفها /mute off.

## Alerts as they happen

alert-low = ⚠️ رصيد منخفض: { $subject } { $balance } دون حد التنبيه { $level }
alert-still-low = ⚠️ ما زال منخفضًا: { $subject } { $balance } دون حد التنبيه { $level } (منذ { $since })
alert-recovered = ✅ تعافى رصيد { $subject }: { $balance } (حد التنبيه { $level })
alert-high = 🔺 { $subject } { $balance } فوق حدّك { $level }؛ يُستحسن نقل جزء من الأموال إلى المحفظة الباردة
alert-still-high = 🔺 ما زال مرتفعًا: { $subject } { $balance } فوق حدّك { $level } (منذ { $since })
alert-high-back = ✅ عاد { $subject } إلى حدّك { $level } أو دونه: { $balance }
mute-over = 🔔 انتهى الإيقاف المؤقت. الوضع الآن:
mute-over-quiet = 🔔 انتهى الإيقاف المؤقت.
mute-over-low = ⚠️ { $subject }{ $balance } دون حد التنبيه { $level } (منخفض منذ { $since })
mute-over-high = 🔺 { $subject }{ $balance } فوق حدّك { $level } (مرتفع منذ { $since })

## /mute

muted = 🔕 أُوقفت تنبيهات هذه المحادثة حتى { $until }. تبقى الحالات تتحدّث، وعند انتهاء الإيقاف يصلك ملخّص واحد بما هو منخفض أو مرتفع حينها. يستأنفها /mute off الآن.
mute-status = 🔕 تنبيهات هذه المحادثة متوقفة حتى { $until }.
mute-status-off = تنبيهات هذه المحادثة غير متوقفة. يوقفها <code>/mute 2h</code> ساعتين.
unmuted = 🔔 استُؤنفت تنبيهات هذه المحادثة.
unmuted-not-muted = لم تكن تنبيهات هذه المحادثة متوقفة.
unmuted-as-of = حسب آخر فحص:

## /report and the reports

report-set = 📊 ضُبطت التقارير: { $schedule }. التالي: { $next } ({ $next_utc }).
report-status = 📊 تتلقى هذه المحادثة تقريرًا { $schedule }. التالي: { $next } ({ $next_utc }). يوقفه /report off، ويرسل /report now تقريرًا الآن.
report-none = لا توجد تقارير مجدولة في هذه المحادثة. يضبط <code>/report 09:00 Asia/Riyadh</code> تقريرًا يوميًا، و<code>/report mon 09:00</code> تقريرًا أسبوعيًا؛ ويعرض /report now شكل التقرير.
report-removed = أُوقفت التقارير المجدولة لهذه المحادثة.
report-removed-none = لم تكن في هذه المحادثة تقارير مجدولة.
report-queued = 📊 التقرير في الطريق.
report-heading = 📊 <b>تقرير الأرصدة</b> — { $at }
report-late = ⏰ متأخر بمقدار { $late }: كان موعده { $due } ولم يكن البوت يعمل حينها.
report-stored = ⚠️ لم يرد OxaPay منذ { $at }؛ هذه هي الأرصدة التي قُرئت حينها.
report-stored-no-values = لا تُعرض القيم للأرصدة المحفوظة.
report-total-then = الإجمالي حينها: <b>{ $total }</b>
report-first = أول تقرير هنا: لا شيء للمقارنة بعد.
report-no-change = لا تغيير منذ التقرير السابق ({ $at }).
report-since = <b>منذ التقرير السابق</b> ({ $at }):
report-change-new = (جديد)
report-change-empty = (فارغ الآن)
report-total-change = الإجمالي: { $change } USD{ $percent }
report-crossed-heading = <b>الحدود المتجاوزة الآن</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $direction ->
    [above] فوق
   *[below] دون
} { $level }: { $direction ->
    [above] مرتفع
   *[below] منخفض
} منذ { $since }
report-read-at = <i>قُرئت الأرصدة { $at }</i>
report-without-balances = 📊 <b>تقرير الأرصدة</b> — { $at }
    ⚠️ لم يرد OxaPay ولا توجد أرصدة سابقة محفوظة بعد، فلا شيء للإبلاغ عنه هذه المرة.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>، آخر { $span }
    البداية: { $first } — { $first_at }
    النهاية: { $last } — { $last_at }
    التغيّر: { $change }{ $percent }
    الأدنى: { $min } — { $min_at }
    الأعلى: { $max } — { $max_at }
    <i>عدد النقاط: { $count }</i>
history-total-name = القيمة الإجمالية (USD)
history-none = لا يوجد سجل أرصدة بعد. يسجّل البوت الأرصدة عند أول قراءة ناجحة ثم كل { $interval }؛ اسأل لاحقًا.
history-too-few = النقاط قليلة لرسم خط بعد: { $count } في هذه الفترة (التسجيل منذ { $since }). حاول لاحقًا، أو اطلب فترة أطول مثل <code>/history total 90d</code>.
history-no-total = لا توجد إجماليات بالدولار مسجّلة في هذه الفترة (كانت الأسعار غير متاحة، أو لم يكن لإحدى المحافظ سعر). اطلب عملة واحدة بدلًا من ذلك، مثل <code>/history BTC 30d</code>.
history-unavailable = تعذّر رسم المخطط هذه المرة؛ سُجّل الخطأ للمشغّل. حاول لاحقًا.
chart-title = { $subject }، آخر { $span }
chart-min = الأدنى
chart-max = الأعلى
chart-min-max = الأدنى = الأعلى

## /lang

lang-current = لغة هذه المحادثة: { $name } ({ $code }){ $source ->
    [set] ، ضُبطت بالأمر /lang. يعيد <code>/lang auto</code> لغة تيليجرام لكل مستخدم.
    [telegram] ، وهي لغة تطبيق تيليجرام لديك. يضبط <code>/lang en</code> لغة أخرى لهذه المحادثة.
   *[default] ؛ لم تُضبط لغة لهذه المحادثة. يضبطها <code>/lang ar</code>.
}
    اللغات: { $languages }
lang-set = أصبحت لغة هذه المحادثة { $name } ({ $code }). يعيد <code>/lang auto</code> لغة تيليجرام لكل مستخدم.
lang-auto = تتبع هذه المحادثة لغة تيليجرام لكل مستخدم من جديد؛ وهي هنا { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.
# A status reads after «دفعة» (feminine): «دفعة مكتملة».

payment-status = { $status ->
    [new] جديدة
    [waiting] بانتظار الدفع
    [paying] قيد الدفع
    [paid] مكتملة
    [manual_accept] مقبولة يدويًا
    [underpaid] ناقصة
    [refunding] قيد الاسترداد
    [refunded] مستردّة
    [expired] منتهية الصلاحية
   *[other] { $name }
}
payment-received = 💰 <b>مبلغ وارد</b> إلى عنوان ثابت: { $amount } (الدفعة { $status })
payment-event = { $emoji } <b>دفعة { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } (بسعر { $at })
payment-amount-unreadable = مبلغ غير مقروء بعملة { $currency }
payment-amount-unreadable-bare = مبلغ غير مقروء
payment-track = معرّف التتبع { $track }
payment-order-track = الطلب { $order } · معرّف التتبع { $track }
payment-tx = المعاملة { $tx }
payments-on = 🔔 تتلقى هذه المحادثة إشعارات المدفوعات ذات الحالات: { $events }. يوقفها <code>/payments off</code>.
payments-on-min = 🔔 تتلقى هذه المحادثة إشعارات المدفوعات ذات الحالات: { $events }، بقيمة { $min } أو أكثر. يوقفها <code>/payments off</code>.
payments-off-setting = 🔕 لا تتلقى هذه المحادثة إشعارات المدفوعات. يفعّلها <code>/payments on</code> (<code>/payments on 100</code>: فقط المدفوعات بقيمة $100 أو أكثر).
payments-none = لا توجد مدفوعات مسجّلة بعد.
payments-last = <b>{ $count ->
    [1] آخر دفعة
    [2] آخر دفعتين
    [few] آخر { $count } دفعات
   *[other] آخر { $count } دفعة
}</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · الطلب { $order } · { $when }
payments-events-set = تتلقى هذه المحادثة إشعارات المدفوعات ذات الحالات: { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}الإشعارات متوقفة هنا: يفعّلها <code>/payments on</code>.
}
payments-chat-not-allowed = لا يُبلَّغ عن المدفوعات إلا في المحادثات التي سمح بها أحد المشرفين: اطلب من أحد المشرفين أولًا تنفيذ /allow { $chat }.
payments-need-key = إشعارات المدفوعات متوقفة: على مشغّل البوت ضبط OXAPAY_MERCHANT_API_KEY (مفتاح API التاجر من OxaPay) ثم إعادة تشغيل البوت.
tx-payment-heading = { $emoji } <b>الدفعة { $track }</b>: { $status } منذ { $since }
tx-amount = المبلغ: { $amount }{ $usd }
tx-field = { $field ->
    [type] النوع
    [order] الطلب
    [email] البريد الإلكتروني
    [description] الوصف
    [created] تاريخ الإنشاء
   *[expires] تاريخ الانتهاء
}: { $value }
tx-on-network = على شبكة { $network }
tx-confirmations = ، { $count ->
    [0] بلا تأكيدات بعد
    [one] تأكيد واحد
    [two] تأكيدان
    [few] { $count } تأكيدات
    [many] { $count } تأكيدًا
   *[other] { $count } تأكيد
}
tx-to = إلى { $address }
tx-seen = سجل الحالات: { $steps }
tx-problems = ⚠️ تعذّرت قراءة ما يلي في رد OxaPay: { $problems }
tx-payment-live = <i>قُرئت من OxaPay الآن؛ ليست في سجل البوت (أقدم من تاريخه).</i>
tx-unknown = لا يعرف OxaPay أي دفعة أو دفعة صادرة بمعرّف التتبع { $track }.
sales-heading = 💵 <b>المبيعات { $period ->
    [today] اليوم
    [yesterday] أمس
    [week] في آخر 7 أيام
   *[month] في آخر 30 يومًا
}</b> (منذ { $from })
sales-paid = { $paid ->
    [one] دفعة واحدة مكتملة
    [two] دفعتان مكتملتان
    [few] { $paid } دفعات مكتملة
   *[other] { $paid } دفعة مكتملة
} · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(لم تُحتسب دفعات بلا قيمة بالدولار: { $unvalued })
}
sales-unreadable = لم تُحتسب في المجاميع دفعات بمبلغ غير مقروء: { $count }.
sales-before = الفترة السابقة: { $paid ->
    [one] دفعة واحدة مكتملة
    [two] دفعتان مكتملتان
    [few] { $paid } دفعات مكتملة
   *[other] { $paid } دفعة مكتملة
} · { $usd }. التغيّر: عدد الدفعات { $paid_change }، والقيمة { $usd_change }{ $percent }
sales-counts = ناقصة: { $underpaid } · منتهية الصلاحية: { $expired }
report-count = { $emoji } { $status }: { $count }
report-payments = <b>المدفوعات منذ التقرير السابق</b>: { $counts }
report-payments-none = <b>المدفوعات منذ التقرير السابق</b>: لا شيء.
report-received = المستلَم: { $received }
held-payments = { $count ->
    [one] دفعة واحدة
    [two] دفعتان
    [few] { $count } دفعات
   *[other] { $count } دفعة
}، { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}(بلا قيمة بالدولار: { $unvalued })
}
held-payouts = { $count ->
    [one] دفعة صادرة واحدة
    [two] دفعتان صادرتان
    [few] { $count } دفعات صادرة
   *[other] { $count } دفعة صادرة
}
held-line = 💰 أثناء الإيقاف المؤقت: { $parts }؛ يعرضها /payments و /payouts.
payments-chart-empty = لا توجد دفعات مكتملة في هذه الفترة، فلا شيء يُرسم بعد.
payments-chart-caption = 💵 المستلَم يوميًا، آخر { $days ->
    [one] يوم
    [two] يومين
    [few] { $days } أيام
    [many] { $days } يومًا
   *[other] { $days } يوم
}: <b>{ $total }</b> من { $paid ->
    [one] دفعة واحدة مكتملة
    [two] دفعتين مكتملتين
    [few] { $paid } دفعات مكتملة
   *[other] { $paid } دفعة مكتملة
}{ $unvalued ->
    [0] {""}
   *[other] {" "}(لم تُحتسب دفعات بلا قيمة بالدولار: { $unvalued })
}
# Drawn on the chart: plain text.
payments-chart-title = المستلَم يوميًا (USD)، آخر { $days ->
    [one] يوم
    [two] يومين
    [few] { $days } أيام
    [many] { $days } يومًا
   *[other] { $days } يوم
}
problem-payments-span = { $given } ليست فترة للمدفوعات: اكتب 7d أو 30d أو 90d
usage-payments = استخدم /payments لعرض إعداد هذه المحادثة وآخر المدفوعات، أو <code>/payments on</code> (أو <code>/payments on 100</code>: فقط المدفوعات بقيمة $100 أو أكثر)، أو <code>/payments off</code>، أو <code>/payments events paid,underpaid,expired</code> (الحالات: new وwaiting وpaying وpaid وmanual_accept وunderpaid وrefunding وrefunded وexpired؛ أو all أو default).
usage-tx = استخدم <code>/tx TRACK_ID</code> مع معرّف التتبع للدفعة أو الدفعة الصادرة من OxaPay، مثل <code>/tx 188225613</code>.
usage-sales = استخدم /sales (اليوم)، أو <code>/sales yesterday</code>، أو <code>/sales 7d</code>، أو <code>/sales 30d</code>.

## Payouts: the feed, /payouts, /tx, reports
# A status reads after «دفعة صادرة» (feminine): «دفعة صادرة مؤكَّدة».

payout-status = { $status ->
    [pending] قيد الانتظار
    [processing] قيد المعالجة
    [confirming] قيد التأكيد على البلوكتشين
    [confirmed] مؤكَّدة
    [canceled] ملغاة
    [rejected] مرفوضة
   *[other] { $name }
}
payout-event = { $emoji } <b>دفعة صادرة { $status }</b>: { $body }
payout-stuck = ⏳ <b>دفعة صادرة عالقة</b>: ما زالت { $status } منذ { $since } (أكثر من { $mins } دقيقة): { $body }
payout-fee = ، الرسوم { $fee }
payout-to = إلى { $address }
payouts-on = 🔔 تتلقى هذه المحادثة إشعارات المدفوعات الصادرة ذات الحالات: { $events }، وأي دفعة صادرة عالقة. يوقفها <code>/payouts off</code>.
payouts-off-setting = 🔕 لا تتلقى هذه المحادثة إشعارات المدفوعات الصادرة. يفعّلها <code>/payouts on</code>.
payouts-none = لا توجد مدفوعات صادرة مسجّلة بعد.
payouts-last = <b>{ $count ->
    [1] آخر دفعة صادرة
    [2] آخر دفعتين صادرتين
    [few] آخر { $count } دفعات صادرة
   *[other] آخر { $count } دفعة صادرة
}</b>
payouts-events-set = تتلقى هذه المحادثة إشعارات المدفوعات الصادرة ذات الحالات: { $events }، وأي دفعة صادرة عالقة.{ $enabled ->
    [yes] {""}
   *[no] {" "}الإشعارات متوقفة هنا: يفعّلها <code>/payouts on</code>.
}
payouts-need-key = إشعارات المدفوعات الصادرة متوقفة: على مشغّل البوت ضبط OXAPAY_PAYOUT_API_KEY (مفتاح API المدفوعات الصادرة من OxaPay) ثم إعادة تشغيل البوت.
tx-payout-heading = { $emoji } <b>الدفعة الصادرة { $track }</b>: { $status } منذ { $since }
tx-payout-live-heading = { $emoji } <b>الدفعة الصادرة { $track }</b>: { $status }
tx-memo = المذكرة (Memo): { $memo }
tx-internal = إلى حساب OxaPay آخر (دون تحويل على البلوكتشين).
tx-payout-live = <i>قُرئت من OxaPay الآن؛ ليست في سجل البوت.</i>
report-payouts = <b>المدفوعات الصادرة منذ التقرير السابق</b>: { $counts }
report-sent = المُرسَل: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(لم تُحتسب دفعات بلا قيمة بالدولار: { $unvalued })
}
usage-payouts = استخدم /payouts لعرض إعداد هذه المحادثة وآخر المدفوعات الصادرة، أو <code>/payouts on</code>، أو <code>/payouts off</code>، أو <code>/payouts events confirmed,rejected</code> (الحالات: pending وprocessing وconfirming وconfirmed وcanceled وrejected؛ أو all أو default). يُبلَّغ عن الدفعة الصادرة العالقة أيًّا كانت القائمة.
