-- The context fact table: territorio × periodo × dimensione × misura × unita × fonte × rilascio.
-- Every release is kept (ultimo_rilascio marks the latest per key). Additive measures given only
-- for smaller territories are summed upwards (comuni -> provincia and area; provinces -> region ->
-- Italia; provinces -> a Camera spanning several) when every part valid at the figures' reference
-- date is present, never partially; such rows say aggregato = true. What a source counts without a
-- territory below (NR_IT, NR_R13: comune missing, province not defined) is added to its region or to
-- Italia, which it belongs to. A figure the source gives itself
-- is never replaced nor summed twice: a regional file loaded with the provincial file of the same
-- date gives each region once (the regional figure; the check qualita.q_territorio_somme compares it
-- with its provinces), and Italia from the regions.
-- Which measures are additive is declared in meta.misure (the `misure` of each source in data/registry/fonti.yaml); a ratio missing for
-- a territory is recomputed from its numerator and denominator (summed as above), never summed or
-- averaged itself; a change declared `variazione` (a volume change, as Prometeia's value added at
-- constant prices) is aggregated as the change of the sum valued at the previous period: the mean of
-- the parts' changes weighted by their `peso` at the previous period (volumes at previous year's
-- prices are additive: ESA 2010, Reg. UE 549/2013, par. 10.20-10.23), when every part has both;
-- other measures are never aggregated.
WITH base AS (
    SELECT s.*, d.livello, false AS aggregato
    FROM staging.stg_contesto_osservazioni AS s
    JOIN marts.dim_territorio AS d ON d.territorio_id = s.territorio_id
),
additivi AS (
    SELECT b.fonte, b.territorio_id, b.periodo, b.dimensione, b.valore_dimensione, b.misura, b.unita, b.rilascio,
        b.valore, b.livello, b.data_geografia AS data_riferimento, false AS aggregato
    FROM base AS b
    JOIN meta.misure AS m ON m.misura = b.misura AND m.aggregazione = 'additiva'
    WHERE b.valore IS NOT NULL
),
giorni AS (
    SELECT DISTINCT data_riferimento FROM additivi
),
-- parent territories of each territory on each day a file's geography refers to (data_geografia,
-- named data_riferimento inside this model), with how many parts each parent has
padri AS (
    SELECT a.territorio_id AS figlio, a.padre_id AS padre, a.livello_padre, g.data_riferimento, true AS necessario
    FROM staging.stg_territorio_appartenenze AS a
    JOIN giorni AS g ON g.data_riferimento BETWEEN a.valido_dal AND a.valido_al
    UNION ALL
    SELECT c.provincia_id, c.camera_id, 'camera', g.data_riferimento, true
    FROM marts.territorio_camera AS c, giorni AS g
    WHERE c.camera_id IN (SELECT camera_id FROM marts.territorio_camera GROUP BY camera_id HAVING count(*) > 1)
    UNION ALL  -- what a source could not attribute to a province is summed into its region, when given
    SELECT d.territorio_id, d.padre_id, 'regione', g.data_riferimento, false
    FROM marts.dim_territorio AS d, giorni AS g
    WHERE d.livello = 'non_attribuito' AND d.padre_id LIKE 'R%'
),
parti AS (
    SELECT padre, livello_padre, data_riferimento, count(*) AS n_parti FROM padri WHERE necessario GROUP BY ALL
),
livello1 AS (  -- comuni -> provincia, area
    SELECT a.fonte, p.padre AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, p.livello_padre AS livello, a.data_riferimento, true AS aggregato,
        count(*) AS n, any_value(pt.n_parti) AS n_parti
    FROM additivi AS a
    JOIN padri AS p ON p.figlio = a.territorio_id AND p.data_riferimento = a.data_riferimento
                   AND p.livello_padre IN ('provincia', 'area')
    JOIN parti AS pt ON pt.padre = p.padre AND pt.data_riferimento = a.data_riferimento
    WHERE a.livello = 'comune'
    GROUP BY a.fonte, p.padre, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        p.livello_padre, a.data_riferimento
),
con_livello1 AS (
    SELECT * FROM additivi
    UNION ALL
    SELECT * EXCLUDE (n, n_parti) FROM livello1 AS l
    WHERE n = n_parti AND NOT EXISTS (
        SELECT 1 FROM additivi AS b
        WHERE b.fonte = l.fonte AND b.territorio_id = l.territorio_id AND b.periodo = l.periodo
          AND b.dimensione = l.dimensione AND b.valore_dimensione = l.valore_dimensione
          AND b.misura = l.misura AND b.rilascio = l.rilascio)
),
livello2 AS (  -- provinces (and the region's unattributed part) -> region, Camera
    SELECT a.fonte, p.padre AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, p.livello_padre AS livello, a.data_riferimento, true AS aggregato,
        count(*) FILTER (WHERE p.necessario) AS n, any_value(pt.n_parti) AS n_parti
    FROM con_livello1 AS a
    JOIN padri AS p ON p.figlio = a.territorio_id AND p.data_riferimento = a.data_riferimento
                   AND p.livello_padre IN ('regione', 'camera')
    JOIN parti AS pt ON pt.padre = p.padre AND pt.data_riferimento = a.data_riferimento
    WHERE a.livello IN ('provincia', 'non_attribuito')
    GROUP BY a.fonte, p.padre, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        p.livello_padre, a.data_riferimento
),
con_livello2 AS (
    SELECT * FROM con_livello1
    UNION ALL
    SELECT * EXCLUDE (n, n_parti) FROM livello2 AS l
    WHERE n = n_parti AND NOT EXISTS (
        SELECT 1 FROM con_livello1 AS b
        WHERE b.fonte = l.fonte AND b.territorio_id = l.territorio_id AND b.periodo = l.periodo
          AND b.dimensione = l.dimensione AND b.valore_dimensione = l.valore_dimensione
          AND b.misura = l.misura AND b.rilascio = l.rilascio)
),
livello3 AS (  -- regions (and Italia's unattributed part) -> Italia: the twenty regions, whatever the day
    SELECT a.fonte, 'IT' AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, 'italia' AS livello, max(a.data_riferimento) AS data_riferimento, true AS aggregato,
        count(*) FILTER (WHERE a.livello = 'regione') AS n,
        (SELECT count(*) FROM marts.dim_territorio WHERE livello = 'regione') AS n_parti
    FROM con_livello2 AS a
    WHERE a.livello = 'regione' OR a.territorio_id = 'NR_IT'
    GROUP BY a.fonte, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio
),
aggregati AS (
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore, data_riferimento
    FROM con_livello2 WHERE aggregato
    UNION ALL
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore, data_riferimento
    FROM livello3 AS c
    WHERE n = n_parti
      AND NOT EXISTS (
          SELECT 1 FROM additivi AS b
          WHERE b.fonte = c.fonte AND b.territorio_id = 'IT' AND b.periodo = c.periodo
            AND b.dimensione = c.dimensione AND b.valore_dimensione = c.valore_dimensione
            AND b.misura = c.misura AND b.rilascio = c.rilascio)
),
termini AS (  -- numerators and denominators, as given or summed from their parts
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, rilascio, valore,
        data_geografia AS data_riferimento
    FROM base WHERE valore IS NOT NULL
    UNION ALL
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, rilascio, valore, data_riferimento
    FROM aggregati
),
rapporti AS (  -- a ratio missing for a territory, from its terms of the same source, period and release
    SELECT n.fonte, n.territorio_id, n.periodo, n.dimensione, n.valore_dimensione, m.misura, m.unita, n.rilascio,
        m.scala * n.valore / d.valore AS valore, n.data_riferimento
    FROM meta.misure AS m
    JOIN termini AS n ON n.misura = m.numeratore
    JOIN termini AS d
      ON d.misura = m.denominatore AND d.fonte = n.fonte AND d.territorio_id = n.territorio_id
     AND d.periodo = n.periodo AND d.dimensione = n.dimensione AND d.valore_dimensione = n.valore_dimensione
     AND d.rilascio = n.rilascio
    WHERE m.aggregazione = 'rapporto' AND d.valore <> 0
      AND NOT EXISTS (
          SELECT 1 FROM base AS b
          WHERE b.territorio_id = n.territorio_id AND b.periodo = n.periodo AND b.dimensione = n.dimensione
            AND b.valore_dimensione = n.valore_dimensione AND b.misura = m.misura AND b.valore IS NOT NULL)
),
variazioni AS (  -- comuni -> provincia, area; provinces -> region, Camera
    SELECT g.fonte, p.padre AS territorio_id, g.periodo, g.dimensione, g.valore_dimensione, g.misura, g.unita,
        g.rilascio, sum(w.valore * g.valore) / sum(w.valore) AS valore, g.data_geografia AS data_riferimento,
        count(*) AS n, any_value(pt.n_parti) AS n_parti
    FROM base AS g
    JOIN meta.misure AS m ON m.misura = g.misura AND m.aggregazione = 'variazione'
    JOIN termini AS w
      ON w.misura = m.peso AND w.fonte = g.fonte AND w.territorio_id = g.territorio_id AND w.periodo = g.periodo_prec
     AND w.dimensione = g.dimensione AND w.valore_dimensione = g.valore_dimensione AND w.rilascio = g.rilascio
    JOIN padri AS p ON p.figlio = g.territorio_id AND p.data_riferimento = g.data_geografia AND p.necessario
     AND (g.livello = 'comune' AND p.livello_padre IN ('provincia', 'area')
          OR g.livello = 'provincia' AND p.livello_padre IN ('regione', 'camera'))
    JOIN parti AS pt ON pt.padre = p.padre AND pt.data_riferimento = g.data_geografia
    WHERE g.valore IS NOT NULL AND w.valore > 0
    GROUP BY g.fonte, p.padre, g.periodo, g.dimensione, g.valore_dimensione, g.misura, g.unita, g.rilascio,
        g.data_geografia
),
variazioni_complete AS (  -- every part present, and no figure the source gives itself for the whole
    SELECT v.* EXCLUDE (n, n_parti) FROM variazioni AS v
    WHERE v.n = v.n_parti AND NOT EXISTS (
        SELECT 1 FROM base AS b
        WHERE b.territorio_id = v.territorio_id AND b.periodo = v.periodo AND b.dimensione = v.dimensione
          AND b.valore_dimensione = v.valore_dimensione AND b.misura = v.misura AND b.valore IS NOT NULL)
),
tutte AS (
    SELECT fonte, territorio_id, periodo, anno, tipo_periodo, periodo_prec, dimensione, valore_dimensione, misura,
        valore, unita, risoluzione, rilascio, provvisorio, natura, riferimento, file_nome, riga, campione, aggregato,
        data_geografia
    FROM base
    UNION ALL
    SELECT a.fonte, a.territorio_id, a.periodo, CAST(substr(a.periodo, 1, 4) AS INTEGER),
        tipo_periodo(a.periodo), periodo_prec(a.periodo),
        a.dimensione, a.valore_dimensione, a.misura, a.valore, a.unita, 1.0, a.rilascio, false, 'ufficiale',
        NULL, NULL, NULL, false, true, a.data_riferimento
    FROM (SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore,
              data_riferimento
          FROM aggregati
          UNION ALL
          SELECT * FROM rapporti
          UNION ALL
          SELECT * FROM variazioni_complete) AS a
)
SELECT
    o.*,
    d.livello,
    d.nome AS territorio,
    d.regione_id,
    f.fonte_testo,
    o.rilascio = max(o.rilascio) OVER (
        PARTITION BY o.fonte, o.territorio_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura) AS ultimo_rilascio
FROM tutte AS o
JOIN marts.dim_territorio AS d ON d.territorio_id = o.territorio_id
JOIN meta.fonti AS f ON f.id = o.fonte
