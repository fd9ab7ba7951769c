-- Change on the same period a year earlier (year on year, same months for cumulated periods,
-- same date for stocks). A series's years often arrive in separate releases (one file a year, as
-- InfoCamere, MEF and demo.istat publish), so the two values are paired as they stood on each date
-- either period got a release: on that date, the latest release of each period out by then (an
-- as-of join). `rilascio` is that date, so an edition taking the latest `rilascio` out by its own
-- date gets the latest release of both periods; `rilascio_corrente` and `rilascio_prec` say which
-- releases were compared.
WITH o AS (
    SELECT * FROM marts.contesto_osservazioni WHERE valore IS NOT NULL
),
rilasci AS (
    SELECT DISTINCT fonte, territorio_id, dimensione, valore_dimensione, misura, unita, periodo, periodo_prec, rilascio
    FROM o
),
-- every date on which the pair (period, previous period) may have changed
date_note AS (
    SELECT fonte, territorio_id, dimensione, valore_dimensione, misura, unita, periodo, periodo_prec, rilascio
    FROM rilasci
    WHERE periodo_prec IS NOT NULL
    UNION
    SELECT c.fonte, c.territorio_id, c.dimensione, c.valore_dimensione, c.misura, c.unita, c.periodo, c.periodo_prec,
        p.rilascio
    FROM (SELECT DISTINCT fonte, territorio_id, dimensione, valore_dimensione, misura, unita, periodo, periodo_prec
          FROM rilasci WHERE periodo_prec IS NOT NULL) AS c
    JOIN rilasci AS p
      ON p.fonte = c.fonte AND p.territorio_id = c.territorio_id AND p.dimensione = c.dimensione
     AND p.valore_dimensione = c.valore_dimensione AND p.misura = c.misura AND p.unita = c.unita
     AND p.periodo = c.periodo_prec
),
coppie AS (
    SELECT
        d.rilascio, o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, p.periodo AS periodo_prec,
        o.dimensione, o.valore_dimensione, o.misura, o.unita, o.rilascio AS rilascio_corrente,
        p.rilascio AS rilascio_prec, o.valore, p.valore AS valore_prec, o.risoluzione, p.risoluzione AS risoluzione_prec,
        o.provvisorio OR p.provvisorio AS provvisorio, o.natura, p.natura AS natura_prec
    FROM date_note AS d
    ASOF JOIN o
      ON o.fonte = d.fonte AND o.territorio_id = d.territorio_id AND o.dimensione = d.dimensione
     AND o.valore_dimensione = d.valore_dimensione AND o.misura = d.misura AND o.unita = d.unita
     AND o.periodo = d.periodo AND o.rilascio <= d.rilascio
    ASOF JOIN o AS p
      ON p.fonte = d.fonte AND p.territorio_id = d.territorio_id AND p.dimensione = d.dimensione
     AND p.valore_dimensione = d.valore_dimensione AND p.misura = d.misura AND p.unita = d.unita
     AND p.periodo = d.periodo_prec AND p.rilascio <= d.rilascio
)
SELECT
    fonte, territorio_id, territorio, livello, periodo, periodo_prec, dimensione, valore_dimensione, misura, unita,
    rilascio,
    rilascio = max(rilascio) OVER (
        PARTITION BY fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita) AS ultimo_rilascio,
    rilascio_corrente, rilascio_prec, valore, valore_prec,
    valore - valore_prec AS variazione_assoluta,
    CASE WHEN unita IN ('n', 'euro', 'mln_euro') AND valore_prec <> 0
         THEN 100.0 * (valore - valore_prec) / abs(valore_prec) END AS variazione_pct,
    CASE WHEN unita IN ('n', 'euro', 'mln_euro') AND valore_prec <> 0
         THEN 100.0 * (0.5 * risoluzione + abs(valore / valore_prec) * 0.5 * risoluzione_prec) / abs(valore_prec)
    END AS errore_arrotondamento,
    provvisorio,
    CASE WHEN 'pubblicato' IN (natura, natura_prec) THEN 'pubblicato' ELSE natura END AS natura
FROM coppie
