-- Every territory the pipeline knows, one row each: Italia, regions, provinces, sub-provincial
-- areas, comuni, and each Camera's own territory. Built from Istat's code lists (the comuni list
-- with NUTS 2024 codes, CL_ITTER107 for the NUTS 2010 codes Istat's data use), not typed by hand.
WITH comuni AS (
    SELECT
        codice_comune_alfanumerico AS codice,
        comune_dizione_italiana AS nome,
        codice_provincia_storico AS provincia,
        provincia_uts AS nome_provincia,
        codice_regione AS regione,
        regione AS nome_regione,
        sigla_automobilistica AS sigla,
        codice_catasto AS catasto,
        codice_nuts2_2024 AS nuts2_2024,
        codice_nuts3_2024 AS nuts3_2024
    FROM raw.istat_unita_territoriali
),
itter AS (
    SELECT dimensionvalueid AS codice, norm_nome(dimensionvaluedescription) AS chiave
    FROM raw.istat_cl_itter107
),
itter_regioni AS (
    SELECT chiave, min(codice) AS codice FROM itter WHERE regexp_full_match(codice, 'IT[A-Z][0-9A-Z]') GROUP BY chiave
),
itter_province AS (
    SELECT chiave, min(codice) AS codice FROM itter WHERE regexp_full_match(codice, 'IT[A-Z][0-9A-Z]{2}') GROUP BY chiave
),
regioni AS (
    SELECT regione, any_value(nome_regione) AS nome, any_value(nuts2_2024) AS nuts2_2024
    FROM comuni GROUP BY regione
),
province AS (
    SELECT provincia, any_value(nome_provincia) AS nome, any_value(sigla) AS sigla,
        any_value(nuts3_2024) AS nuts3_2024, any_value(regione) AS regione
    FROM comuni GROUP BY provincia
),
aree AS (
    SELECT a.area, any_value(a.nome) AS nome, any_value(a.provincia) AS provincia
    FROM raw.aree_subprovinciali AS a GROUP BY a.area
)
SELECT 'IT' AS territorio_id, 'italia' AS livello, 'Italia' AS nome, NULL AS padre_id,
    NULL AS codice_istat, NULL AS sigla, 'IT' AS nuts_2010, 'IT' AS nuts_2024, NULL AS regione_id, NULL AS provincia_id
UNION ALL
SELECT 'R' || r.regione, 'regione', r.nome, 'IT', r.regione, NULL, i.codice, substr(r.nuts2_2024, 1, 4), 'R' || r.regione, NULL
FROM regioni AS r LEFT JOIN itter_regioni AS i ON i.chiave = norm_nome(r.nome)
UNION ALL
SELECT 'P' || p.provincia, 'provincia', p.nome, 'R' || p.regione, p.provincia, p.sigla, i.codice, p.nuts3_2024,
    'R' || p.regione, 'P' || p.provincia
FROM province AS p LEFT JOIN itter_province AS i ON i.chiave = norm_nome(p.nome)
UNION ALL
SELECT 'A' || a.area, 'area', a.nome, 'P' || a.provincia, NULL, NULL, NULL, NULL, 'R' || p.regione, 'P' || a.provincia
FROM aree AS a JOIN province AS p ON p.provincia = a.provincia
UNION ALL
SELECT 'C' || c.codice, 'comune', c.nome,
    coalesce('A' || ar.area, 'P' || c.provincia), c.codice, NULL, NULL, NULL, 'R' || c.regione, 'P' || c.provincia
FROM comuni AS c
LEFT JOIN raw.aree_subprovinciali AS ar ON ar.provincia = c.provincia AND norm_nome(ar.comune) = norm_nome(c.nome)
UNION ALL
SELECT 'CCIAA_' || m.codice, 'camera', m.nome, NULL, NULL, m.codice, NULL, NULL, 'R' || m.regione,
    CASE WHEN m.n_province = 1 THEN 'P' || m.province END
FROM meta.camere AS m
