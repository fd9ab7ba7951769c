-- Each year's value of a health indicator assessed against each target the Camera set for that
-- indicator (staging.stg_obiettivi_salute): the health table's "esito" column (raggiunto / non
-- raggiunto) for the latest year against the plan's target. Compared at printed precision.
SELECT
    s.camera,
    s.indicatore,
    s.anno,
    s.tipo,
    o.anno AS anno_obiettivo,
    o.operatore,
    o.valore_min,
    o.valore_max,
    CASE
        WHEN o.operatore = '<=' THEN round(s.valore, s.decimali) <= o.valore_max
        WHEN o.operatore = '>=' THEN round(s.valore, s.decimali) >= o.valore_min
        ELSE round(s.valore, s.decimali) BETWEEN o.valore_min AND o.valore_max
    END AS raggiunto,
    CASE WHEN (CASE
        WHEN o.operatore = '<=' THEN round(s.valore, s.decimali) <= o.valore_max
        WHEN o.operatore = '>=' THEN round(s.valore, s.decimali) >= o.valore_min
        ELSE round(s.valore, s.decimali) BETWEEN o.valore_min AND o.valore_max
    END) THEN 'raggiunto' ELSE 'non raggiunto' END AS esito
FROM marts.stato_salute AS s
JOIN staging.stg_obiettivi_salute AS o
  ON o.camera = s.camera AND o.indicatore = s.indicatore
WHERE s.valore IS NOT NULL
  -- a relative target ("riduzione del 20% della perdita rispetto al budget") has its threshold only
  -- for its own year: marts.indicatori_salute assesses it (esito_obiettivo)
  AND o.rispetto_a IS NULL
ORDER BY s.camera, s.indicatore, s.anno, o.anno
