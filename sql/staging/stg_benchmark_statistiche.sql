-- Averages and medians of a panel as its publisher printed them (Unioncamere: "Media" followed by the region),
-- one per panel × anno × indicatore × statistica (latest release). The panel is the one named in the
-- extract's `panel` column, else the panel whose code is the label after "Media"/"Mediana"
-- (normalised); a statistic that matches no panel keeps panel empty and is reported.
WITH fonte AS (
    SELECT *
    FROM raw.benchmark_valori
    WHERE (NOT campione OR NOT EXISTS (SELECT 1 FROM raw.benchmark_valori WHERE NOT campione))
      AND statistica IS NOT NULL
),
panel AS (
    SELECT DISTINCT panel FROM staging.stg_benchmark_panel
)
SELECT
    coalesce(p1.panel, p2.panel) AS panel,
    f.aggregato,
    f.statistica,
    f.anno,
    f.indicatore_id AS indicatore,
    f.codice AS codice_panel,
    f.valore,
    coalesce(f.natura, 'ufficiale') = 'illustrativo' AS illustrativo,
    f.rilascio,
    f.file_nome,
    f.riga
FROM fonte AS f
LEFT JOIN panel AS p1 ON p1.panel = trim(f.panel)
LEFT JOIN panel AS p2
       ON norm_nome(p2.panel) = norm_nome(regexp_replace(f.aggregato, '^\s*(media|mediana)\s*', '', 'i'))
QUALIFY row_number() OVER (PARTITION BY coalesce(p1.panel, p2.panel), f.aggregato, f.anno, f.indicatore_id, f.statistica
                           ORDER BY f.rilascio DESC, f.caricato_il DESC) = 1
