-- For each Camera and each of its extracts the health figures use, the latest release used: the
-- balance sheet (every indicator of marts.indicatori_salute, hence the health table, its charts, the
-- targets' assessment and the Camera's own value in the benchmarking), the targets
-- (staging.stg_obiettivi_salute) and the values its documents published (staging.stg_indicatori_pubblicati,
-- which mark a value as reproduced or illustrative). Staging keeps only the latest release of each key,
-- so these figures are not frozen at an edition's date: a dated edition whose date precedes
-- ultimo_rilascio says so under its health table (pipelines/rapporto_salute.py).
WITH usati AS (
    SELECT camera, 'bilancio' AS fonte, rilascio FROM marts.indicatori_salute
    UNION ALL
    SELECT camera, 'obiettivi_salute', rilascio FROM staging.stg_obiettivi_salute
    UNION ALL
    SELECT camera, 'indicatori_pubblicati', rilascio FROM staging.stg_indicatori_pubblicati
)
SELECT
    u.camera,
    u.fonte,
    -- the words of the chapter's note, with their article: "I dati di bilancio e gli obiettivi comprendono ..."
    CASE u.fonte WHEN 'bilancio' THEN 'i dati di bilancio'
                 WHEN 'obiettivi_salute' THEN 'gli obiettivi'
                 ELSE 'i valori pubblicati dall''Ente' END AS dati,
    CASE u.fonte WHEN 'bilancio' THEN 1 WHEN 'obiettivi_salute' THEN 2 ELSE 3 END AS ordine,
    min(u.rilascio) AS primo_rilascio,
    max(u.rilascio) AS ultimo_rilascio,
    count(DISTINCT u.rilascio) AS n_rilasci
FROM usati AS u
WHERE u.rilascio IS NOT NULL
GROUP BY ALL
ORDER BY u.camera, ordine
