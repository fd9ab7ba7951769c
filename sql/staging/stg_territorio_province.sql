-- Provinces (and the metropolitan cities and UTS that took their place) through time, one row per
-- version: a province code keeps its territory until a comune enters or leaves it (a change of
-- province in ANPR's archive or in Istat's 2026 Sardinian correspondence), and each such day starts
-- a new version. The version in force today has the plain id (P046); an older one ends with the last
-- day it was valid (P090_20160427: Sassari from 2006 to 27/04/2016, without Olbia-Tempio).
-- Names: today's list, then the 2023 list, then Istat's CL_ITTER107 (Olbia-Tempio, Ogliastra, ...).
WITH c AS (
    SELECT * FROM staging.stg_territorio_comuni
),
sequenza AS (
    SELECT catasto, codice_provincia, valido_dal,
        lag(codice_provincia) OVER w AS provincia_prima, lag(valido_al) OVER w AS al_prima
    FROM c
    WINDOW w AS (PARTITION BY catasto ORDER BY valido_dal)
),
passaggi AS (  -- a comune changing province from one day to the next
    SELECT provincia_prima AS da, codice_provincia AS a, valido_dal AS giorno
    FROM sequenza
    WHERE provincia_prima <> codice_provincia AND al_prima + 1 = valido_dal
),
vita AS (
    SELECT codice_provincia AS provincia, min(valido_dal) AS nascita, max(valido_al) AS fine FROM c GROUP BY 1
),
inizi AS (
    SELECT provincia, nascita AS giorno FROM vita
    UNION SELECT da, giorno FROM passaggi
    UNION SELECT a, giorno FROM passaggi
),
versioni AS (
    SELECT i.provincia, i.giorno AS valido_dal,
        coalesce(lead(i.giorno) OVER (PARTITION BY i.provincia ORDER BY i.giorno) - 1, v.fine) AS valido_al
    FROM inizi AS i JOIN vita AS v USING (provincia)
    QUALIFY valido_dal <= valido_al
),
nomi AS (
    SELECT codice_provincia_storico AS provincia, any_value(provincia_uts) AS nome, 1 AS priorita
    FROM raw.istat_unita_territoriali GROUP BY 1
    UNION ALL
    SELECT codice_provincia_storico_1, any_value(denominazione_dell_unita_territoriale_sovracomunale_valida_a_fini_statistici), 2
    FROM raw.istat_elenco_comuni_2023 GROUP BY 1
    UNION ALL
    SELECT n.codice_istat, any_value(n.etichetta), 3
    FROM staging.stg_territorio_nuts AS n WHERE n.versione = 'itter107' AND n.livello = 'provincia' GROUP BY 1
),
nome AS (
    SELECT provincia, arg_min(nome, priorita) AS nome FROM nomi WHERE nome IS NOT NULL GROUP BY 1
)
SELECT
    'P' || v.provincia || CASE WHEN v.valido_al < DATE '9999-12-31' THEN '_' || strftime(v.valido_al, '%Y%m%d') ELSE '' END
        AS territorio_id,
    v.provincia AS codice_istat,
    n.nome,
    (SELECT arg_max(c.sigla, c.valido_al) FROM c WHERE c.codice_provincia = v.provincia
        AND c.valido_dal <= v.valido_al AND c.valido_al >= v.valido_dal) AS sigla,
    (SELECT arg_max(c.codice_regione, c.valido_al) FROM c WHERE c.codice_provincia = v.provincia) AS codice_regione,
    v.valido_dal,
    v.valido_al,
    v.valido_al = DATE '9999-12-31' AS in_vigore
FROM versioni AS v
LEFT JOIN nome AS n USING (provincia)
ORDER BY v.provincia, v.valido_dal
