-- Q3: a published indicator that the pipeline does not reproduce from the Camera's figures is
-- reported with both numbers, never forced (e.g. Efficienza operativa 2018, 001:1128), saying how
-- it contradicts the data (a dropped sign, a factor 100, the value), in the words of the OIV appendix
-- (marts.riconciliazione_pubblicati.esito_testo), so the two never disagree.
SELECT
    'Q3' AS controllo,
    'avviso' AS gravita,
    camera,
    anno,
    tipo,
    indicatore AS voce,
    NULL::VARCHAR AS file,
    NULL::INTEGER AS riga,
    'valore' AS colonna,
    valore_pubblicato AS valore_fornito,
    valore_calcolato,
    format('«{}» {} ({}) è pubblicato come {} ({}) ma dai dati risulta {}: {}',
           nome, anno, tipo, fmt_it(valore_pubblicato, decimali),
           coalesce(d.documento || ', riga ' || split_part(riferimento, ':', 2), riferimento, 'senza riferimento'),
           fmt_it(valore_calcolato, decimali), esito_testo) AS messaggio
FROM marts.riconciliazione_pubblicati
LEFT JOIN meta.documenti AS d ON d.id = split_part(riferimento, ':', 1)
WHERE esito = 'non_riprodotto'
