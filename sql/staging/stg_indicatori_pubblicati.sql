-- Indicator values as printed in the Camera's documents: every printed occurrence (a document
-- can print the same ratio in two tables) of the latest document loaded for each value.
-- valore is in the catalogue's unit (a ratio printed as 4,57 becomes 457 for a percentage
-- indicator); valore_stampato, unita_stampata and decimali keep the print; risoluzione is the
-- printed unit of the last decimal, in the catalogue's unit (0,01 as a ratio = 1 point of percent).
WITH fonte AS (
    SELECT s.*
    FROM raw.indicatori_pubblicati AS s
    -- the bundled sample only for a Camera whose office has loaded no extract of its own
    WHERE NOT s.campione OR NOT EXISTS (SELECT 1 FROM raw.indicatori_pubblicati AS o WHERE NOT o.campione AND o.camera = s.camera)
)
SELECT
    f.camera,
    f.anno,
    f.tipo,
    f.indicatore_id AS indicatore,
    f.valore * coalesce(f.fattore_unita, 1) AS valore,
    f.decimali,
    power(10, -f.decimali) * coalesce(f.fattore_unita, 1) AS risoluzione,
    f.valore AS valore_stampato,
    coalesce(f.unita, m.unita) AS unita_stampata,
    f.rilascio,
    f.riferimento,
    f.file_nome,
    f.riga
FROM fonte AS f
LEFT JOIN meta.indicatori AS m ON m.id = f.indicatore_id
QUALIFY rank() OVER (PARTITION BY f.camera, f.anno, f.tipo, f.indicatore_id ORDER BY f.rilascio DESC) = 1
