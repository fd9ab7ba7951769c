-- Benchmarking-panel values, one per Camera × anno × indicatore (latest release), panel codes
-- resolved to the catalogue's indicator ids. Rows that are a statistic the panel's publisher printed
-- ("Media" followed by a region) are not Camere: they are in staging.stg_benchmark_statistiche.
-- A value outside the range its indicator allows (meta.indicatori minimo/massimo) is left empty:
-- qualita.q06_benchmark_fuori_intervallo reports it with its file and row.
WITH fonte AS (
    SELECT *
    FROM raw.benchmark_valori
    WHERE (NOT campione OR NOT EXISTS (SELECT 1 FROM raw.benchmark_valori WHERE NOT campione))
      AND statistica IS NULL
)
SELECT
    f.camera,
    f.anno,
    f.indicatore_id AS indicatore,
    f.codice AS codice_panel,
    CASE WHEN f.valore < m.minimo OR f.valore > m.massimo THEN NULL ELSE f.valore END AS valore,
    coalesce(f.valore < m.minimo OR f.valore > m.massimo, false) AS fuori_intervallo,
    f.valore AS valore_fornito,
    f.file_nome,
    f.riga,
    coalesce(f.natura, 'ufficiale') = 'illustrativo' AS illustrativo,
    f.rilascio
FROM fonte AS f
LEFT JOIN meta.indicatori AS m ON m.id = f.indicatore_id
QUALIFY row_number() OVER (PARTITION BY camera, anno, indicatore_id ORDER BY f.rilascio DESC, f.caricato_il DESC) = 1
