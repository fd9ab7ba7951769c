-- The health table as the Camera prints it (001:1116-1133): each indicator and year with its value
-- (the most final kind, as marts.stato_salute), whether that value is the Camera's own published
-- figure (reproduced within its printed precision), and whether it must be marked as illustrative
-- (computed on illustrative inputs and not equal to a published figure).
WITH pubblicati AS (
    SELECT camera, anno, indicatore,
        any_value(valore_pubblicato) AS valore_pubblicato,
        bool_or(esito LIKE 'riprodotto%') AS riproduce_pubblicato
    FROM marts.riconciliazione_pubblicati
    GROUP BY ALL
)
SELECT
    s.camera,
    s.indicatore,
    s.nome,
    s.famiglia,
    s.anno,
    s.tipo,
    s.valore,
    s.unita,
    s.decimali,
    p.valore_pubblicato,
    coalesce(p.riproduce_pubblicato, false) AS riproduce_pubblicato,
    s.illustrativo AND NOT coalesce(p.riproduce_pubblicato, false) AS da_segnalare_illustrativo
FROM marts.stato_salute AS s
LEFT JOIN pubblicati AS p USING (camera, anno, indicatore)
ORDER BY s.camera, s.indicatore, s.anno
