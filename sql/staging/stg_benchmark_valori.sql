-- Benchmarking-panel values, one per Camera × anno × indicatore (latest release), panel codes
-- resolved to the catalogue's indicator ids. Rows that are a statistic the panel's publisher printed
-- ("Media" followed by a region) are not Camere: they are in staging.stg_benchmark_statistiche.
WITH fonte AS (
    SELECT *
    FROM raw.benchmark_valori
    WHERE (NOT campione OR NOT EXISTS (SELECT 1 FROM raw.benchmark_valori WHERE NOT campione))
      AND statistica IS NULL
)
SELECT
    camera,
    anno,
    indicatore_id AS indicatore,
    codice AS codice_panel,
    valore,
    coalesce(natura, 'ufficiale') = 'illustrativo' AS illustrativo,
    rilascio
FROM fonte
QUALIFY row_number() OVER (PARTITION BY camera, anno, indicatore_id ORDER BY rilascio DESC, caricato_il DESC) = 1
