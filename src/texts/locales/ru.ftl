# Русский. Источник — en.ftl: здесь те же сообщения с теми же переменными.
# Команды (/balance, off, above, total, all, now, auto), CUR и AMOUNT пишутся как в английском:
# их набирают в Telegram.

## Shared words

subject-total = Общая стоимость
time-unknown = неизвестное время
weekday-short = { $day ->
    [1] пн
    [2] вт
    [3] ср
    [4] чт
    [5] пт
    [6] сб
   *[7] вс
}
# With its "every": the schedule says "каждую среду".
weekday-long = { $day ->
    [1] каждый понедельник
    [2] каждый вторник
    [3] каждую среду
    [4] каждый четверг
    [5] каждую пятницу
    [6] каждую субботу
   *[7] каждое воскресенье
}
month-short = { $month ->
    [1] янв
    [2] фев
    [3] мар
    [4] апр
    [5] мая
    [6] июн
    [7] июл
    [8] авг
    [9] сен
    [10] окт
    [11] ноя
   *[12] дек
}
time-zoned = { $weekday }, { $day } { $month } { $year }, { $time } { $zone }
time-utc-clock = { $weekday }, { $time } UTC
duration-minutes = { $minutes } мин
duration-hours = { $hours } ч { $minutes } мин
interval = { $unit ->
    [h] { $n } ч
    [min] { $n } мин
   *[s] { $n } с
}
span = { $span ->
    [week] 7 дней
    [month] 30 дней
    [quarter] 90 дней
   *[year] 1 год
}
schedule-daily = ежедневно в { $time } { $zone }
schedule-weekly = { $day } в { $time } { $zone }

## /start and /help

help = <b>Бот балансов OxaPay</b>
    Показывает балансы кошельков этого аккаунта OxaPay и сообщает в этот чат, когда какой-то из них опускается ниже порога, и рассказывает о платежах и выплатах, как только они происходят.

    /balance — все непустые кошельки, их стоимость в USD и итог
    /balance all — то же вместе с кошельками дешевле цента
    /balance CUR — одна валюта, например <code>/balance BTC</code>
    /alert CUR AMOUNT — сообщить в чат, когда CUR опустится ниже AMOUNT, например <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — сообщить, когда CUR поднимется выше AMOUNT (пора вывести на холодный кошелёк)
    /alert total AMOUNT — сообщить, когда общая стоимость аккаунта в USD опустится ниже AMOUNT
    /alert CUR off — снять оповещения по CUR (<code>/alert CUR above off</code> — только одно); /alert off — все оповещения чата
    /alerts — пороги этого чата и их состояние
    /mute 2h — приостановить оповещения чата на время (30m, 2h, 1d; /mute off — возобновить)
    /report 09:00 [TZ] — отчёт о балансах в этот чат каждый день в это время (TZ вида Europe/Moscow; <code>/report mon 09:00</code> — еженедельно); /report показывает расписание, /report off отключает, /report now присылает отчёт сейчас
    /history [CUR|total] [7d|30d|90d|1y] — график баланса, например <code>/history BTC 7d</code>
    /payments — уведомления о платежах в этот чат по мере поступления (<code>/payments on</code>, <code>/payments on 100</code> — только от $100, <code>/payments off</code>); последние платежи
    /payouts — то же для выплат, включая зависшие
    /tx TRACK_ID — всё об одном платеже или выплате
    /sales [today|yesterday|7d|30d] — сколько получено, в сравнении с предыдущим периодом
    /history payments [7d|30d|90d] — график поступлений в USD по дням
    /lang — язык этого чата (<code>/lang en</code>, <code>/lang auto</code>)
    /help — эта справка
help-your-id = Ваш ID пользователя Telegram: { $id }

## The command menu (at most 256 characters each)

menu-start = что умеет бот и ваш ID пользователя
menu-help = доступные вам команды
menu-balance = балансы кошельков и стоимость в USD; /balance CUR — одна валюта, /balance all — все
menu-alert = /alert CUR AMOUNT (или CUR above AMOUNT) задаёт порог оповещения; /alert CUR off снимает его
menu-alerts = пороги оповещений этого чата и их состояние
menu-mute = /mute 2h приостанавливает оповещения чата; /mute off возобновляет
menu-report = /report 09:00 [TZ] — ежедневный отчёт, /report mon 09:00 — еженедельный; off, now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: график баланса
menu-lang = язык этого чата: /lang en, /lang auto
menu-payments = уведомления о платежах: /payments on, /payments off; последние платежи
menu-payouts = уведомления о выплатах: /payouts on, /payouts off; последние выплаты
menu-tx = /tx TRACK_ID: всё об одном платеже или выплате
menu-sales = /sales [today|yesterday|7d|30d]: сколько получено

## Refusals and failures

not-authorized-user-in-chat = У вас нет доступа к этому боту. Ваш ID пользователя — { $id } (ID этого чата — { $chat }); попросите администратора выполнить /allow.
not-authorized-user = У вас нет доступа к этому боту. Ваш ID пользователя — { $id }; попросите администратора выполнить /allow.
not-authorized-chat = У этого чата нет доступа к боту. ID чата — { $chat }; попросите администратора выполнить /allow.
not-authorized-has-levels = В этот чат приходят оповещения о балансе, которые здесь кто-то настроил; любой участник может отключить их командой /alert off.
admin-only = Это доступно только администраторам.
slow-down = Слишком много команд подряд. Подождите немного: через несколько секунд бот снова ответит.
unknown-command = Неизвестная команда. Список команд — /help.
storage-failed = База данных бота занята или недоступна; ничего не изменено. Повторите чуть позже.
bad-argument = { $problem } — { $usage }
unknown-currency = В этом аккаунте OxaPay нет кошелька <b>{ $currency }</b>. Кошельки аккаунта: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] общий API-ключ (general)
    [merchant] API-ключ мерчанта
   *[payout] API-ключ выплат
}
oxapay-timeout = OxaPay не ответил за { $secs } с — повторите чуть позже.
oxapay-connection = Не удалось подключиться к OxaPay — повторите чуть позже.
oxapay-redirect = Адрес OxaPay ответил перенаправлением (HTTP { $status }). Бот не следует перенаправлениям, чтобы ключ не ушёл на чужой сервер; проверьте OXAPAY_API_URL.
oxapay-rate-limited = { $secs ->
    [0] OxaPay ограничивает частоту запросов — повторите через минуту.
   *[other] OxaPay ограничивает частоту запросов — повторите через { $secs } с.
}
oxapay-server-trouble = У OxaPay неполадки (HTTP { $status }) — повторите чуть позже.
oxapay-refused = OxaPay отклонил запрос (HTTP { $status }) — повторите позже.
oxapay-too-large = Ответ OxaPay слишком велик (больше { $mib } МиБ) — повторите чуть позже.
oxapay-unreadable = Бот не смог разобрать ответ OxaPay — повторите чуть позже.
oxapay-code = { $code ->
    [101] OxaPay отклонил запрос как некорректный (код 101).
    [102] OxaPay отклонил API-ключ: это не ключ выплат (код 102).
    [103] OxaPay отклонил ключ выплат (код 103): проверьте OXAPAY_PAYOUT_API_KEY.
    [104] OxaPay не принимает запросы с IP этого сервера (код 104): разрешите его в панели OxaPay.
    [105] OxaPay не знает такой валюты (код 105).
    [124] Превышен лимит запросов к OxaPay (код 124) — повторите позже.
   *[other] OxaPay сообщил об ошибке (код { $code }) — повторите позже.
}
oxapay-key-refused = OxaPay отклонил { $key } (HTTP 401): ключ другого типа или отозван. Проверьте { $variable }.
oxapay-invalid = OxaPay отклонил запрос как некорректный (HTTP 400).
oxapay-general-key-refused = OxaPay отклонил ключ (HTTP 401): это не общий API-ключ (general), или он отозван. Проверьте OXAPAY_GENERAL_API_KEY.
oxapay-not-found = OxaPay не знает этого адреса (HTTP 404) — проверьте OXAPAY_API_URL.
oxapay-maintenance = { $secs ->
    [0] На OxaPay идут технические работы (HTTP 503) — повторите позже.
   *[other] На OxaPay идут технические работы (HTTP 503) — повторите через { $secs } с.
}
oxapay-error = OxaPay сообщил об ошибке — повторите позже.
prices-unavailable = Курсы USD сейчас недоступны ({ $reason }), поэтому стоимость не показана.
price-reason = { $kind ->
    [timeout] нет ответа за { $secs } с
    [connection] не удалось подключиться
    [redirect] перенаправление HTTP { $status } не выполнено — проверьте OXAPAY_API_URL
    [limited] OxaPay ограничивает частоту запросов
    [http] HTTP { $status }
    [code] код { $status }
    [key] { $key } отклонён
   *[unreadable] ответ не удалось разобрать
}
prices-stale = Актуальных курсов USD сейчас нет, поэтому стоимость не показана.

## Arguments that were refused

problem-not-currency = { $given } — не валюта: { $why }
problem-currency-missing = не указан код валюты
problem-currency-invalid = код валюты — от 2 до 10 латинских букв или цифр, например BTC или USDT
problem-amount-not-accepted = { $given } не подходит: { $why }
problem-amount-missing = не указана сумма
problem-amount-not-plain = сумма — обычное число, например 0.5, 1000 или 1234.5678
problem-amount-not-positive = сумма должна быть больше нуля
problem-amount-too-large = сумма слишком велика или слишком точна: не больше 15 цифр до точки, 18 после неё и 28 всего
problem-not-direction = { $given } — не направление: укажите below или above
problem-alert-missing = не указаны валюта и сумма
problem-amount-missing-after = не указана сумма
problem-alert-too-many = слишком много слов: укажите валюту, при желании below или above, и сумму
problem-one-currency = только одна валюта за раз
problem-not-understood = { $given } — непонятный аргумент
problem-not-duration = { $given } — не длительность вида 30m, 2h или 1d
problem-mute-zero = пауза должна быть длиннее нуля
problem-mute-too-long = пауза — не дольше 30 дней (30d)
problem-one-duration = только одна длительность за раз
problem-bad-time = { $given } — не время: укажите ЧЧ:ММ в 24-часовом формате, например 09:00 или 18:30
problem-unknown-day = { $given } — не день недели: укажите mon, tue, wed, thu, fri, sat или sun либо полное английское название, например monday
problem-unknown-zone = { $given } — не часовой пояс: укажите зону IANA, например Europe/Moscow, Asia/Tehran или UTC
problem-missing-time = не указано время: укажите ЧЧ:ММ в 24-часовом формате, например 09:00
problem-day-after-time = день недели ставится перед временем, например mon 09:00
problem-not-alone = после { $given } ничего указывать не нужно
problem-report-too-many = слишком много слов: укажите время, перед ним — день недели для еженедельного отчёта, после — часовой пояс, например mon 09:00 Europe/Moscow
problem-history-not-understood = { $given } — не валюта и не период: укажите валюту, например BTC (или total), и период 7d, 30d, 90d или 1y
problem-unknown-span = { $given } — не период: укажите 7d, 30d, 90d или 1y
problem-two-subjects = только одна валюта за раз: укажите валюту, например BTC, или total
problem-two-spans = только один период за раз: 7d, 30d, 90d или 1y
problem-history-too-many = слишком много слов: не больше одной валюты (или total) и одного периода, например BTC 90d
problem-unknown-lang = { $given } — бот не говорит на этом языке
problem-one-lang = только один язык за раз
problem-events-empty = укажите хотя бы один статус, через запятую (или all, или default)
problem-event-unknown = { $given } — не статус; статусы: { $known } (или all, или default)
problem-track-id = { $given } — не Track ID: { $why ->
    [long] Track ID — не длиннее { $max } { $max ->
        [one] символа
       *[other] символов
    }
   *[control] в Track ID не бывает управляющих символов
}
problem-track-id-missing = не указан Track ID
problem-one-track-id = только один Track ID за раз
problem-not-period = { $given } — не период
problem-one-period = только один период за раз

usage-balance = используйте /balance для всех кошельков, <code>/balance all</code> — вместе с «пылью», или /balance CUR для одной валюты, например <code>/balance BTC</code>.
usage-alert = используйте <code>/alert CUR AMOUNT</code> (например, <code>/alert BTC 0.5</code>: сообщить, когда BTC опустится ниже 0.5), <code>/alert CUR above AMOUNT</code> (когда поднимется выше), <code>/alert total AMOUNT</code> (общая стоимость в USD), <code>/alert CUR off</code> или <code>/alert off</code>; AMOUNT — обычное число больше нуля, например 0.5, 1000 или 1234.5678.
usage-mute = используйте <code>/mute 30m</code>, <code>/mute 2h</code> или <code>/mute 1d</code> (не дольше 30d), <code>/mute off</code> или просто /mute, чтобы увидеть паузу.
usage-alerts = используйте /alerts для этого чата или <code>/alerts all</code> (администраторы) для всех чатов.
usage-report = используйте <code>/report 09:00</code> или <code>/report 09:00 Europe/Moscow</code> (ежедневно), <code>/report mon 09:00 [TZ]</code> (еженедельно), <code>/report off</code>, <code>/report now</code> или просто /report, чтобы увидеть расписание. TZ — зона IANA, например UTC, Europe/Moscow или Asia/Tehran.
usage-history = используйте <code>/history</code> (общая стоимость за 30 дней), <code>/history BTC</code>, <code>/history total 7d</code>; периоды: 7d, 30d, 90d, 1y.
usage-lang = используйте /lang, чтобы увидеть язык чата, <code>/lang en</code>, чтобы выбрать язык ({ $codes }), или <code>/lang auto</code>, чтобы следовать языку Telegram каждого пользователя.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 Обновить
button-mute-hour = 🔕 Пауза 1 ч
button-balance = 💰 Баланс
popup-not-authorized = У вас нет доступа к этому боту. Ваш ID пользователя — { $id }; попросите администратора выполнить /allow.
popup-button-forged = Эта кнопка недействительна. Отправьте /help, чтобы узнать, что умеет бот.
popup-button-too-old = Сообщение слишком старое для кнопок; отправьте команду ещё раз.
popup-refreshed = Обновлено.
popup-nothing-changed = С момента этого сообщения ничего не изменилось.
popup-refresh-too-long = Балансы больше не помещаются в одно сообщение; отправьте /balance, чтобы получить полный список.
popup-refresh-failed = Не удалось обновить сообщение; отправьте /balance.
popup-muted = Оповещения здесь приостановлены до { $until }.

## /balance

balance-heading-valued = <b>Балансы OxaPay</b> (непустые кошельки, по убыванию стоимости)
balance-heading = <b>Балансы OxaPay</b> (непустые кошельки)
balance-no-price = нет курса
balance-footer-priced = <i>OxaPay, { $at } · курсы на { $priced_at }</i>
balance-footer = <i>OxaPay, { $at }</i>
balance-all-zero = Все кошельки ({ $count }) пусты.
balance-total = Итого: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
   *[other] {" "}(кошельков без курса, не вошедших в итог: { $unpriced })
}
balance-dust = «Пыль»: { $count ->
    [one] { $count } кошелёк
    [few] { $count } кошелька
   *[many] { $count } кошельков
} дешевле $0.01 каждый, свёрнуто; /balance all покажет их.
balance-unreadable = ⚠️ OxaPay прислал сумму, которую бот не смог разобрать, для { $currencies }: не показано{ $in_total ->
    [yes] {" "}(и не вошло в итог)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = У OxaPay нет курса USD для { $currency }.
balance-unreadable-one = OxaPay прислал сумму для <b>{ $currency }</b>, которую бот не смог разобрать ({ $why }); остальные кошельки в порядке — попробуйте /balance.

## Alert levels

alert-set = Порог задан: этот чат получит сообщение, когда { $subject } { $direction ->
    [above] поднимется выше
   *[below] опустится ниже
} { $level }{ $total ->
    [yes] {" "}(сумма стоимостей всех кошельков в USD; если при проверке нет какого-то курса, состояние не меняется)
   *[no] {""}
}. Ближайшая проверка балансов покажет текущее положение.
alerts-removed = { $count ->
    [0] В этом чате не было оповещений.
    [1] Единственное оповещение этого чата снято.
    [one] Сняты все оповещения этого чата: { $count }.
    [few] Сняты все { $count } оповещения этого чата.
   *[many] Сняты все { $count } оповещений этого чата.
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] В этом чате не было нижнего порога для { $subject }.
        [above] В этом чате не было верхнего порога для { $subject }.
       *[both] В этом чате не было порогов для { $subject }.
    }
    [1] { $direction ->
        [below] Нижний порог для { $subject } снят.
        [above] Верхний порог для { $subject } снят.
       *[both] Порог для { $subject } снят.
    }
   *[other] Сняты оба порога для { $subject } ({ $removed }).
}
alert-state-unchecked = ещё не проверялся
alert-state-ok = в норме
alert-state-crossed = { $direction ->
    [above] выше порога
   *[below] ниже порога
} с { $since }
alert-line = { $subject } { $direction ->
    [above] выше
   *[below] ниже
} { $level }: { $state }
alerts-none-anywhere = Ни в одном чате нет оповещений.
alerts-none = В этом чате нет оповещений. Задайте порог командой <code>/alert CUR AMOUNT</code> или <code>/alert CUR above AMOUNT</code>.
alerts-heading-all = <b>Оповещения всех чатов</b>
alerts-heading = <b>Оповещения этого чата</b>
alerts-last-check = Последняя успешная проверка: { $at }
alerts-no-check = Успешных проверок ещё не было.
alerts-muted = 🔕 Пауза до { $until }; /mute off возобновит оповещения.

## Alerts as they happen

alert-low = ⚠️ Низкий баланс: { $subject } { $balance } — ниже порога { $level }
alert-still-low = ⚠️ Всё ещё низкий: { $subject } { $balance } — ниже порога { $level } (с { $since })
alert-recovered = ✅ { $subject } снова в норме: { $balance } (порог { $level })
alert-high = 🔺 { $subject } { $balance } — выше порога { $level }; стоит перевести средства на холодный кошелёк
alert-still-high = 🔺 Всё ещё высокий: { $subject } { $balance } — выше порога { $level } (с { $since })
alert-high-back = ✅ { $subject } снова не выше порога { $level }: { $balance }
mute-over = 🔔 Пауза закончилась. Сейчас:
mute-over-quiet = 🔔 Пауза закончилась.
mute-over-low = ⚠️ { $subject }{ $balance } — ниже порога { $level } (с { $since })
mute-over-high = 🔺 { $subject }{ $balance } — выше порога { $level } (с { $since })

## /mute

muted = 🔕 Оповещения в этом чате приостановлены до { $until }. Состояния по-прежнему обновляются; когда пауза закончится, придёт одна сводка о том, что ниже или выше порога. /mute off возобновит оповещения сейчас.
mute-status = 🔕 Оповещения этого чата приостановлены до { $until }.
mute-status-off = Оповещения этого чата не приостановлены. <code>/mute 2h</code> приостановит их на два часа.
unmuted = 🔔 Оповещения в этом чате возобновлены.
unmuted-not-muted = Оповещения этого чата и не были приостановлены.
unmuted-as-of = По последней проверке:

## /report and the reports

report-set = 📊 Отчёты настроены: { $schedule }. Следующий: { $next } ({ $next_utc }).
report-status = 📊 Этот чат получает отчёт { $schedule }. Следующий: { $next } ({ $next_utc }). /report off отключит отчёты, /report now пришлёт отчёт сейчас.
report-none = В этом чате нет отчётов по расписанию. <code>/report 09:00 Europe/Moscow</code> включит ежедневный, <code>/report mon 09:00</code> — еженедельный; /report now покажет, как выглядит отчёт.
report-removed = Отчёты по расписанию для этого чата отключены.
report-removed-none = В этом чате не было отчётов по расписанию.
report-queued = 📊 Отчёт уже в пути.
report-heading = 📊 <b>Отчёт о балансах</b> — { $at }
report-late = ⏰ С опозданием на { $late }: отчёт ожидался { $due }, но бот в это время не работал.
report-stored = ⚠️ OxaPay не отвечает с { $at }; это балансы, полученные тогда.
report-stored-no-values = Для сохранённых балансов стоимость не показывается.
report-total-then = Итого на тот момент: <b>{ $total }</b>
report-first = Первый отчёт в этом чате: сравнивать пока не с чем.
report-no-change = С прошлого отчёта ({ $at }) ничего не изменилось.
report-since = <b>С прошлого отчёта</b> ({ $at }):
report-change-new = (новый)
report-change-empty = (теперь пуст)
report-total-change = Итого: { $change } USD{ $percent }
report-crossed-heading = <b>Пороги, пересечённые сейчас</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $direction ->
    [above] выше
   *[below] ниже
} { $level }: { $direction ->
    [above] выше порога
   *[below] ниже порога
} с { $since }
report-read-at = <i>Балансы получены { $at }</i>
report-without-balances = 📊 <b>Отчёт о балансах</b> — { $at }
    ⚠️ OxaPay не отвечает, а более ранних балансов ещё нет, поэтому на этот раз отчитываться не о чем.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>, последние { $span }
    Начало: { $first } — { $first_at }
    Конец: { $last } — { $last_at }
    Изменение: { $change }{ $percent }
    Минимум: { $min } — { $min_at }
    Максимум: { $max } — { $max_at }
    <i>Точек: { $count }</i>
history-total-name = Общая стоимость (USD)
history-none = Истории балансов пока нет. Бот записывает балансы после первого успешного чтения, а затем каждые { $interval }; загляните позже.
history-too-few = Для линии пока мало точек: { $count } за этот период (запись идёт с { $since }). Попробуйте позже или возьмите период длиннее, например <code>/history total 90d</code>.
history-no-total = За этот период нет записанных итогов в USD (курсы были недоступны или у какого-то кошелька нет курса). Запросите одну валюту, например <code>/history BTC 30d</code>.
history-unavailable = Не удалось построить график; ошибка записана в журнал для оператора. Попробуйте позже.
chart-title = { $subject }, последние { $span }
chart-min = мин
chart-max = макс
chart-min-max = мин = макс

## /lang

lang-current = Язык этого чата: { $name } ({ $code }){ $source ->
    [set] , задан командой /lang. <code>/lang auto</code> вернёт язык Telegram каждого пользователя.
    [telegram] {" "}— язык вашего приложения Telegram. <code>/lang en</code> задаст этому чату другой.
   *[default] : язык для этого чата не задан. <code>/lang ru</code> задаст его.
}
    Языки: { $languages }
lang-set = Теперь этот чат на языке: { $name } ({ $code }). <code>/lang auto</code> вернёт язык Telegram каждого пользователя.
lang-auto = Этот чат снова следует языку Telegram каждого пользователя; здесь это { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.
# A status reads after «Платёж» (masculine): «Платёж оплачен».

payment-status = { $status ->
    [new] создан
    [waiting] ожидает оплаты
    [paying] оплачивается
    [paid] оплачен
    [manual_accept] принят вручную
    [underpaid] недоплачен
    [refunding] возвращается
    [refunded] возвращён
    [expired] истёк
   *[other] { $name }
}
payment-received = 💰 <b>Поступление</b> на статический адрес: { $amount } (платёж { $status })
payment-event = { $emoji } <b>Платёж { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } (по курсу на { $at })
payment-amount-unreadable = нечитаемая сумма в { $currency }
payment-amount-unreadable-bare = нечитаемая сумма
payment-track = Track ID { $track }
payment-order-track = заказ { $order } · Track ID { $track }
payment-tx = tx { $tx }
payments-on = 🔔 Этот чат получает уведомления о платежах со статусами { $events }. <code>/payments off</code> отключит их.
payments-on-min = 🔔 Этот чат получает уведомления о платежах со статусами { $events } на сумму от { $min }. <code>/payments off</code> отключит их.
payments-off-setting = 🔕 Этот чат не получает уведомления о платежах. <code>/payments on</code> включит их (<code>/payments on 100</code> — только о платежах от $100).
payments-none = Записанных платежей пока нет.
payments-last = <b>{ $count ->
    [1] Последний платёж
    [one] Последние { $count } платёж
    [few] Последние { $count } платежа
   *[many] Последние { $count } платежей
}</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · заказ { $order } · { $when }
payments-events-set = Этот чат получает уведомления о платежах со статусами { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}Сейчас уведомления здесь выключены: <code>/payments on</code> включит их.
}
payments-chat-not-allowed = О платежах сообщается только в чатах, которые разрешил администратор: сначала попросите администратора выполнить /allow { $chat }.
payments-need-key = Уведомления о платежах отключены: оператор бота должен задать OXAPAY_MERCHANT_API_KEY (API-ключ мерчанта из OxaPay) и перезапустить бота.
tx-payment-heading = { $emoji } <b>Платёж { $track }</b>: { $status } с { $since }
tx-amount = Сумма: { $amount }{ $usd }
tx-field = { $field ->
    [type] Тип
    [order] Заказ
    [email] Email
    [description] Описание
    [created] Дата создания
   *[expires] Срок действия до
}: { $value }
tx-on-network = в сети { $network }
tx-confirmations = , { $count ->
    [one] { $count } подтверждение
    [few] { $count } подтверждения
   *[many] { $count } подтверждений
}
tx-to = на адрес { $address }
tx-seen = История статусов: { $steps }
tx-problems = ⚠️ В ответе OxaPay не удалось разобрать: { $problems }
tx-payment-live = <i>Получено из OxaPay только что; в базе бота этого платежа нет (он старше истории бота).</i>
tx-unknown = В OxaPay нет ни платежа, ни выплаты с Track ID { $track }.
sales-heading = 💵 <b>Продажи { $period ->
    [today] за сегодня
    [yesterday] за вчера
    [week] за последние 7 дней
   *[month] за последние 30 дней
}</b> (с { $from })
sales-paid = { $paid ->
    [one] { $paid } оплата
    [few] { $paid } оплаты
   *[many] { $paid } оплат
} · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(без стоимости в USD, не вошли в сумму: { $unvalued })
}
sales-unreadable = Платежей с нечитаемой суммой, не вошедших в итоги: { $count }.
sales-before = Предыдущий период: { $paid ->
    [one] { $paid } оплата
    [few] { $paid } оплаты
   *[many] { $paid } оплат
} · { $usd }. Изменение: число оплат { $paid_change }, сумма { $usd_change }{ $percent }
sales-counts = Недоплачено: { $underpaid } · Истекло: { $expired }
report-count = { $emoji } { $status }: { $count }
report-payments = <b>Платежи с прошлого отчёта</b>: { $counts }
report-payments-none = <b>Платежи с прошлого отчёта</b>: нет.
report-received = Получено: { $received }
held-payments = { $count ->
    [one] { $count } платёж
    [few] { $count } платежа
   *[many] { $count } платежей
}, { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}(без стоимости в USD: { $unvalued })
}
held-payouts = { $count ->
    [one] { $count } выплата
    [few] { $count } выплаты
   *[many] { $count } выплат
}
held-line = 💰 За время паузы: { $parts }; список — в /payments и /payouts.
payments-chart-empty = За этот период оплаченных платежей нет, строить график пока не по чему.
payments-chart-caption = 💵 Поступления по дням за последние { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}: <b>{ $total }</b>, оплаченных платежей: { $paid }{ $unvalued ->
    [0] {""}
   *[other] {" "}(без стоимости в USD, не вошли в сумму: { $unvalued })
}
# Drawn on the chart: plain text.
payments-chart-title = Поступления по дням (USD), последние { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
}
problem-payments-span = { $given } — не период для платежей: укажите 7d, 30d или 90d
usage-payments = используйте /payments, чтобы увидеть настройку чата и последние платежи, <code>/payments on</code> (или <code>/payments on 100</code> — только платежи от $100), <code>/payments off</code> или <code>/payments events paid,underpaid,expired</code> (статусы: new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; либо all или default).
usage-tx = используйте <code>/tx TRACK_ID</code> с Track ID платежа или выплаты из OxaPay, например <code>/tx 188225613</code>.
usage-sales = используйте /sales (сегодня), <code>/sales yesterday</code>, <code>/sales 7d</code> или <code>/sales 30d</code>.

## Payouts: the feed, /payouts, /tx, reports
# A status reads after «Выплата» (feminine): «Выплата подтверждена».

payout-status = { $status ->
    [pending] ожидает обработки
    [processing] обрабатывается
    [confirming] подтверждается в блокчейне
    [confirmed] подтверждена
    [canceled] отменена
    [rejected] отклонена
   *[other] { $name }
}
payout-event = { $emoji } <b>Выплата { $status }</b>: { $body }
payout-stuck = ⏳ <b>Выплата зависла</b>: всё ещё { $status } с { $since } (дольше { $mins } мин): { $body }
payout-fee = , комиссия { $fee }
payout-to = На адрес { $address }
payouts-on = 🔔 Этот чат получает уведомления о выплатах со статусами { $events }, а также о зависших. <code>/payouts off</code> отключит их.
payouts-off-setting = 🔕 Этот чат не получает уведомления о выплатах. <code>/payouts on</code> включит их.
payouts-none = Записанных выплат пока нет.
payouts-last = <b>{ $count ->
    [1] Последняя выплата
    [one] Последние { $count } выплата
    [few] Последние { $count } выплаты
   *[many] Последние { $count } выплат
}</b>
payouts-events-set = Этот чат получает уведомления о выплатах со статусами { $events }, а также о зависших.{ $enabled ->
    [yes] {""}
   *[no] {" "}Сейчас уведомления здесь выключены: <code>/payouts on</code> включит их.
}
payouts-need-key = Уведомления о выплатах отключены: оператор бота должен задать OXAPAY_PAYOUT_API_KEY (API-ключ выплат из OxaPay) и перезапустить бота.
tx-payout-heading = { $emoji } <b>Выплата { $track }</b>: { $status } с { $since }
tx-payout-live-heading = { $emoji } <b>Выплата { $track }</b>: { $status }
tx-memo = Memo: { $memo }
tx-internal = Перевод на другой аккаунт OxaPay (без транзакции в блокчейне).
tx-payout-live = <i>Получено из OxaPay только что; в базе бота этой выплаты нет.</i>
report-payouts = <b>Выплаты с прошлого отчёта</b>: { $counts }
report-sent = Отправлено: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
   *[other] {" "}(без стоимости в USD, не вошли в сумму: { $unvalued })
}
usage-payouts = используйте /payouts, чтобы увидеть настройку чата и последние выплаты, <code>/payouts on</code>, <code>/payouts off</code> или <code>/payouts events confirmed,rejected</code> (статусы: pending, processing, confirming, confirmed, canceled, rejected; либо all или default). О зависшей выплате бот сообщит при любом списке.
