-- One value per Camera × anno × tipo × voce from the balance-sheet extracts: the latest release,
-- amounts in euro, with the input's rounding (risoluzione) and the provenance of the row.
-- Bundled sample rows are used only while the Camera's office has loaded no extract of its own.
-- An onere (cost item, `segno = onere` in the catalogue) written negative, as the conto economico
-- prints it, is read as the positive amount it is, and qualita.q05_oneri_negativi notes it.
WITH fonte AS (
    SELECT s.*
    FROM raw.bilancio_voci AS s
    -- the bundled sample only for a Camera whose office has loaded no extract of its own
    WHERE NOT s.campione OR NOT EXISTS (SELECT 1 FROM raw.bilancio_voci AS o WHERE NOT o.campione AND o.camera = s.camera)
),
ultimo_rilascio AS (
    SELECT *,
        row_number() OVER (PARTITION BY camera, anno, tipo, voce ORDER BY rilascio DESC, caricato_il DESC) AS n
    FROM fonte
)
SELECT
    r.camera,
    r.anno,
    r.tipo,
    r.voce,
    v.dimensione,
    CASE WHEN v.segno = 'onere' AND r.valore < 0 THEN -1 ELSE 1 END
        * CASE WHEN r.unita = 'EUR_k' THEN r.valore * 1000 ELSE r.valore END AS valore,
    v.segno = 'onere' AND r.valore < 0 AS segno_invertito,
    CASE WHEN v.dimensione = 'importo' THEN 'EUR' ELSE r.unita END AS unita,
    power(10, -coalesce(r.valore__decimali, 0)) * CASE WHEN r.unita = 'EUR_k' THEN 1000 ELSE 1 END AS risoluzione,
    coalesce(r.natura, 'ufficiale') = 'illustrativo' AS illustrativo,
    r.riferimento,
    r.rilascio,
    r.file_nome,
    r.riga,
    r.file_sha256,
    r.campione
FROM ultimo_rilascio AS r
JOIN meta.voci_bilancio AS v ON v.codice = r.voce
WHERE r.n = 1
