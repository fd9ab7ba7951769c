-- Change on the same period a year earlier (year on year, same months for cumulated periods,
-- same date for stocks), both values taken from the same release: a revision never mixes in.
-- Classification break (meta.classificazioni: e.g. InfoCamere's stocks in ATECO 2007 until March 2025,
-- ATECO 2025 after): a section compared with the section of the same letter in the other version would
-- compare different activities (2007 L is real estate, 2025 L finance), so across the break ATECO
-- rows are not compared one by one; their change is computed on the comparable groups of
-- staging.stg_ateco_confrontabili instead, and every change across the break says so (rottura_classificazione).
WITH oss AS (
    SELECT o.*, c.versione AS classificazione
    FROM marts.contesto_osservazioni AS o
    LEFT JOIN meta.classificazioni AS c
      ON c.fonte = o.fonte
     AND coalesce(try_cast(o.periodo AS DATE), make_date(o.anno, 12, 31))
         BETWEEN coalesce(try_cast(c.valida_dal AS DATE), DATE '0001-01-01') AND coalesce(try_cast(c.valida_al AS DATE), DATE '9999-12-31')
    WHERE o.valore IS NOT NULL
),
coppie AS (
    SELECT o.*, p.periodo AS periodo_prec_trovato, p.valore AS valore_prec, p.risoluzione AS risoluzione_prec,
        p.provvisorio AS provvisorio_prec, p.natura AS natura_prec, p.classificazione AS classificazione_prec,
        o.classificazione IS DISTINCT FROM p.classificazione AS rottura_classificazione
    FROM oss AS o
    JOIN oss AS p
      ON p.fonte = o.fonte AND p.rilascio = o.rilascio AND p.territorio_id = o.territorio_id
     AND p.periodo = o.periodo_prec AND p.dimensione = o.dimensione AND p.valore_dimensione = o.valore_dimensione
     AND p.misura = o.misura
),
-- across the break: each side's sections summed into the groups comparable between the two versions
gruppi AS (
    SELECT o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, o.periodo_prec, o.misura, o.unita,
        o.rilascio, o.classificazione, g.raggruppamento,
        sum(o.valore) AS valore, sum(o.risoluzione) AS risoluzione, bool_or(o.provvisorio) AS provvisorio,
        any_value(o.natura) AS natura, bool_and(o.ultimo_rilascio) AS ultimo_rilascio
    FROM oss AS o
    JOIN staging.stg_ateco_confrontabili AS g ON g.versione = o.classificazione AND g.sezione = o.valore_dimensione
    WHERE o.dimensione = 'sezione_ateco'
    GROUP BY ALL
),
confronti AS (
    SELECT o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, p.periodo AS periodo_prec,
        'raggruppamento_ateco' AS dimensione, o.raggruppamento AS valore_dimensione, o.misura, o.unita, o.rilascio,
        o.ultimo_rilascio, o.valore, p.valore AS valore_prec, o.risoluzione, p.risoluzione AS risoluzione_prec,
        o.provvisorio OR p.provvisorio AS provvisorio, o.natura, p.natura AS natura_prec,
        o.classificazione, p.classificazione AS classificazione_prec, true AS rottura_classificazione
    FROM gruppi AS o
    JOIN gruppi AS p
      ON p.fonte = o.fonte AND p.rilascio = o.rilascio AND p.territorio_id = o.territorio_id
     AND p.periodo = o.periodo_prec AND p.misura = o.misura AND p.raggruppamento = o.raggruppamento
     AND p.classificazione <> o.classificazione
),
tutte AS (
    SELECT fonte, territorio_id, territorio, livello, periodo, periodo_prec_trovato AS periodo_prec, dimensione,
        valore_dimensione, misura, unita, rilascio, ultimo_rilascio, valore, valore_prec, risoluzione, risoluzione_prec,
        provvisorio OR provvisorio_prec AS provvisorio, natura, natura_prec, classificazione, classificazione_prec,
        rottura_classificazione
    FROM coppie
    WHERE NOT (rottura_classificazione AND dimensione LIKE 'sezione_ateco%')
    UNION ALL
    SELECT * FROM confronti
)
SELECT
    fonte, territorio_id, territorio, livello, periodo, periodo_prec, dimensione,
    valore_dimensione, misura, unita, rilascio, ultimo_rilascio, valore, valore_prec,
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
