-- Indicator values as printed in the Camera's documents: every printed occurrence (a document
-- can print the same ratio in two tables) of the latest document loaded for each value.
WITH fonte AS (
    SELECT *
    FROM raw.indicatori_pubblicati
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM raw.indicatori_pubblicati WHERE NOT campione)
)
SELECT camera, anno, tipo, indicatore_id AS indicatore, valore, decimali, rilascio, riferimento
FROM fonte
QUALIFY rank() OVER (PARTITION BY camera, anno, tipo, indicatore_id ORDER BY rilascio DESC) = 1
