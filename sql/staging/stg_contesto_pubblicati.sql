-- Figures printed in the chapters (tables and text), every printing of every document, territory
-- resolved: each is checked against the data release its document could use.
WITH fonte AS (
    SELECT *
    FROM raw.contesto_pubblicati
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM raw.contesto_pubblicati WHERE NOT campione)
)
SELECT f.territorio AS territorio_originale, t.territorio_id, f.periodo, f.dimensione, f.valore_dimensione,
    f.misura, f.valore, coalesce(f.valore__decimali, 0) AS decimali, f.unita, f.rilascio, f.riferimento,
    f.file_nome, f.riga
FROM fonte AS f
JOIN staging.stg_territori_fonti AS t ON t.territorio = f.territorio AND t.livello IS NOT DISTINCT FROM f.livello
