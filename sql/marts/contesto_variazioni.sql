-- Change on the same period a year earlier (year on year, same months for cumulated periods,
-- same date for stocks). A series's years often arrive in separate releases (one file a year, as
-- InfoCamere, MEF and demo.istat publish), so the two values are paired as they stood on each date
-- either period got a release: on that date, the latest release of each period out by then (an
-- as-of join). `rilascio` is that date, so an edition taking the latest `rilascio` out by its own
-- date gets the latest release of both periods; `rilascio_corrente` and `rilascio_prec` say which
-- releases were compared.
-- Classification break (meta.classificazioni: e.g. InfoCamere's stocks in ATECO 2007 until March 2025,
-- ATECO 2025 after): a section compared with the section of the same letter in the other version would
-- compare different activities (2007 L is real estate, 2025 L finance), so across the break ATECO
-- rows are not compared one by one; their change is computed on the comparable groups of
-- staging.stg_ateco_confrontabili instead, and every change across the break says so (rottura_classificazione).
WITH o AS (
    SELECT o.*, c.versione AS classificazione
    FROM marts.contesto_osservazioni AS o
    LEFT JOIN meta.classificazioni AS c
      ON c.fonte = o.fonte
     AND coalesce(try_cast(o.periodo AS DATE), make_date(o.anno, 12, 31))
         BETWEEN coalesce(try_cast(c.valida_dal AS DATE), DATE '0001-01-01') AND coalesce(try_cast(c.valida_al AS DATE), DATE '9999-12-31')
    WHERE o.valore IS NOT NULL
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
        o.provvisorio OR p.provvisorio AS provvisorio, o.natura, p.natura AS natura_prec,
        o.classificazione, p.classificazione AS classificazione_prec,
        o.classificazione IS DISTINCT FROM p.classificazione AS rottura_classificazione
    FROM date_note AS d
    ASOF JOIN o
      ON o.fonte = d.fonte AND o.territorio_id = d.territorio_id AND o.dimensione = d.dimensione
     AND o.valore_dimensione = d.valore_dimensione AND o.misura = d.misura AND o.unita = d.unita
     AND o.periodo = d.periodo AND o.rilascio <= d.rilascio
    ASOF JOIN o AS p
      ON p.fonte = d.fonte AND p.territorio_id = d.territorio_id AND p.dimensione = d.dimensione
     AND p.valore_dimensione = d.valore_dimensione AND p.misura = d.misura AND p.unita = d.unita
     AND p.periodo = d.periodo_prec AND p.rilascio <= d.rilascio
),
-- across the break: each side's sections summed into the groups comparable between the two versions
gruppi AS (
    SELECT o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, o.periodo_prec, o.misura, o.unita,
        o.rilascio, o.classificazione, g.raggruppamento,
        sum(o.valore) AS valore, sum(o.risoluzione) AS risoluzione, bool_or(o.provvisorio) AS provvisorio,
        any_value(o.natura) AS natura
    FROM o
    JOIN staging.stg_ateco_confrontabili AS g ON g.versione = o.classificazione AND g.sezione = o.valore_dimensione
    WHERE o.dimensione = 'sezione_ateco'
    GROUP BY ALL
),
-- each release of a period paired with the latest release of the previous period out by then
confronti AS (
    SELECT o.rilascio, o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, p.periodo AS periodo_prec,
        'raggruppamento_ateco' AS dimensione, o.raggruppamento AS valore_dimensione, o.misura, o.unita,
        o.rilascio AS rilascio_corrente, p.rilascio AS rilascio_prec, o.valore, p.valore AS valore_prec,
        o.risoluzione, p.risoluzione AS risoluzione_prec, o.provvisorio OR p.provvisorio AS provvisorio,
        o.natura, p.natura AS natura_prec, o.classificazione, p.classificazione AS classificazione_prec,
        true AS rottura_classificazione
    FROM gruppi AS o
    ASOF JOIN gruppi AS p
      ON p.fonte = o.fonte AND p.territorio_id = o.territorio_id AND p.periodo = o.periodo_prec
     AND p.misura = o.misura AND p.unita = o.unita AND p.raggruppamento = o.raggruppamento
     AND p.classificazione <> o.classificazione AND p.rilascio <= o.rilascio
),
tutte AS (
    SELECT * FROM coppie
    WHERE NOT (rottura_classificazione AND dimensione LIKE 'sezione_ateco%')
    UNION ALL BY NAME
    SELECT * FROM confronti
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
    CASE WHEN 'pubblicato' IN (natura, natura_prec) THEN 'pubblicato' ELSE natura END AS natura,
    classificazione,
    classificazione_prec,
    rottura_classificazione
FROM tutte
