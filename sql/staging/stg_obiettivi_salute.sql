-- Target of the year for each health indicator, from the latest planning document loaded.
WITH fonte AS (
    SELECT *
    FROM raw.obiettivi_salute
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM raw.obiettivi_salute WHERE NOT campione)
)
SELECT camera, anno, indicatore_id AS indicatore, operatore, valore_min, valore_max, rilascio, riferimento
FROM fonte
QUALIFY row_number() OVER (PARTITION BY camera, anno, indicatore_id ORDER BY rilascio DESC, caricato_il DESC) = 1
