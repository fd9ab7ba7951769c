-- Figures printed in the chapters (tables and text), every printing of every document, territory
-- resolved: each is checked against the data release its document could use.
WITH fonte AS (
    SELECT *
    FROM raw.contesto_pubblicati
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM raw.contesto_pubblicati WHERE NOT campione)
),
territori AS (
    SELECT t.territorio, t.livello,
        CASE WHEN count(DISTINCT c.territorio_id) = 1 THEN min(c.territorio_id) END AS territorio_id
    FROM (SELECT DISTINCT territorio, livello FROM fonte) AS t
    LEFT JOIN staging.stg_territorio_codici AS c
           ON c.codice = norm_nome(t.territorio) AND (t.livello IS NULL OR t.livello = '' OR c.livello = t.livello)
    GROUP BY t.territorio, t.livello
)
SELECT f.territorio AS territorio_originale, t.territorio_id, f.periodo, f.dimensione, f.valore_dimensione,
    f.misura, f.valore, coalesce(f.valore__decimali, 0) AS decimali, f.unita, f.rilascio, f.riferimento,
    f.file_nome, f.riga
FROM fonte AS f
JOIN territori AS t ON t.territorio = f.territorio AND t.livello IS NOT DISTINCT FROM f.livello
