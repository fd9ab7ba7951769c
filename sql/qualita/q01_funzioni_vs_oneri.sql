-- Q1: the oneri correnti split by institutional function (A-D) must add up to the oneri correnti
-- of the conto economico, within the inputs' rounding; otherwise EFFSTR and EFFOP are unreliable.
SELECT
    'Q1' AS controllo,
    'bloccante' AS gravita,
    camera,
    anno,
    tipo,
    'fz_totale_oneri' AS voce,
    NULL::VARCHAR AS file,
    NULL::INTEGER AS riga,
    'valore' AS colonna,
    fz_totale_oneri AS valore_fornito,
    oc_totale AS valore_calcolato,
    format('gli oneri correnti per funzione A-D ({} {}) sommano a {} euro, gli oneri correnti del conto '
           || 'economico sono {} euro: ripartizione per funzione da correggere',
           tipo, anno, fmt_it(fz_totale_oneri, 0), fmt_it(oc_totale, 0)) AS messaggio
FROM marts.bilancio_annuale
WHERE fz_totale_oneri IS NOT NULL AND oc_totale IS NOT NULL
  AND abs(fz_totale_oneri - oc_totale) > coalesce(fz_totale_oneri__err, 0) + coalesce(oc_totale__err, 0)
