-- Additive context figures converted to today's geography, so series over time compare the same
-- territory. Comuni: each code is summed into the comune it is today (after renumberings, changes of
-- province and mergers, staging.stg_territorio_eventi: Fabbriche di Vallico and Vergemoli into
-- Fabbriche di Vergemoli; a comune gone with no single successor is kept, not comparable), and today's provinces,
-- regions and Italia are rebuilt from those comuni when every comune of today is covered
-- (Sardinia's 2026 provinces from the comuni of 2021). Provinces given by the source: a version still
-- in force is kept (confrontabile); a past version (Sassari 2016-2025, Olbia-Tempio) cannot be
-- relabelled as a province of today: it is kept on its historical geography with
-- confrontabile = false. Regions and Italia (given or summed) never changed and are kept.
WITH o AS (
    SELECT * FROM marts.contesto_osservazioni
    WHERE NOT aggregato AND valore IS NOT NULL AND unita IN ('n', 'euro', 'mln_euro')
),
oggi AS (
    SELECT territorio_id, territorio_oggi_id, livello, in_vigore FROM marts.dim_territorio
),
comuni AS (  -- summed into today's comune
    SELECT o.fonte, t.territorio_oggi_id AS territorio_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura,
        o.unita, o.rilascio, sum(o.valore) AS valore, count(*) AS n_codici
    FROM o JOIN oggi AS t ON t.territorio_id = o.territorio_id
    WHERE o.livello = 'comune' AND t.territorio_oggi_id IS NOT NULL
    GROUP BY ALL
),
appartenenze_oggi AS (  -- a code merged into another comune counts through its successor; one gone with
    -- no known successor still counts, so its province is never rebuilt without it
    SELECT a.territorio_id, a.padre_id, a.livello_padre FROM staging.stg_territorio_appartenenze AS a
    JOIN oggi AS t ON t.territorio_id = a.territorio_id
    WHERE DATE '9999-12-30' BETWEEN a.valido_dal AND a.valido_al AND a.livello_padre = 'provincia'
      AND (t.territorio_oggi_id IS NULL OR t.territorio_oggi_id = a.territorio_id)
),
comuni_per_provincia AS (
    SELECT padre_id, count(*) AS n FROM appartenenze_oggi GROUP BY 1
),
province_dai_comuni AS (
    SELECT c.fonte, a.padre_id AS territorio_id, c.periodo, c.dimensione, c.valore_dimensione, c.misura, c.unita,
        c.rilascio, sum(c.valore) AS valore, count(*) AS n, any_value(p.n) AS n_parti
    FROM comuni AS c
    JOIN appartenenze_oggi AS a ON a.territorio_id = c.territorio_id
    JOIN comuni_per_provincia AS p ON p.padre_id = a.padre_id
    GROUP BY ALL
),
province AS (
    SELECT o.fonte, o.territorio_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura, o.unita, o.rilascio,
        o.valore, t.in_vigore AS confrontabile
    FROM o JOIN oggi AS t ON t.territorio_id = o.territorio_id
    WHERE o.livello = 'provincia'
)
SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore,
    'comune' AS livello, 'somma dei codici del comune di oggi' AS metodo, true AS confrontabile
FROM comuni
UNION ALL  -- a comune gone with no single successor in the events (two new comuni in its province, or
-- absorbed by an existing one after the last publication): kept as it was, not comparable
SELECT o.fonte, o.territorio_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura, o.unita, o.rilascio, o.valore,
    'comune', 'comune soppresso senza successore noto: geografia storica, non confrontabile', false
FROM o JOIN oggi AS t ON t.territorio_id = o.territorio_id
WHERE o.livello = 'comune' AND t.territorio_oggi_id IS NULL
UNION ALL
SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore,
    'provincia', 'ricostruita dai comuni', true
FROM province_dai_comuni WHERE n = n_parti
UNION ALL
SELECT p.fonte, p.territorio_id, p.periodo, p.dimensione, p.valore_dimensione, p.misura, p.unita, p.rilascio, p.valore,
    'provincia', CASE WHEN p.confrontabile THEN 'come pubblicata' ELSE 'geografia storica, non confrontabile' END,
    p.confrontabile
FROM province AS p
WHERE NOT EXISTS (
    SELECT 1 FROM province_dai_comuni AS r
    WHERE r.n = r.n_parti AND r.fonte = p.fonte AND r.periodo = p.periodo AND r.dimensione = p.dimensione
      AND r.valore_dimensione = p.valore_dimensione AND r.misura = p.misura AND r.rilascio = p.rilascio
      AND r.territorio_id = p.territorio_id)
UNION ALL
SELECT a.fonte, a.territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio, a.valore,
    a.livello, CASE WHEN a.aggregato THEN 'somma delle parti' ELSE 'come pubblicata' END, true
FROM marts.contesto_osservazioni AS a
WHERE a.livello IN ('regione', 'italia', 'non_attribuito') AND a.valore IS NOT NULL AND a.unita IN ('n', 'euro', 'mln_euro')
