# Español. Fuente: en.ftl; los mismos mensajes con las mismas variables.
# Los comandos (/balance, off, above, total, all, now, auto), CUR y AMOUNT no se traducen:
# se escriben así en Telegram.

## Shared words

subject-total = Valor total
time-unknown = un momento desconocido
weekday-short = { $day ->
    [1] lun
    [2] mar
    [3] mié
    [4] jue
    [5] vie
    [6] sáb
   *[7] dom
}
weekday-long = { $day ->
    [1] lunes
    [2] martes
    [3] miércoles
    [4] jueves
    [5] viernes
    [6] sábado
   *[7] domingo
}
month-short = { $month ->
    [1] ene
    [2] feb
    [3] mar
    [4] abr
    [5] may
    [6] jun
    [7] jul
    [8] ago
    [9] sept
    [10] oct
    [11] nov
   *[12] dic
}
time-zoned = { $weekday } { $day } { $month } { $year }, { $time } { $zone }
time-utc-clock = { $weekday } { $time } UTC
duration-minutes = { $minutes } min
duration-hours = { $hours } h { $minutes } min
interval = { $unit ->
    [h] { $n } h
    [min] { $n } min
   *[s] { $n } s
}
span = { $span ->
    [week] 7 días
    [month] 30 días
    [quarter] 90 días
   *[year] 1 año
}
schedule-daily = todos los días a las { $time } { $zone }
schedule-weekly = cada { $day } a las { $time } { $zone }

## /start and /help

help = <b>Bot de saldos de OxaPay</b>
    Muestra los saldos de las billeteras de esta cuenta de OxaPay, avisa en este chat cuando alguno baja demasiado y cuenta los pagos entrantes y salientes en cuanto ocurren.

    /balance — cada billetera con saldo, su valor en USD y el total
    /balance all — lo mismo, incluidas las billeteras que valen menos de un centavo
    /balance CUR — una sola moneda, p. ej. <code>/balance BTC</code>
    /alert CUR AMOUNT — avisar en este chat cuando CUR baje de AMOUNT, p. ej. <code>/alert USDT 500</code>
    /alert CUR above AMOUNT — avisar cuando CUR supere AMOUNT (momento de pasar fondos a la billetera fría)
    /alert total AMOUNT — avisar cuando el valor total de la cuenta en USD baje de AMOUNT
    /alert CUR off — quitar las alertas de CUR (<code>/alert CUR above off</code>: solo una); /alert off — todas las alertas de este chat
    /alerts — los umbrales de alerta de este chat y su estado
    /mute 2h — pausar las alertas de este chat por un tiempo (30m, 2h, 1d; /mute off las reanuda)
    /report 09:00 [TZ] — un informe de saldos aquí cada día a esa hora (TZ como America/Mexico_City; <code>/report mon 09:00</code>: semanal); /report lo muestra, /report off lo detiene, /report now envía uno ahora
    /history [CUR|total] [7d|30d|90d|1y] — un gráfico del saldo, p. ej. <code>/history BTC 7d</code>
    /payments — este chat recibe un aviso de cada pago en cuanto ocurre (<code>/payments on</code>, <code>/payments on 100</code>: solo de $100 o más, <code>/payments off</code>); los últimos pagos
    /payouts — lo mismo para los pagos salientes, y cualquiera que se quede atascado
    /tx TRACK_ID — todos los datos de un pago o de un pago saliente
    /sales [today|yesterday|7d|30d] — lo recibido, comparado con el periodo anterior
    /history payments [7d|30d|90d] — un gráfico de lo recibido en USD por día
    /lang — el idioma de este chat (<code>/lang en</code>, <code>/lang auto</code>)
    /help — este mensaje
help-your-id = Tu ID de usuario de Telegram: { $id }

## The command menu (at most 256 characters each)

menu-start = qué hace este bot y tu ID de usuario
menu-help = los comandos que puedes usar
menu-balance = saldos de las billeteras y su valor en USD; /balance CUR para una, /balance all para todas
menu-alert = /alert CUR AMOUNT (o CUR above AMOUNT) crea una alerta; /alert CUR off la quita
menu-alerts = las alertas de este chat y su estado
menu-mute = /mute 2h pausa las alertas de este chat; /mute off las reanuda
menu-report = /report 09:00 [TZ] diario o /report mon 09:00 semanal; off, now
menu-history = /history [CUR|total] [7d|30d|90d|1y]: un gráfico del saldo
menu-lang = el idioma de este chat: /lang en, /lang auto
menu-payments = avisos de pagos en cuanto ocurren: /payments on, /payments off; los últimos pagos
menu-payouts = avisos de pagos salientes en cuanto ocurren: /payouts on, /payouts off; los últimos
menu-tx = /tx TRACK_ID: todos los datos de un pago o de un pago saliente
menu-sales = /sales [today|yesterday|7d|30d]: lo recibido

## Refusals and failures

not-authorized-user-in-chat = No tienes permiso para usar este bot. Tu ID de usuario es { $id } (este chat: { $chat }); pide a un administrador que lo autorice con /allow.
not-authorized-user = No tienes permiso para usar este bot. Tu ID de usuario es { $id }; pide a un administrador que lo autorice con /allow.
not-authorized-chat = Este chat no tiene permiso para usar el bot. Su ID es { $chat }; pide a un administrador que lo autorice con /allow.
not-authorized-has-levels = Este chat recibe alertas de saldo que alguien configuró aquí; cualquier miembro puede desactivarlas con /alert off.
admin-only = Solo los administradores pueden hacerlo.
slow-down = Demasiados comandos a la vez; espera un momento, el bot volverá a responder en unos segundos.
unknown-command = Comando desconocido. /help muestra los comandos que entiende este bot.
storage-failed = La base de datos del bot está ocupada o no disponible; no se cambió nada. Inténtalo de nuevo en un momento.
bad-argument = { $problem } — { $usage }
unknown-currency = Esta cuenta de OxaPay no tiene billetera <b>{ $currency }</b>. Sus billeteras: { $wallets }.

## What OxaPay's failures are called

key-name = { $key ->
    [general] clave API general
    [merchant] clave API de comercio (merchant)
   *[payout] clave API de pagos salientes (payout)
}
oxapay-timeout = OxaPay no respondió en { $secs } s; inténtalo de nuevo en breve.
oxapay-connection = No se pudo conectar con OxaPay; inténtalo de nuevo en breve.
oxapay-redirect = La dirección de OxaPay respondió con una redirección (HTTP { $status }); el bot no sigue redirecciones para que la clave no se envíe a otro sitio. Revisa OXAPAY_API_URL.
oxapay-rate-limited = { $secs ->
    [0] OxaPay está limitando las solicitudes; inténtalo de nuevo en un minuto.
   *[other] OxaPay está limitando las solicitudes; inténtalo de nuevo en { $secs } s.
}
oxapay-server-trouble = OxaPay tiene problemas (HTTP { $status }); inténtalo de nuevo en breve.
oxapay-refused = OxaPay rechazó la solicitud (HTTP { $status }); inténtalo de nuevo más tarde.
oxapay-too-large = OxaPay envió una respuesta demasiado grande para leerla (más de { $mib } MiB); inténtalo de nuevo en breve.
oxapay-unreadable = OxaPay envió una respuesta que el bot no pudo leer; inténtalo de nuevo en breve.
oxapay-code = { $code ->
    [101] OxaPay rechazó la solicitud por no ser válida (código 101).
    [102] OxaPay rechazó la clave API: no es una clave de pagos salientes (código 102).
    [103] OxaPay rechazó la clave de pagos salientes (código 103): revisa OXAPAY_PAYOUT_API_KEY.
    [104] OxaPay rechazó la IP de este servidor (código 104): autorízala en el panel de OxaPay.
    [105] OxaPay no reconoce esa moneda (código 105).
    [124] Se superó el límite de solicitudes de OxaPay (código 124); inténtalo de nuevo más tarde.
   *[other] OxaPay informó un error (código { $code }); inténtalo de nuevo más tarde.
}
oxapay-key-refused = OxaPay rechazó la { $key } (HTTP 401): la clave es de otro tipo o fue revocada. Revisa { $variable }.
oxapay-invalid = OxaPay rechazó la solicitud por no ser válida (HTTP 400).
oxapay-general-key-refused = OxaPay rechazó la clave (HTTP 401): no es una clave API general o fue revocada. Revisa OXAPAY_GENERAL_API_KEY.
oxapay-not-found = OxaPay no reconoce esta dirección (HTTP 404); revisa OXAPAY_API_URL.
oxapay-maintenance = { $secs ->
    [0] OxaPay está en mantenimiento (HTTP 503); inténtalo de nuevo más tarde.
   *[other] OxaPay está en mantenimiento (HTTP 503); inténtalo de nuevo en { $secs } s.
}
oxapay-error = OxaPay informó un error; inténtalo de nuevo más tarde.
prices-unavailable = Los precios en USD no están disponibles ahora ({ $reason }), así que no se muestran valores.
price-reason = { $kind ->
    [timeout] sin respuesta en { $secs } s
    [connection] no se pudo conectar
    [redirect] redirección HTTP { $status } no seguida; revisa OXAPAY_API_URL
    [limited] OxaPay está limitando las solicitudes
    [http] HTTP { $status }
    [code] código { $status }
    [key] se rechazó la { $key }
   *[unreadable] respuesta ilegible
}
prices-stale = Los precios en USD no están actualizados ahora, así que no se muestran valores.

## Arguments that were refused

problem-not-currency = { $given } no es una moneda: { $why }
problem-currency-missing = falta el código de la moneda
problem-currency-invalid = el código de una moneda tiene de 2 a 10 letras latinas o dígitos, como BTC o USDT
problem-amount-not-accepted = { $given } no se acepta: { $why }
problem-amount-missing = falta el importe
problem-amount-not-plain = el importe debe ser un número simple como 0.5, 1000 o 1234.5678
problem-amount-not-positive = el importe debe ser mayor que cero
problem-amount-too-large = el importe es demasiado grande o preciso: como máximo 15 dígitos antes del punto, 18 después y 28 en total
problem-not-direction = { $given } no es una dirección: escribe below o above
problem-alert-missing = faltan la moneda y el importe
problem-amount-missing-after = falta el importe
problem-alert-too-many = demasiadas palabras: indica una moneda, opcionalmente below o above, y un importe
problem-one-currency = una sola moneda a la vez
problem-not-understood = no se entiende { $given }
problem-not-duration = { $given } no es una duración como 30m, 2h o 1d
problem-mute-zero = la pausa debe durar más de cero
problem-mute-too-long = la pausa dura como máximo 30 días (30d)
problem-one-duration = una sola duración a la vez
problem-bad-time = { $given } no es una hora: escribe HH:MM en formato de 24 horas, como 09:00 o 18:30
problem-unknown-day = { $given } no es un día de la semana: escribe mon, tue, wed, thu, fri, sat o sun, o el nombre completo en inglés, como monday
problem-unknown-zone = { $given } no es una zona horaria: escribe un nombre de zona IANA como America/Mexico_City, Europe/Madrid o UTC
problem-missing-time = falta la hora: escribe HH:MM en formato de 24 horas, como 09:00
problem-day-after-time = el día va antes de la hora, como mon 09:00
problem-not-alone = { $given } va sola: no puede seguirle nada
problem-report-too-many = demasiadas palabras: escribe una hora, antes de ella un día para un informe semanal y después una zona, como mon 09:00 Europe/Madrid
problem-history-not-understood = { $given } no es ni una moneda ni un periodo: escribe una moneda como BTC (o total) y un periodo de 7d, 30d, 90d o 1y
problem-unknown-span = { $given } no es un periodo: escribe 7d, 30d, 90d o 1y
problem-two-subjects = una sola moneda a la vez: escribe una moneda como BTC, o total
problem-two-spans = un solo periodo a la vez: 7d, 30d, 90d o 1y
problem-history-too-many = demasiadas palabras: como mucho una moneda (o total) y un periodo, como BTC 90d
problem-unknown-lang = { $given } no es un idioma que hable este bot
problem-one-lang = un solo idioma a la vez
problem-events-empty = indica al menos un estado, separados por comas (o all, o default)
problem-event-unknown = { $given } no es un estado; los estados son: { $known } (o all, o default)
problem-track-id = { $given } no es un Track ID: { $why ->
    [long] un Track ID tiene como máximo { $max } caracteres
   *[control] un Track ID no contiene caracteres de control
}
problem-track-id-missing = falta el Track ID
problem-one-track-id = un solo Track ID a la vez
problem-not-period = { $given } no es un periodo
problem-one-period = un solo periodo a la vez

usage-balance = usa /balance para todas las billeteras, <code>/balance all</code> para incluir los saldos mínimos, o /balance CUR para una, p. ej. <code>/balance BTC</code>.
usage-alert = usa <code>/alert CUR AMOUNT</code> (p. ej. <code>/alert BTC 0.5</code>: avisar cuando BTC baje de 0.5), <code>/alert CUR above AMOUNT</code> (cuando lo supere), <code>/alert total AMOUNT</code> (el valor total en USD), <code>/alert CUR off</code> o <code>/alert off</code>; AMOUNT es un número simple mayor que cero, como 0.5, 1000 o 1234.5678.
usage-mute = usa <code>/mute 30m</code>, <code>/mute 2h</code> o <code>/mute 1d</code> (como máximo 30d), <code>/mute off</code>, o /mute para verla.
usage-alerts = usa /alerts para este chat, o <code>/alerts all</code> (administradores) para todos los chats.
usage-report = usa <code>/report 09:00</code> o <code>/report 09:00 Europe/Madrid</code> (diario), <code>/report mon 09:00 [TZ]</code> (semanal), <code>/report off</code>, <code>/report now</code>, o /report para verlo. TZ es un nombre de zona IANA como UTC, Europe/Madrid o America/Mexico_City.
usage-history = usa <code>/history</code> (valor total, 30 días), <code>/history BTC</code>, <code>/history total 7d</code>; periodos: 7d, 30d, 90d, 1y.
usage-lang = usa /lang para ver el idioma de este chat, <code>/lang en</code> para elegir uno ({ $codes }), o <code>/lang auto</code> para seguir el idioma de Telegram de cada usuario.

## Buttons and their popups (popups are plain text, at most 200 characters)

button-refresh = 🔄 Actualizar
button-mute-hour = 🔕 Pausar 1 h
button-balance = 💰 Saldo
popup-not-authorized = No tienes permiso para usar este bot. Tu ID de usuario es { $id }; pide a un administrador que lo autorice con /allow.
popup-button-forged = Este botón no es válido. Envía /help para ver qué puede hacer el bot.
popup-button-too-old = Este mensaje es demasiado antiguo para sus botones; envía el comando de nuevo.
popup-refreshed = Actualizado.
popup-nothing-changed = No ha cambiado nada desde que se escribió este mensaje.
popup-refresh-too-long = Los saldos ya no caben en un mensaje; envía /balance para ver la lista completa.
popup-refresh-failed = No se pudo actualizar este mensaje ahora; envía /balance en su lugar.
popup-muted = Las alertas de aquí están en pausa hasta { $until }.

## /balance

balance-heading-valued = <b>Saldos de OxaPay</b> (billeteras con saldo, de mayor a menor valor)
balance-heading = <b>Saldos de OxaPay</b> (billeteras con saldo)
balance-no-price = sin precio
balance-footer-priced = <i>OxaPay, { $at } · precios de { $priced_at }</i>
balance-footer = <i>OxaPay, { $at }</i>
balance-all-zero = Las { $count } billeteras están en cero.
balance-total = Total: <b>{ $total }</b>{ $unpriced ->
    [0] {""}
    [one] {" "}(queda fuera 1 billetera sin precio)
   *[other] {" "}(quedan fuera { $unpriced } billeteras sin precio)
}
balance-dust = Saldos mínimos: { $count ->
    [one] 1 billetera
   *[other] { $count } billeteras
} con menos de $0.01 cada una, agrupadas; /balance all las muestra.
balance-unreadable = ⚠️ OxaPay envió un importe que el bot no pudo leer para { $currencies }: se omite{ $in_total ->
    [yes] {" "}(también del total)
   *[no] {""}
}.
balance-price = 1 { $currency } = { $price } USD
balance-no-usd-price = OxaPay no indica precio en USD para { $currency }.
balance-unreadable-one = OxaPay envió un importe para <b>{ $currency }</b> que el bot no pudo leer ({ $why }); las demás billeteras están bien, prueba /balance.

## Alert levels

alert-set = Alerta creada: este chat recibirá un aviso cuando { $subject } { $direction ->
    [above] supere
   *[below] baje de
} { $level }{ $total ->
    [yes] {" "}(la suma del valor en USD de todas las billeteras; si en una comprobación falta algún precio, el estado no cambia)
   *[no] {""}
}. La próxima comprobación de saldos mostrará cómo está.
alerts-removed = { $count ->
    [0] Este chat no tenía alertas.
    [1] Se quitó la única alerta de este chat.
   *[other] Se quitaron las { $count } alertas de este chat.
}
alert-removed = { $removed ->
    [0] { $direction ->
        [below] Este chat no tenía alerta por debajo para { $subject }.
        [above] Este chat no tenía alerta por encima para { $subject }.
       *[both] Este chat no tenía alertas para { $subject }.
    }
    [1] { $direction ->
        [below] Se quitó la alerta por debajo para { $subject }.
        [above] Se quitó la alerta por encima para { $subject }.
       *[both] Se quitó la alerta para { $subject }.
    }
   *[other] Se quitaron las { $removed } alertas para { $subject }.
}
alert-state-unchecked = aún sin comprobar
alert-state-ok = correcto
alert-state-crossed = { $direction ->
    [above] alto
   *[below] bajo
} desde { $since }
alert-line = { $subject } { $direction ->
    [above] por encima de
   *[below] por debajo de
} { $level }: { $state }
alerts-none-anywhere = Ningún chat tiene alertas.
alerts-none = Este chat no tiene alertas. Crea una con <code>/alert CUR AMOUNT</code> o <code>/alert CUR above AMOUNT</code>.
alerts-heading-all = <b>Alertas de todos los chats</b>
alerts-heading = <b>Alertas de este chat</b>
alerts-last-check = Última comprobación correcta: { $at }
alerts-no-check = Todavía no hay ninguna comprobación correcta.
alerts-muted = 🔕 En pausa hasta { $until }; /mute off las reanuda.

## Alerts as they happen

alert-low = ⚠️ Saldo bajo: { $subject } { $balance } está por debajo de tu umbral de alerta { $level }
alert-still-low = ⚠️ Sigue bajo: { $subject } { $balance } está por debajo de tu umbral de alerta { $level } (desde { $since })
alert-recovered = ✅ { $subject } se recuperó: { $balance } (umbral de alerta { $level })
alert-high = 🔺 { $subject } { $balance } está por encima de tu umbral { $level }; conviene pasar fondos a la billetera fría
alert-still-high = 🔺 Sigue alto: { $subject } { $balance } está por encima de tu umbral { $level } (desde { $since })
alert-high-back = ✅ { $subject } volvió a tu umbral { $level } o por debajo: { $balance }
mute-over = 🔔 Terminó la pausa. Ahora mismo:
mute-over-quiet = 🔔 Terminó la pausa.
mute-over-low = ⚠️ { $subject }{ $balance } está por debajo de tu umbral de alerta { $level } (bajo desde { $since })
mute-over-high = 🔺 { $subject }{ $balance } está por encima de tu umbral { $level } (alto desde { $since })

## /mute

muted = 🔕 Las alertas de este chat quedan en pausa hasta { $until }. Los estados se siguen actualizando; al terminar la pausa recibirás un único resumen de lo que esté bajo o alto en ese momento. /mute off las reanuda ahora.
mute-status = 🔕 Las alertas de este chat están en pausa hasta { $until }.
mute-status-off = Las alertas de este chat no están en pausa. <code>/mute 2h</code> las pausa durante dos horas.
unmuted = 🔔 Se reanudan las alertas de este chat.
unmuted-not-muted = Las alertas de este chat no estaban en pausa.
unmuted-as-of = Según la última comprobación:

## /report and the reports

report-set = 📊 Informes programados: { $schedule }. Próximo: { $next } ({ $next_utc }).
report-status = 📊 Este chat recibe un informe { $schedule }. Próximo: { $next } ({ $next_utc }). /report off lo detiene, /report now envía uno ahora.
report-none = Este chat no tiene informes programados. <code>/report 09:00 Europe/Madrid</code> programa uno diario, <code>/report mon 09:00</code> uno semanal; /report now muestra cómo se ve.
report-removed = Se detuvieron los informes programados de este chat.
report-removed-none = Este chat no tenía informes programados.
report-queued = 📊 Informe en camino.
report-heading = 📊 <b>Informe de saldos</b> — { $at }
report-late = ⏰ Con { $late } de retraso: estaba previsto para { $due } y el bot no estaba en marcha en ese momento.
report-stored = ⚠️ OxaPay no responde desde { $at }; estos son los saldos leídos entonces.
report-stored-no-values = Para los saldos guardados no se muestran valores.
report-total-then = Total entonces: <b>{ $total }</b>
report-first = Primer informe aquí: todavía no hay nada con qué comparar.
report-no-change = Sin cambios desde el último informe ({ $at }).
report-since = <b>Desde el último informe</b> ({ $at }):
report-change-new = (nueva)
report-change-empty = (ahora vacía)
report-total-change = Total: { $change } USD{ $percent }
report-crossed-heading = <b>Umbrales superados ahora</b>
report-crossed-line = { $icon } <b>{ $subject }</b> { $direction ->
    [above] por encima de
   *[below] por debajo de
} { $level }: { $direction ->
    [above] alto
   *[below] bajo
} desde { $since }
report-read-at = <i>Saldos leídos el { $at }</i>
report-without-balances = 📊 <b>Informe de saldos</b> — { $at }
    ⚠️ OxaPay no ha respondido y aún no hay saldos anteriores guardados, así que esta vez no hay nada que informar.

## /history and its chart

history-caption = 📈 <b>{ $name }</b>, últimos { $span }
    Primero: { $first } — { $first_at }
    Último: { $last } — { $last_at }
    Cambio: { $change }{ $percent }
    Mínimo: { $min } — { $min_at }
    Máximo: { $max } — { $max_at }
    <i>{ $count } puntos</i>
history-total-name = Valor total (USD)
history-none = Todavía no hay historial de saldos. El bot registra los saldos con la primera lectura correcta y luego cada { $interval }; vuelve a preguntar más tarde.
history-too-few = Aún hay muy pocos puntos para una línea: { $count } en este periodo (registrando desde { $since }). Inténtalo más tarde o pide un periodo más largo, como <code>/history total 90d</code>.
history-no-total = No hay totales en USD registrados en este periodo (los precios no estaban disponibles o alguna billetera no tenía precio). Pide una sola moneda, p. ej. <code>/history BTC 30d</code>.
history-unavailable = Esta vez no se pudo dibujar el gráfico; el error quedó registrado para el operador. Inténtalo más tarde.
chart-title = { $subject }, últimos { $span }
chart-min = mín
chart-max = máx
chart-min-max = mín = máx

## /lang

lang-current = Este chat está en { $name } ({ $code }){ $source ->
    [set] , elegido con /lang. <code>/lang auto</code> vuelve al idioma de Telegram de cada usuario.
    [telegram] , el idioma de tu aplicación de Telegram. <code>/lang en</code> elige otro para este chat.
   *[default] : no se eligió ningún idioma para este chat. <code>/lang es</code> lo elige.
}
    Idiomas: { $languages }
lang-set = Este chat ahora está en { $name } ({ $code }). <code>/lang auto</code> vuelve al idioma de Telegram de cada usuario.
lang-auto = Este chat vuelve a seguir el idioma de Telegram de cada usuario; aquí es { $name } ({ $code }).

## Payments: the feed, /payments, /tx, /sales, reports, charts
# Statuses are OxaPay's words ($status); a status OxaPay adds later is shown as it spells it ($name).
# Status names in $events are what the user types in /payments events: never translate them.
# A status reads after «Pago» (masculine): «Pago completado».

payment-status = { $status ->
    [new] creado
    [waiting] en espera
    [paying] en curso
    [paid] completado
    [manual_accept] aceptado manualmente
    [underpaid] insuficiente
    [refunding] en reembolso
    [refunded] reembolsado
    [expired] expirado
   *[other] { $name }
}
payment-received = 💰 <b>Recibido</b> en una dirección estática: { $amount } (pago { $status })
payment-event = { $emoji } <b>Pago { $status }</b>: { $amount }{ $usd }
payment-usd = ≈ { $usd } (al precio de { $at })
payment-amount-unreadable = un importe ilegible en { $currency }
payment-amount-unreadable-bare = un importe ilegible
payment-track = Track ID { $track }
payment-order-track = pedido { $order } · Track ID { $track }
payment-tx = tx { $tx }
payments-on = 🔔 Este chat recibe avisos de pagos con estado { $events }. <code>/payments off</code> los desactiva.
payments-on-min = 🔔 Este chat recibe avisos de pagos de { $min } o más con estado { $events }. <code>/payments off</code> los desactiva.
payments-off-setting = 🔕 Este chat no recibe avisos de pagos. <code>/payments on</code> los activa (<code>/payments on 100</code>: solo los de $100 o más).
payments-none = Todavía no hay pagos registrados.
payments-last = <b>{ $count ->
    [one] Último pago
   *[other] Últimos { $count } pagos
}</b>
payment-line = { $emoji } { $status } · { $amount } · { $track } · { $when }
payment-line-order = { $emoji } { $status } · { $amount } · { $track } · pedido { $order } · { $when }
payments-events-set = Este chat recibe avisos de pagos con estado { $events }.{ $enabled ->
    [yes] {""}
   *[no] {" "}Los avisos están desactivados aquí: <code>/payments on</code> los activa.
}
payments-chat-not-allowed = Los pagos solo se avisan en los chats que un administrador autorizó: pide primero a un administrador que use /allow { $chat }.
payments-need-key = Los avisos de pagos están desactivados: el operador del bot debe configurar OXAPAY_MERCHANT_API_KEY (la clave API de comercio de OxaPay) y reiniciar el bot.
tx-payment-heading = { $emoji } <b>Pago { $track }</b>: { $status } desde { $since }
tx-amount = Importe: { $amount }{ $usd }
tx-field = { $field ->
    [type] Tipo
    [order] Pedido
    [email] Email
    [description] Descripción
    [created] Fecha de creación
   *[expires] Fecha de expiración
}: { $value }
tx-on-network = en la red { $network }
tx-confirmations = , { $count ->
    [one] 1 confirmación
   *[other] { $count } confirmaciones
}
tx-to = a la dirección { $address }
tx-seen = Historial de estados: { $steps }
tx-problems = ⚠️ No se pudo leer en la respuesta de OxaPay: { $problems }
tx-payment-live = <i>Leído ahora de OxaPay; no está en el registro del bot (es anterior a su historial).</i>
tx-unknown = OxaPay no tiene ningún pago ni pago saliente con el Track ID { $track }.
sales-heading = 💵 <b>Ventas { $period ->
    [today] de hoy
    [yesterday] de ayer
    [week] de los últimos 7 días
   *[month] de los últimos 30 días
}</b> (desde { $from })
sales-paid = { $paid ->
    [one] 1 pago completado
   *[other] { $paid } pagos completados
} · <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
    [one] {" "}(queda fuera 1 sin valor en USD)
   *[other] {" "}(quedan fuera { $unvalued } sin valor en USD)
}
sales-unreadable = { $count ->
    [one] 1 pago con un importe ilegible queda fuera de las sumas.
   *[other] { $count } pagos con un importe ilegible quedan fuera de las sumas.
}
sales-before = Periodo anterior: { $paid ->
    [one] 1 pago completado
   *[other] { $paid } pagos completados
} · { $usd }. Cambio: { $paid_change } pagos, { $usd_change }{ $percent }
sales-counts = Insuficientes: { $underpaid } · Expirados: { $expired }
report-count = { $emoji } { $status }: { $count }
report-payments = <b>Pagos desde el último informe</b>: { $counts }
report-payments-none = <b>Pagos desde el último informe</b>: ninguno.
report-received = Recibido: { $received }
held-payments = { $count ->
    [one] 1 pago
   *[other] { $count } pagos
}, { $usd }{ $unvalued ->
    [0] {""}
   *[other] {" "}({ $unvalued } sin valor en USD)
}
held-payouts = { $count ->
    [one] 1 pago saliente
   *[other] { $count } pagos salientes
}
held-line = 💰 Durante la pausa: { $parts }; /payments y /payouts los muestran.
payments-chart-empty = No hay pagos completados en ese periodo, así que todavía no hay nada que graficar.
payments-chart-caption = 💵 Recibido por día, últimos { $days } días: <b>{ $total }</b> de { $paid ->
    [one] 1 pago completado
   *[other] { $paid } pagos completados
}{ $unvalued ->
    [0] {""}
    [one] {" "}(queda fuera 1 sin valor en USD)
   *[other] {" "}(quedan fuera { $unvalued } sin valor en USD)
}
# Drawn on the chart: plain text.
payments-chart-title = Recibido por día (USD), últimos { $days } días
problem-payments-span = { $given } no es un periodo para pagos: escribe 7d, 30d o 90d
usage-payments = usa /payments para ver la configuración de este chat y los últimos pagos, <code>/payments on</code> (o <code>/payments on 100</code>: solo pagos de $100 o más), <code>/payments off</code>, o <code>/payments events paid,underpaid,expired</code> (estados: new, waiting, paying, paid, manual_accept, underpaid, refunding, refunded, expired; o all, o default).
usage-tx = usa <code>/tx TRACK_ID</code> con el Track ID de OxaPay del pago o pago saliente, p. ej. <code>/tx 188225613</code>.
usage-sales = usa /sales (hoy), <code>/sales yesterday</code>, <code>/sales 7d</code> o <code>/sales 30d</code>.

## Payouts: the feed, /payouts, /tx, reports
# A status reads after «Pago saliente» (masculine): «Pago saliente confirmado».

payout-status = { $status ->
    [pending] pendiente
    [processing] en proceso
    [confirming] confirmándose en la blockchain
    [confirmed] confirmado
    [canceled] cancelado
    [rejected] rechazado
   *[other] { $name }
}
payout-event = { $emoji } <b>Pago saliente { $status }</b>: { $body }
payout-stuck = ⏳ <b>Pago saliente atascado</b>: sigue { $status } desde { $since } (más de { $mins } min): { $body }
payout-fee = , comisión { $fee }
payout-to = A la dirección { $address }
payouts-on = 🔔 Este chat recibe avisos de pagos salientes con estado { $events }, y de cualquiera que se atasque. <code>/payouts off</code> los desactiva.
payouts-off-setting = 🔕 Este chat no recibe avisos de pagos salientes. <code>/payouts on</code> los activa.
payouts-none = Todavía no hay pagos salientes registrados.
payouts-last = <b>{ $count ->
    [one] Último pago saliente
   *[other] Últimos { $count } pagos salientes
}</b>
payouts-events-set = Este chat recibe avisos de pagos salientes con estado { $events }, y de cualquiera que se atasque.{ $enabled ->
    [yes] {""}
   *[no] {" "}Los avisos están desactivados aquí: <code>/payouts on</code> los activa.
}
payouts-need-key = Los avisos de pagos salientes están desactivados: el operador del bot debe configurar OXAPAY_PAYOUT_API_KEY (la clave API de pagos salientes de OxaPay) y reiniciar el bot.
tx-payout-heading = { $emoji } <b>Pago saliente { $track }</b>: { $status } desde { $since }
tx-payout-live-heading = { $emoji } <b>Pago saliente { $track }</b>: { $status }
tx-memo = Memo: { $memo }
tx-internal = A otra cuenta de OxaPay (sin transferencia en la blockchain).
tx-payout-live = <i>Leído ahora de OxaPay; no está en el registro del bot.</i>
report-payouts = <b>Pagos salientes desde el último informe</b>: { $counts }
report-sent = Enviado: <b>{ $usd }</b>{ $unvalued ->
    [0] {""}
    [one] {" "}(queda fuera 1 sin valor en USD)
   *[other] {" "}(quedan fuera { $unvalued } sin valor en USD)
}
usage-payouts = usa /payouts para ver la configuración de este chat y los últimos pagos salientes, <code>/payouts on</code>, <code>/payouts off</code>, o <code>/payouts events confirmed,rejected</code> (estados: pending, processing, confirming, confirmed, canceled, rejected; o all, o default). Un pago saliente atascado se avisa siempre, sea cual sea la lista.
