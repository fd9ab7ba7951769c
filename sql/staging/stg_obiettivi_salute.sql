-- Target of the year for each health indicator, from the latest planning document loaded.
-- A relative target (operatore written as "riduzione del 20% della perdita rispetto al budget") keeps
-- the kind it is measured against (rispetto_a), the signed change (variazione_pct) and the direction
-- it implies (operatore <= or >=); marts.indicatori_salute turns it into a threshold.
WITH fonte AS (
    SELECT s.*
    FROM raw.obiettivi_salute AS s
    -- the bundled sample only for a Camera whose office has loaded no extract of its own
    WHERE NOT s.campione OR NOT EXISTS (SELECT 1 FROM raw.obiettivi_salute AS o WHERE NOT o.campione AND o.camera = s.camera)
)
SELECT
    camera,
    anno,
    indicatore_id AS indicatore,
    CASE WHEN operatore = 'relativo' THEN verso ELSE operatore END AS operatore,
    valore_min,
    valore_max,
    rispetto_a,
    variazione_pct,
    testo_obiettivo AS testo,
    rilascio,
    riferimento
FROM fonte
QUALIFY row_number() OVER (PARTITION BY camera, anno, indicatore_id ORDER BY rilascio DESC, caricato_il DESC) = 1
