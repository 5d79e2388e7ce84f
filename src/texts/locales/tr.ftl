# Türkçe. Kaynak: en.ftl; aynı mesajlar, aynı değişkenlerle.
# Komutlar (/balance, off, above, total, all, now, auto) ile CUR ve AMOUNT olduğu gibi kalır:
# Telegram'da bu şekilde yazılır.

## Shared words

subject-total = Toplam değer
time-unknown = bilinmeyen bir zaman
weekday-short = { $day ->
    [1] Pzt
    [2] Sal
    [3] Çar
    [4] Per
    [5] Cum
    [6] Cmt
   *[7] Paz
}
weekday-long = { $day ->
    [1] Pazartesi
    [2] Salı
    [3] Çarşamba
    [4] Perşembe
    [5] Cuma
    [6] Cumartesi
   *[7] Pazar
}
month-short = { $month ->
    [1] Oca
    [2] Şub
    [3] Mar
    [4] Nis
    [5] May
    [6] Haz
    [7] Tem
    [8] Ağu
    [9] Eyl
    [10] Eki
    [11] Kas
   *[12] Ara
}
time-zoned = { $day } { $month } { $year } { $weekday } { $time } { $zone }
time-utc-clock = { $weekday } { $time } UTC
duration-minutes = { $minutes } dk
duration-hours = { $hours } sa { $minutes } dk
interval = { $unit ->
    [h] { $n } saatte bir
    [min] { $n } dakikada bir
   *[s] { $n } saniyede bir
}
span = { $span ->
    [week] 7 gün
    [month] 30 gün
    [quarter] 90 gün
   *[year] 1 yıl
}
schedule-daily = her gün saat { $time } { $zone }
schedule-weekly = her { $day } saat { $time } { $zone }

## /start and /help

help = <b>OxaPay bakiye botu</b>
    Bu OxaPay hesabındaki cüzdan bakiyelerini gösterir, bir cüzdanın bakiyesi azaldığında bu sohbete haber verir ve ödemeleri ile ödeme gönderimlerini olduğu anda bildirir.

    /balance — bakiyesi olan tüm cüzdanlar, USD değerleri ve toplam
    /balance all — aynısı, değeri bir sentin altındaki cüzdanlarla birlikte
    /balance CUR — tek bir para birimi, ör. <code>/balance BTC</code>
    /alert CUR AMOUNT — CUR, AMOUNT altına düştüğünde bu sohbete haber ver, ör. <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — CUR, AMOUNT üstüne çıktığında haber ver (soğuk cüzdana aktarma zamanı)
    /alert total AMOUNT — hesabın toplam USD değeri AMOUNT altına düştüğünde haber ver
    /alert CUR off — CUR uyarılarını kaldır (<code>/alert CUR above off</code>: yalnızca biri); /alert off — bu sohbetin tüm uyarıları
    /alerts — bu sohbetin uyarı eşikleri ve durumları
    /mute 2h — bu sohbetin uyarılarını bir süre duraklat (30m, 2h, 1d; /mute off devam ettirir)
    /report 09:00 [TZ] — her gün bu saatte buraya bakiye raporu (TZ ör. Europe/Istanbul; <code>/report mon 09:00</code>: haftalık); /report gösterir, /report off durdurur, /report now şimdi bir rapor gönderir
    /history [CUR|total] [7d|30d|90d|1y] — bakiye grafiği, ör. <code>/history BTC 7d</code>
    /payments — ödemeler gerçekleştikçe bu sohbete bildirilir (<code>/payments on</code>, <code>/payments on 100</code>: yalnızca $100 ve üzeri, <code>/payments off</code>); son ödemeler
    /payouts — aynısı ödeme gönderimleri için, takılanlar dahil
    /tx TRACK_ID — tek bir ödemenin veya ödeme gönderiminin tüm ayrıntıları
    /sales [today|yesterday|7d|30d] — alınan tutar, önceki dönemle karşılaştırmalı
    /history payments [7d|30d|90d] — günlük alınan tutarın USD grafiği
    /lang — bu sohbetin dili (<code>/lang en</code>, <code>/lang auto</code>)
    /help — bu mesaj
help-your-id = Telegram kullanıcı kimliğiniz: { $id }

## The command menu (at most 256 characters each)

menu-start = bu bot ne yapar ve kullanıcı kimliğiniz
menu-help = kullanabileceğiniz komutlar
menu-balance = cüzdan bakiyeleri ve USD değerleri; tek para birimi için /balance CUR, tümü için /balance all
menu-alert = /alert CUR AMOUNT (veya CUR above AMOUNT) uyarı kurar; /alert CUR off kaldırır
menu-alerts = bu sohbetin uyarıları ve durumları
menu-mute = /mute 2h bu sohbetin uyarılarını duraklatır; /mute off devam ettirir
menu-report = /report 09:00 [TZ] günlük veya /report mon 09:00 haftalık; off, now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: bakiye grafiği
menu-lang = bu sohbetin dili: /lang en, /lang auto
menu-payments = anlık ödeme bildirimleri: /payments on, /payments off; son ödemeler
menu-payouts = anlık ödeme gönderimi bildirimleri: /payouts on, /payouts off; son gönderimler
menu-tx = /tx TRACK_ID: tek bir ödemenin veya ödeme gönderiminin tüm ayrıntıları
menu-sales = /sales [today|yesterday|7d|30d]: alınan tutar

## Refusals and failures

not-authorized-user-in-chat = Bu botu kullanma yetkiniz yok. Kullanıcı kimliğiniz { $id } (bu sohbet: { $chat }); bir yöneticiden /allow ile yetki vermesini isteyin.
not-authorized-user = Bu botu kullanma yetkiniz yok. Kullanıcı kimliğiniz { $id }; bir yöneticiden /allow ile yetki vermesini isteyin.
not-authorized-chat = Bu sohbetin botu kullanma yetkisi yok. Sohbet kimliği { $chat }; bir yöneticiden /allow ile yetki vermesini isteyin.
not-authorized-has-levels = Bu sohbete, burada birinin kurduğu bakiye uyarıları gelir; sohbetteki herkes bunları /alert off ile kapatabilir.
admin-only = Bunu yalnızca yöneticiler yapabilir.
slow-down = Aynı anda çok fazla komut geldi; lütfen biraz yavaşlayın, bot birkaç saniye içinde yeniden yanıt verecek.
unknown-command = Bilinmeyen komut. Botun anladığı komutlar için /help.
storage-failed = Botun veritabanı meşgul veya erişilemiyor; hiçbir şey değişmedi. Biraz sonra yeniden deneyin.
bad-argument = { $problem } — { $usage }
unknown-currency = Bu OxaPay hesabında <b>{ $currency }</b> cüzdanı yok. Hesaptaki cüzdanlar: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] genel API anahtarı (general)
    [merchant] üye işyeri API anahtarı (merchant)
   *[payout] ödeme gönderimi API anahtarı (payout)
}
oxapay-timeout = OxaPay { $secs } sn içinde yanıt vermedi; biraz sonra yeniden deneyin.
oxapay-connection = OxaPay'e bağlanılamadı; biraz sonra yeniden deneyin.
oxapay-redirect = OxaPay adresi bir yönlendirmeyle yanıt verdi (HTTP { $status }); anahtar başka yere gitmesin diye bot yönlendirmeleri izlemez. OXAPAY_API_URL değerini kontrol edin.
oxapay-rate-limited = { $secs ->
    [0] OxaPay istekleri sınırlıyor; bir dakika sonra yeniden deneyin.
   *[other] OxaPay istekleri sınırlıyor; { $secs } sn sonra yeniden deneyin.
}
oxapay-server-trouble = OxaPay'de bir sorun var (HTTP { $status }); biraz sonra yeniden deneyin.
oxapay-refused = OxaPay isteği reddetti (HTTP { $status }); daha sonra yeniden deneyin.
oxapay-too-large = OxaPay'in yanıtı okunamayacak kadar büyük ({ $mib } MiB üstü); biraz sonra yeniden deneyin.
oxapay-unreadable = OxaPay'in yanıtı okunamadı; biraz sonra yeniden deneyin.
oxapay-code = { $code ->
    [101] OxaPay isteği geçersiz saydı (kod 101).
    [102] OxaPay API anahtarını reddetti: bu bir ödeme gönderimi anahtarı değil (kod 102).
    [103] OxaPay ödeme gönderimi anahtarını reddetti (kod 103): OXAPAY_PAYOUT_API_KEY değerini kontrol edin.
    [104] OxaPay bu sunucunun IP adresini reddetti (kod 104): OxaPay panelinde izin verin.
    [105] OxaPay bu para birimini tanımıyor (kod 105).
    [124] OxaPay istek sınırı aşıldı (kod 124); daha sonra yeniden deneyin.
   *[other] OxaPay bir hata bildirdi (kod { $code }); daha sonra yeniden deneyin.
}
oxapay-key-refused = OxaPay { $key } değerini reddetti (HTTP 401): anahtar başka türde ya da iptal edilmiş. { $variable } değerini kontrol edin.
oxapay-invalid = OxaPay isteği geçersiz saydı (HTTP 400).
oxapay-general-key-refused = OxaPay anahtarı reddetti (HTTP 401): anahtar genel API anahtarı değil ya da iptal edilmiş. OXAPAY_GENERAL_API_KEY değerini kontrol edin.
oxapay-not-found = OxaPay bu adresi tanımıyor (HTTP 404); OXAPAY_API_URL değerini kontrol edin.
oxapay-maintenance = { $secs ->
    [0] OxaPay bakımda (HTTP 503); daha sonra yeniden deneyin.
   *[other] OxaPay bakımda (HTTP 503); { $secs } sn sonra yeniden deneyin.
}
oxapay-error = OxaPay bir hata bildirdi; daha sonra yeniden deneyin.
prices-unavailable = USD fiyatlarına şu anda ulaşılamıyor ({ $reason }), bu yüzden değerler gösterilmiyor.
price-reason = { $kind ->
    [timeout] { $secs } sn içinde yanıt yok
    [connection] bağlantı kurulamadı
    [redirect] HTTP { $status } yönlendirmesi izlenmedi; OXAPAY_API_URL değerini kontrol edin
    [limited] OxaPay istekleri sınırlıyor
    [http] HTTP { $status }
    [code] kod { $status }
    [key] { $key } reddedildi
   *[unreadable] okunamayan yanıt
}
prices-stale = USD fiyatları şu anda güncel değil, bu yüzden değerler gösterilmiyor.

## Arguments that were refused

problem-not-currency = { $given } bir para birimi değil: { $why }
problem-currency-missing = para birimi kodu eksik
problem-currency-invalid = para birimi kodu 2–10 Latin harf veya rakamdır, ör. BTC veya USDT
problem-amount-not-accepted = { $given } kabul edilmiyor: { $why }
problem-amount-missing = tutar eksik
problem-amount-not-plain = tutar 0.5, 1000 veya 1234.5678 gibi düz bir sayı olmalı
problem-amount-not-positive = tutar sıfırdan büyük olmalı
problem-amount-too-large = tutar çok büyük veya çok hassas: noktadan önce en çok 15, sonra en çok 18, toplamda en çok 28 basamak
problem-not-direction = { $given } bir yön değil: below veya above yazın
problem-alert-missing = para birimi ve tutar eksik
problem-amount-missing-after = tutar eksik
problem-alert-too-many = kelime sayısı fazla: bir para birimi, isterseniz below veya above ve bir tutar yazın
problem-one-currency = bir seferde tek para birimi
problem-not-understood = { $given } anlaşılamadı
problem-not-duration = { $given }, 30m, 2h veya 1d gibi bir süre değil
problem-mute-zero = duraklatma sıfırdan uzun sürmeli
problem-mute-too-long = duraklatma en çok 30 gün sürer (30d)
problem-one-duration = bir seferde tek süre
problem-bad-time = { $given } bir saat değil: 24 saat biçiminde SS:DD yazın, ör. 09:00 veya 18:30
problem-unknown-day = { $given } haftanın bir günü değil: mon, tue, wed, thu, fri, sat veya sun ya da İngilizce tam adını yazın, ör. monday
problem-unknown-zone = { $given } bir saat dilimi değil: Europe/Istanbul, Asia/Tehran veya UTC gibi bir IANA bölge adı yazın
problem-missing-time = saat eksik: 24 saat biçiminde SS:DD yazın, ör. 09:00
problem-day-after-time = gün saatten önce gelir, ör. mon 09:00
problem-not-alone = { $given } tek başına yazılır: ardından bir şey gelmez
problem-report-too-many = kelime sayısı fazla: bir saat, haftalık rapor için önüne bir gün, ardına bir saat dilimi yazın, ör. mon 09:00 Europe/Istanbul
problem-history-not-understood = { $given } ne para birimi ne de dönem: BTC gibi bir para birimi (veya total) ve 7d, 30d, 90d ya da 1y dönemlerinden birini yazın
problem-unknown-span = { $given } bir dönem değil: 7d, 30d, 90d veya 1y yazın
problem-two-subjects = bir seferde tek para birimi: BTC gibi bir para birimi ya da total yazın
problem-two-spans = bir seferde tek dönem: 7d, 30d, 90d veya 1y
problem-history-too-many = kelime sayısı fazla: en çok bir para birimi (veya total) ve bir dönem, ör. BTC 90d
problem-unknown-lang = { $given }, bu botun konuştuğu bir dil değil
problem-one-lang = bir seferde tek dil
problem-events-empty = virgülle ayırarak en az bir durum yazın (ya da all veya default)
problem-event-unknown = { $given } bir durum değil; durumlar: { $known } (ya da all veya default)
problem-track-id = { $given } bir Track ID değil: { $why ->
    [long] Track ID en çok { $max } karakterdir
   *[control] Track ID kontrol karakteri içermez
}
problem-track-id-missing = Track ID eksik
problem-one-track-id = bir seferde tek Track ID
problem-not-period = { $given } bir dönem değil
problem-one-period = bir seferde tek dönem

usage-balance = tüm cüzdanlar için /balance, küçük bakiyeler dahil <code>/balance all</code>, tek para birimi için /balance CUR kullanın, ör. <code>/balance BTC</code>.
usage-alert = <code>/alert CUR AMOUNT</code> (ör. <code>/alert BTC 0.5</code>: BTC 0.5 altına düşünce haber ver), <code>/alert CUR above AMOUNT</code> (üstüne çıkınca), <code>/alert total AMOUNT</code> (toplam USD değeri), <code>/alert CUR off</code> veya <code>/alert off</code> kullanın; AMOUNT sıfırdan büyük düz bir sayıdır, ör. 0.5, 1000 veya 1234.5678.
usage-mute = <code>/mute 30m</code>, <code>/mute 2h</code> veya <code>/mute 1d</code> (en çok 30d), <code>/mute off</code> ya da durumu görmek için /mute kullanın.
usage-alerts = bu sohbet için /alerts, tüm sohbetler için <code>/alerts all</code> (yöneticiler) kullanın.
usage-report = <code>/report 09:00</code> veya <code>/report 09:00 Europe/Istanbul</code> (günlük), <code>/report mon 09:00 [TZ]</code> (haftalık), <code>/report off</code>, <code>/report now</code> ya da görmek için /report kullanın. TZ; UTC, Europe/Istanbul veya Asia/Tehran gibi bir IANA bölge adıdır.
usage-history = <code>/history</code> (toplam değer, 30 gün), <code>/history BTC</code>, <code>/history total 7d</code> kullanın; dönemler: 7d, 30d, 90d, 1y.
usage-lang = bu sohbetin dilini görmek için /lang, dil seçmek için <code>/lang en</code> ({ $codes }), her kullanıcının Telegram dilini izlemek için <code>/lang auto</code> kullanın.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 Yenile
button-mute-hour = 🔕 1 sa duraklat
button-balance = 💰 Bakiye
popup-not-authorized = Bu botu kullanma yetkiniz yok. Kullanıcı kimliğiniz { $id }; bir yöneticiden /allow ile yetki vermesini isteyin.
popup-button-forged = Bu düğme geçerli değil. Botun neler yapabildiğini görmek için /help gönderin.
popup-button-too-old = Bu mesaj düğmeleri için fazla eski; komutu yeniden gönderin.
popup-refreshed = Güncellendi.
popup-nothing-changed = Bu mesaj yazıldığından beri hiçbir şey değişmedi.
popup-refresh-too-long = Bakiyeler artık tek mesaja sığmıyor; tam liste için /balance gönderin.
popup-refresh-failed = Bu mesaj şu anda güncellenemedi; bunun yerine /balance gönderin.
popup-muted = Buradaki uyarılar { $until } tarihine kadar duraklatıldı.

## /balance

balance-heading-valued = <b>OxaPay bakiyeleri</b> (bakiyesi olan cüzdanlar, değeri en yüksek olan önce)
balance-heading = <b>OxaPay bakiyeleri</b> (bakiyesi olan cüzdanlar)
balance-no-price = fiyat yok
balance-footer-priced = <i>OxaPay, { $at } · fiyatlar: { $priced_at }</i>
balance-footer = <i>OxaPay, { $at }</i>
balance-all-zero = { $count } cüzdanın hepsi sıfırda.
balance-total = Toplam: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
   *[other] {" "}(fiyatı olmayan { $unpriced } cüzdan dahil edilmedi)
}
balance-dust = Küçük bakiyeler: her biri $0.01 altında olan { $count } cüzdan gizlendi; /balance all bunları gösterir.
balance-unreadable = ⚠️ OxaPay { $currencies } için botun okuyamadığı bir tutar gönderdi: gösterilmedi{ $in_total ->
    [yes] {" "}(toplama da katılmadı)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = OxaPay { $currency } için USD fiyatı vermiyor.
balance-unreadable-one = OxaPay <b>{ $currency }</b> için botun okuyamadığı bir tutar gönderdi ({ $why }); diğer cüzdanlarda sorun yok, /balance deneyin.

## Alert levels

alert-set = Uyarı kuruldu: { $subject } { $level } { $direction ->
    [above] üstüne çıktığında
   *[below] altına düştüğünde
}{ $total ->
    [yes] {" "}(tüm cüzdanların USD değerlerinin toplamı; bir fiyat eksik olduğunda o kontrolde durum değişmez)
   *[no] {""}
} bu sohbete haber verilecek. Bir sonraki bakiye kontrolü durumu gösterecek.
alerts-removed = { $count ->
    [0] Bu sohbette uyarı yoktu.
    [1] Bu sohbetin tek uyarısı kaldırıldı.
   *[other] Bu sohbetin { $count } uyarısının hepsi kaldırıldı.
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] Bu sohbette { $subject } için alt eşik uyarısı yoktu.
        [above] Bu sohbette { $subject } için üst eşik uyarısı yoktu.
       *[both] Bu sohbette { $subject } için uyarı yoktu.
    }
    [1] { $direction ->
        [below] { $subject } için alt eşik uyarısı kaldırıldı.
        [above] { $subject } için üst eşik uyarısı kaldırıldı.
       *[both] { $subject } için uyarı kaldırıldı.
    }
   *[other] { $subject } için { $removed } uyarının ikisi de kaldırıldı.
}
alert-state-unchecked = henüz kontrol edilmedi
alert-state-ok = normal
alert-state-crossed = { $since } tarihinden beri { $direction ->
    [above] yüksek
   *[below] düşük
}
alert-line = { $subject } { $level } { $direction ->
    [above] üstü
   *[below] altı
}: { $state }
alerts-none-anywhere = Hiçbir sohbette uyarı yok.
alerts-none = Bu sohbette uyarı yok. <code>/alert CUR AMOUNT</code> veya <code>/alert CUR above AMOUNT</code> ile bir tane kurun.
alerts-heading-all = <b>Tüm sohbetlerin uyarıları</b>
alerts-heading = <b>Bu sohbetin uyarıları</b>
alerts-last-check = Son başarılı kontrol: { $at }
alerts-no-check = Henüz başarılı bir kontrol yok.
alerts-muted = 🔕 { $until } tarihine kadar duraklatıldı; devam ettirmek için /mute off.

## Alerts as they happen

alert-low = ⚠️ Düşük bakiye: { $subject } { $balance }, uyarı eşiğiniz { $level } altında
alert-still-low = ⚠️ Hâlâ düşük: { $subject } { $balance }, uyarı eşiğiniz { $level } altında ({ $since } tarihinden beri)
alert-recovered = ✅ { $subject } toparlandı: { $balance } (uyarı eşiği { $level })
alert-high = 🔺 { $subject } { $balance }, eşiğiniz { $level } üstünde; fonların bir kısmını soğuk cüzdana aktarmayı düşünün
alert-still-high = 🔺 Hâlâ yüksek: { $subject } { $balance }, eşiğiniz { $level } üstünde ({ $since } tarihinden beri)
alert-high-back = ✅ { $subject } yeniden eşiğiniz { $level } veya altında: { $balance }
mute-over = 🔔 Duraklatma bitti. Şu anda:
mute-over-quiet = 🔔 Duraklatma bitti.
mute-over-low = ⚠️ { $subject }{ $balance }, uyarı eşiğiniz { $level } altında ({ $since } tarihinden beri düşük)
mute-over-high = 🔺 { $subject }{ $balance }, eşiğiniz { $level } üstünde ({ $since } tarihinden beri yüksek)

## /mute

muted = 🔕 Bu sohbetteki uyarılar { $until } tarihine kadar duraklatıldı. Durumlar güncellenmeye devam eder; duraklatma bitince o an düşük veya yüksek olanların tek bir özetini alırsınız. /mute off uyarıları hemen devam ettirir.
mute-status = 🔕 Bu sohbetin uyarıları { $until } tarihine kadar duraklatıldı.
mute-status-off = Bu sohbetin uyarıları duraklatılmadı. <code>/mute 2h</code> onları iki saat duraklatır.
unmuted = 🔔 Bu sohbetteki uyarılar devam ediyor.
unmuted-not-muted = Bu sohbetin uyarıları duraklatılmamıştı.
unmuted-as-of = Son kontrole göre:

## /report and the reports

report-set = 📊 Raporlar kuruldu: { $schedule }. Sonraki: { $next } ({ $next_utc }).
report-status = 📊 Bu sohbet { $schedule } rapor alıyor. Sonraki: { $next } ({ $next_utc }). /report off durdurur, /report now şimdi bir rapor gönderir.
report-none = Bu sohbette zamanlanmış rapor yok. <code>/report 09:00 Europe/Istanbul</code> günlük, <code>/report mon 09:00</code> haftalık rapor kurar; /report now nasıl göründüğünü gösterir.
report-removed = Bu sohbetin zamanlanmış raporları durduruldu.
report-removed-none = Bu sohbette zamanlanmış rapor yoktu.
report-queued = 📊 Rapor yolda.
report-heading = 📊 <b>Bakiye raporu</b> — { $at }
report-late = ⏰ { $late } gecikmeli: { $due } için planlanmıştı ve bot o sırada çalışmıyordu.
report-stored = ⚠️ OxaPay { $at } tarihinden beri yanıt vermiyor; bunlar o zaman okunan bakiyeler.
report-stored-no-values = Kayıtlı bakiyeler için değer gösterilmez.
report-total-then = O zamanki toplam: <b>{ $total }</b>
report-first = Buradaki ilk rapor: henüz karşılaştırılacak bir şey yok.
report-no-change = Son rapordan ({ $at }) bu yana değişiklik yok.
report-since = <b>Son rapordan bu yana</b> ({ $at }):
report-change-new = (yeni)
report-change-empty = (artık boş)
report-total-change = Toplam: { $change } USD{ $percent }
report-crossed-heading = <b>Şu anda aşılan eşikler</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $level } { $direction ->
    [above] üstü
   *[below] altı
}: { $since } tarihinden beri { $direction ->
    [above] yüksek
   *[below] düşük
}
report-read-at = <i>Bakiyelerin okunduğu zaman: { $at }</i>
report-without-balances = 📊 <b>Bakiye raporu</b> — { $at }
    ⚠️ OxaPay yanıt vermedi ve henüz kayıtlı eski bakiye yok, bu yüzden bu kez raporlanacak bir şey yok.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>, son { $span }
    İlk: { $first } — { $first_at }
    Son: { $last } — { $last_at }
    Değişim: { $change }{ $percent }
    En düşük: { $min } — { $min_at }
    En yüksek: { $max } — { $max_at }
    <i>{ $count } nokta</i>
history-total-name = Toplam değer (USD)
history-none = Henüz bakiye geçmişi yok. Bot bakiyeleri ilk başarılı okumada ve ardından { $interval } kaydeder; daha sonra yeniden sorun.
history-too-few = Çizgi için henüz yeterli nokta yok: bu dönemde { $count } nokta (kayıt { $since } tarihinden beri). Daha sonra deneyin ya da <code>/history total 90d</code> gibi daha uzun bir dönem isteyin.
history-no-total = Bu dönem için kayıtlı USD toplamı yok (fiyatlara ulaşılamadı veya bir cüzdanın fiyatı yoktu). Bunun yerine tek bir para birimi isteyin, ör. <code>/history BTC 30d</code>.
history-unavailable = Grafik bu kez çizilemedi; hata operatör için kaydedildi. Daha sonra yeniden deneyin.
chart-title = { $subject }, son { $span }
chart-min = en düşük
chart-max = en yüksek
chart-min-max = en düşük = en yüksek

## /lang

lang-current = Bu sohbetin dili: { $name } ({ $code }){ $source ->
    [set] ; /lang ile ayarlandı. <code>/lang auto</code> her kullanıcının Telegram diline döner.
    [telegram] ; Telegram uygulamanızın dili. <code>/lang en</code> bu sohbet için başka bir dil ayarlar.
   *[default] ; bu sohbet için dil ayarlanmadı. <code>/lang tr</code> ayarlar.
}
    Diller: { $languages }
lang-set = Bu sohbetin dili artık { $name } ({ $code }). <code>/lang auto</code> her kullanıcının Telegram diline döner.
lang-auto = Bu sohbet yeniden her kullanıcının Telegram dilini izliyor; burada bu { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.
# A status reads after «Ödeme»: «Ödeme alındı», «Ödeme bekleniyor».

payment-status = { $status ->
    [new] oluşturuldu
    [waiting] bekleniyor
    [paying] yapılıyor
    [paid] alındı
    [manual_accept] elle kabul edildi
    [underpaid] eksik
    [refunding] iade ediliyor
    [refunded] iade edildi
    [expired] süresi doldu
   *[other] { $name }
}
payment-received = 💰 Statik adrese <b>para girişi</b>: { $amount } (ödeme { $status })
payment-event = { $emoji } <b>Ödeme { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } ({ $at } fiyatıyla)
payment-amount-unreadable = okunamayan bir { $currency } tutarı
payment-amount-unreadable-bare = okunamayan bir tutar
payment-track = Track ID { $track }
payment-order-track = sipariş { $order } · Track ID { $track }
payment-tx = tx { $tx }
payments-on = 🔔 Bu sohbet şu durumlardaki ödemeler için bildirim alıyor: { $events }. <code>/payments off</code> kapatır.
payments-on-min = 🔔 Bu sohbet { $min } ve üzeri ödemeler için şu durumlarda bildirim alıyor: { $events }. <code>/payments off</code> kapatır.
payments-off-setting = 🔕 Bu sohbet ödeme bildirimi almıyor. <code>/payments on</code> açar (<code>/payments on 100</code>: yalnızca $100 ve üzeri ödemeler).
payments-none = Henüz kayıtlı ödeme yok.
payments-last = <b>Son { $count } ödeme</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · sipariş { $order } · { $when }
payments-events-set = Bu sohbet şu durumlardaki ödemeler için bildirim alıyor: { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}Bildirimler burada kapalı: <code>/payments on</code> açar.
}
payments-chat-not-allowed = Ödemeler yalnızca bir yöneticinin izin verdiği sohbetlerde bildirilir: önce bir yöneticiden /allow { $chat } komutunu çalıştırmasını isteyin.
payments-need-key = Ödeme bildirimleri kapalı: botun operatörü OXAPAY_MERCHANT_API_KEY değerini (OxaPay'in üye işyeri API anahtarı) ayarlayıp botu yeniden başlatmalı.
tx-payment-heading = { $emoji } <b>Ödeme { $track }</b>: { $status } — { $since } itibarıyla
tx-amount = Tutar: { $amount }{ $usd }
tx-field = { $field ->
    [type] Tür
    [order] Sipariş
    [email] E-posta
    [description] Açıklama
    [created] Oluşturulma
   *[expires] Son geçerlilik
}: { $value }
tx-on-network = { $network } ağında
tx-confirmations = , { $count } onay
tx-to = adres: { $address }
tx-seen = Durum geçmişi: { $steps }
tx-problems = ⚠️ OxaPay'in yanıtında okunamayanlar: { $problems }
tx-payment-live = <i>Şimdi OxaPay'den okundu; botun kayıtlarında yok (botun geçmişinden daha eski).</i>
tx-unknown = OxaPay'de bu Track ID ile bir ödeme veya ödeme gönderimi yok: { $track }.
sales-heading = 💵 <b>{ $period ->
    [today] Bugünkü satışlar
    [yesterday] Dünkü satışlar
    [week] Son 7 günün satışları
   *[month] Son 30 günün satışları
}</b> ({ $from } itibarıyla)
sales-paid = { $paid } ödeme · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(USD değeri olmayan { $unvalued } ödeme hariç)
}
sales-unreadable = Tutarı okunamayan { $count } ödeme toplamlara katılmadı.
sales-before = Önceki dönem: { $paid } ödeme · { $usd }. Değişim: { $paid_change } ödeme, { $usd_change }{ $percent }
sales-counts = Eksik ödenen: { $underpaid } · Süresi dolan: { $expired }
report-count = { $emoji } { $status }: { $count }
report-payments = <b>Son rapordan bu yana ödemeler</b>: { $counts }
report-payments-none = <b>Son rapordan bu yana ödemeler</b>: yok.
report-received = Alınan: { $received }
held-payments = { $count } ödeme, { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}(USD değeri olmayan { $unvalued })
}
held-payouts = { $count } ödeme gönderimi
held-line = 💰 Duraklatma sırasında: { $parts }; /payments ve /payouts bunları listeler.
payments-chart-empty = Bu dönemde alınan ödeme yok, bu yüzden henüz çizilecek bir grafik yok.
payments-chart-caption = 💵 Günlük alınan tutar, son { $days } gün: <b>{ $total }</b> ({ $paid } ödeme){ $unvalued ->
    [0] {""}
   *[other] {" "}(USD değeri olmayan { $unvalued } ödeme hariç)
}
# Drawn on the chart: plain text.
payments-chart-title = Günlük alınan tutar (USD), son { $days } gün
problem-payments-span = { $given } ödemeler için bir dönem değil: 7d, 30d veya 90d yazın
usage-payments = bu sohbetin ayarını ve son ödemeleri görmek için /payments, <code>/payments on</code> (veya <code>/payments on 100</code>: yalnızca $100 ve üzeri ödemeler), <code>/payments off</code> ya da <code>/payments events paid,underpaid,expired</code> kullanın (durumlar: new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; ya da all veya default).
usage-tx = OxaPay'deki ödemenin veya ödeme gönderiminin Track ID'siyle <code>/tx TRACK_ID</code> kullanın, ör. <code>/tx 188225613</code>.
usage-sales = /sales (bugün), <code>/sales yesterday</code>, <code>/sales 7d</code> veya <code>/sales 30d</code> kullanın.

## Payouts: the feed, /payouts, /tx, reports
# A status reads after «Ödeme gönderimi»: «Ödeme gönderimi onaylandı».

payout-status = { $status ->
    [pending] beklemede
    [processing] işleniyor
    [confirming] zincirde onaylanıyor
    [confirmed] onaylandı
    [canceled] iptal edildi
    [rejected] reddedildi
   *[other] { $name }
}
payout-event = { $emoji } <b>Ödeme gönderimi { $status }</b>: { $body }
payout-stuck = ⏳ <b>Ödeme gönderimi takıldı</b>: { $since } tarihinden beri hâlâ { $status } ({ $mins } dk'dan uzun süredir): { $body }
payout-fee = , işlem ücreti { $fee }
payout-to = Alıcı adres: { $address }
payouts-on = 🔔 Bu sohbet şu durumlardaki ödeme gönderimleri için bildirim alıyor: { $events }; takılan gönderimler de bildirilir. <code>/payouts off</code> kapatır.
payouts-off-setting = 🔕 Bu sohbet ödeme gönderimi bildirimi almıyor. <code>/payouts on</code> açar.
payouts-none = Henüz kayıtlı ödeme gönderimi yok.
payouts-last = <b>Son { $count } ödeme gönderimi</b>
payouts-events-set = Bu sohbet şu durumlardaki ödeme gönderimleri için bildirim alıyor: { $events }; takılan gönderimler de bildirilir.{ $enabled ->
    [yes] {""}
   *[no] {" "}Bildirimler burada kapalı: <code>/payouts on</code> açar.
}
payouts-need-key = Ödeme gönderimi bildirimleri kapalı: botun operatörü OXAPAY_PAYOUT_API_KEY değerini (OxaPay'in ödeme gönderimi API anahtarı) ayarlayıp botu yeniden başlatmalı.
tx-payout-heading = { $emoji } <b>Ödeme gönderimi { $track }</b>: { $status } — { $since } itibarıyla
tx-payout-live-heading = { $emoji } <b>Ödeme gönderimi { $track }</b>: { $status }
tx-memo = Memo: { $memo }
tx-internal = Başka bir OxaPay hesabına (blokzincirde aktarım yok).
tx-payout-live = <i>Şimdi OxaPay'den okundu; botun kayıtlarında yok.</i>
report-payouts = <b>Son rapordan bu yana ödeme gönderimleri</b>: { $counts }
report-sent = Gönderilen: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(USD değeri olmayan { $unvalued } gönderim hariç)
}
usage-payouts = bu sohbetin ayarını ve son ödeme gönderimlerini görmek için /payouts, <code>/payouts on</code>, <code>/payouts off</code> ya da <code>/payouts events confirmed,rejected</code> kullanın (durumlar: pending, processing, confirming, confirmed, canceled, rejected; ya da all veya default). Takılan bir gönderim, liste ne olursa olsun bildirilir.
