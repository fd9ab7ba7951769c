-- Every territory the pipeline knows, one row each, with the days it was valid: Italia, ripartizioni,
-- regions, provinces (one row per version: a province whose comuni changed is a new territory from
-- that day), sub-provincial areas, comuni (one row per Istat code), each Camera's own territory, and
-- the part of Italia and of each region a source cannot attribute below (NR_IT, NR_R13). Built from
-- Istat's and ANPR's publications (data/territorio/), not typed by hand.
-- territorio_oggi_id: the territory of today's geography the row is part of (a comune: the comune it
-- is today, after renumberings and mergers; a province version: itself when it is today's version,
-- else empty: not comparable, to be rebuilt from its comuni).
WITH RECURSIVE oggi AS (
    SELECT * FROM raw.istat_unita_territoriali
),
regioni AS (
    SELECT codice_regione AS regione, any_value(regione) AS nome FROM oggi GROUP BY 1
),
nuts AS (  -- the codes of each ripartizione, region and province in each NUTS version and in CL_ITTER107
    SELECT livello, codice_istat,
        max(codice) FILTER (WHERE versione = 'itter107') AS itter107,
        max(codice) FILTER (WHERE versione = '2006') AS nuts_2006,
        max(codice) FILTER (WHERE versione = '2010') AS nuts_2010,
        max(codice) FILTER (WHERE versione = '2021') AS nuts_2021,
        max(codice) FILTER (WHERE versione = '2024') AS nuts_2024
    FROM staging.stg_territorio_nuts
    WHERE livello <> 'provincia' OR length(codice) = 5 OR versione = 'itter107'
    GROUP BY 1, 2
),
ripartizioni AS (  -- Istat's five, and the unions CL_ITTER107 names (12 Nord, 45 Mezzogiorno)
    SELECT n.codice_istat AS ripartizione,
        coalesce(any_value(o.ripartizione_geografica), any_value(n.etichetta) FILTER (WHERE n.versione = 'itter107'))
            AS nome,
        max(n.codice) FILTER (WHERE n.versione = 'itter107') AS itter107
    FROM staging.stg_territorio_nuts AS n
    LEFT JOIN oggi AS o ON o.codice_ripartizione_geografica = n.codice_istat
    WHERE n.livello = 'ripartizione'
    GROUP BY 1
),
province AS (
    SELECT * FROM staging.stg_territorio_province
),
comuni AS (  -- one row per Istat code: its last name, first and last day
    SELECT codice, arg_max(nome, valido_al) AS nome, arg_max(catasto, valido_al) AS catasto,
        min(valido_dal) AS valido_dal, max(valido_al) AS valido_al, arg_max(codice_provincia, valido_al) AS provincia,
        arg_max(codice_regione, valido_al) AS regione, bool_or(in_vigore) AS in_vigore
    FROM staging.stg_territorio_comuni GROUP BY codice
),
-- today's comune of each code: the code in force with the same cadastral code (renumbered), else the
-- code the last succession event of the code led to (staging.stg_territorio_eventi: merged into,
-- absorbed by, moved to another province with a new code, renumbered; one successor only), followed
-- until a comune in force
soppressi AS (
    SELECT codice, any_value(successore) AS successore
    FROM (SELECT codice_prima AS codice, codice_dopo AS successore
          FROM staging.stg_territorio_eventi
          WHERE tipo IN ('fusione', 'incorporazione', 'cambio_provincia', 'rinumerazione') AND codice_dopo <> codice_prima
          QUALIFY data_evento = max(data_evento) OVER (PARTITION BY codice_prima))
    GROUP BY 1
    HAVING count(DISTINCT successore) = 1
),
in_vigore AS (
    SELECT catasto, any_value(codice) AS codice FROM comuni WHERE in_vigore GROUP BY 1
),
passo AS (  -- one step from a code towards today
    SELECT c.codice, coalesce(v.codice, s.successore) AS dopo
    FROM comuni AS c
    LEFT JOIN in_vigore AS v ON v.catasto = c.catasto AND NOT c.in_vigore
    LEFT JOIN soppressi AS s ON s.codice = c.codice AND v.codice IS NULL AND NOT c.in_vigore
),
successione AS (
    SELECT codice, codice AS corrente, 0 AS passi FROM comuni
    UNION ALL
    SELECT s.codice, p.dopo, s.passi + 1 FROM successione AS s JOIN passo AS p ON p.codice = s.corrente
    WHERE p.dopo IS NOT NULL AND s.passi < 10
),
comune_oggi AS (
    SELECT s.codice, arg_max(s.corrente, s.passi) AS oggi
    FROM successione AS s GROUP BY 1
),
aree AS (
    SELECT a.area, any_value(a.nome) AS nome, any_value(a.provincia) AS provincia
    FROM raw.aree_subprovinciali AS a GROUP BY a.area
)
SELECT 'IT' AS territorio_id, 'italia' AS livello, 'Italia' AS nome, NULL AS padre_id,
    NULL AS codice_istat, NULL AS sigla, 'IT' AS itter107, 'IT' AS nuts_2006, 'IT' AS nuts_2010, 'IT' AS nuts_2021,
    'IT' AS nuts_2024, NULL AS regione_id, NULL AS provincia_id,
    DATE '1861-03-17' AS valido_dal, DATE '9999-12-31' AS valido_al, true AS in_vigore, 'IT' AS territorio_oggi_id
UNION ALL  -- what a source counts in Italia, or in a region, without a territory below (comune missing)
SELECT 'NR_' || x.padre, 'non_attribuito', x.nome || ' - territorio non attribuito', x.padre, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, CASE WHEN x.padre LIKE 'R%' THEN x.padre END, NULL, DATE '1861-03-17', DATE '9999-12-31', true, 'NR_' || x.padre
FROM (SELECT 'IT' AS padre, 'Italia' AS nome UNION ALL SELECT 'R' || regione, nome FROM regioni) AS x
UNION ALL
SELECT 'RIP' || r.ripartizione, 'ripartizione', r.nome, 'IT', r.ripartizione, NULL, r.itter107, n.nuts_2006, n.nuts_2010,
    n.nuts_2021, n.nuts_2024, NULL, NULL, DATE '1861-03-17', DATE '9999-12-31', true, 'RIP' || r.ripartizione
FROM ripartizioni AS r LEFT JOIN nuts AS n ON n.livello = 'ripartizione' AND n.codice_istat = r.ripartizione
UNION ALL
SELECT 'R' || r.regione, 'regione', r.nome, 'IT', r.regione, NULL, n.itter107, n.nuts_2006, n.nuts_2010, n.nuts_2021,
    n.nuts_2024, 'R' || r.regione, NULL, DATE '1861-03-17', DATE '9999-12-31', true, 'R' || r.regione
FROM regioni AS r LEFT JOIN nuts AS n ON n.livello = 'regione' AND n.codice_istat = r.regione
UNION ALL
SELECT p.territorio_id, 'provincia', p.nome, 'R' || p.codice_regione, p.codice_istat, p.sigla, n.itter107, n.nuts_2006,
    n.nuts_2010, n.nuts_2021, n.nuts_2024, 'R' || p.codice_regione, p.territorio_id, p.valido_dal, p.valido_al,
    p.in_vigore, CASE WHEN p.in_vigore THEN p.territorio_id END
FROM province AS p LEFT JOIN nuts AS n ON n.livello = 'provincia' AND n.codice_istat = p.codice_istat
UNION ALL
SELECT 'A' || a.area, 'area', a.nome, 'P' || a.provincia, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    'R' || p.codice_regione, 'P' || a.provincia, p.valido_dal, p.valido_al, true, 'A' || a.area
FROM aree AS a JOIN province AS p ON p.territorio_id = 'P' || a.provincia
UNION ALL
SELECT 'C' || c.codice, 'comune', c.nome,
    CASE WHEN c.in_vigore THEN coalesce('A' || ar.area, pv.territorio_id) ELSE pv.territorio_id END,
    c.codice, NULL, NULL, NULL, NULL, NULL, NULL, 'R' || c.regione, pv.territorio_id, c.valido_dal, c.valido_al,
    c.in_vigore, CASE WHEN o.oggi IN (SELECT codice FROM comuni WHERE in_vigore) THEN 'C' || o.oggi END
FROM comuni AS c
JOIN province AS pv ON pv.codice_istat = c.provincia AND least(c.valido_al, DATE '9999-12-30') BETWEEN pv.valido_dal AND pv.valido_al
LEFT JOIN comune_oggi AS o ON o.codice = c.codice
LEFT JOIN raw.aree_subprovinciali AS ar ON ar.provincia = c.provincia AND norm_nome(ar.comune) = norm_nome(c.nome)
UNION ALL
SELECT 'CCIAA_' || m.codice, 'camera', m.nome, NULL, NULL, m.codice, NULL, NULL, NULL, NULL, NULL, 'R' || m.regione,
    CASE WHEN m.n_province = 1 THEN 'P' || m.province END, DATE '1861-03-17', DATE '9999-12-31', true, 'CCIAA_' || m.codice
FROM meta.camere AS m
