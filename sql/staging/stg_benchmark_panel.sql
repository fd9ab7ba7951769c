-- Membership of the comparison panels (latest definition loaded).
WITH fonte AS (
    SELECT *
    FROM raw.benchmark_panel
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM raw.benchmark_panel WHERE NOT campione)
),
ultimo AS (
    SELECT panel, max(caricato_il) AS caricato_il FROM fonte GROUP BY panel
)
SELECT DISTINCT f.panel, f.descrizione, f.camera
FROM fonte AS f
JOIN ultimo AS u USING (panel, caricato_il)
