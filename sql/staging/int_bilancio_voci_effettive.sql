-- Effective value of every item, totals included, derived from the finest items supplied:
-- a supplied total is never used when its components are there (spec/health_indicators.md §2.1;
-- the check qualita.q01_totali_da_voci reports the ones that disagree).
WITH RECURSIVE chiusura(antenato, discendente, distanza) AS (
    SELECT codice, codice, 0 FROM meta.voci_bilancio
    UNION ALL
    SELECT c.antenato, v.codice, c.distanza + 1
    FROM chiusura AS c
    JOIN meta.voci_bilancio AS v ON v.padre = c.discendente
),
fornite AS (
    SELECT * FROM staging.stg_bilancio_voci WHERE valore IS NOT NULL
),
-- supplied values with no supplied item below them: the finest level the office gave
usate AS (
    SELECT f.*
    FROM fornite AS f
    WHERE NOT EXISTS (
        SELECT 1
        FROM chiusura AS c
        JOIN fornite AS g
          ON g.voce = c.discendente AND g.camera = f.camera AND g.anno = f.anno AND g.tipo = f.tipo
        WHERE c.antenato = f.voce AND c.distanza > 0
    )
)
SELECT
    u.camera,
    u.anno,
    u.tipo,
    c.antenato AS voce,
    sum(u.valore) AS valore,
    count(*) AS n_componenti,
    -- bound of the error carried by the inputs' rounding: half a unit per component
    sum(0.5 * u.risoluzione) AS errore_arrotondamento,
    bool_or(u.illustrativo) AS illustrativo,
    string_agg(DISTINCT u.riferimento, '; ' ORDER BY u.riferimento) AS riferimenti,
    max(u.rilascio) AS rilascio
FROM usate AS u
JOIN chiusura AS c ON c.discendente = u.voce
GROUP BY ALL
