-- Q4: the same indicator, year and kind printed with different values in the same document.
SELECT
    'Q4' AS controllo,
    'avviso' AS gravita,
    camera,
    anno,
    tipo,
    indicatore AS voce,
    NULL::VARCHAR AS file,
    NULL::INTEGER AS riga,
    'valore' AS colonna,
    min(valore) AS valore_fornito,
    max(valore) AS valore_calcolato,
    format('«{}» {} ({}) è stampato con valori diversi nello stesso documento: {}', indicatore, anno, tipo,
           string_agg(fmt_it(valore, decimali) || ' (' || coalesce(riferimento, '?') || ')', ', ')) AS messaggio
FROM staging.stg_indicatori_pubblicati
GROUP BY camera, anno, tipo, indicatore, rilascio
HAVING min(valore) <> max(valore)
