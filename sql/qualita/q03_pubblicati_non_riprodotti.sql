-- Q3: a published indicator that the pipeline does not reproduce from the Camera's figures is
-- reported with both numbers, never forced (e.g. Efficienza operativa 2018, 001:1128).
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
    format('«{}» {} ({}) è pubblicato come {} ({}) ma dai dati risulta {}{}: il documento non è coerente con i propri dati',
           nome, anno, tipo, fmt_it(valore_pubblicato, decimali), coalesce(riferimento, 'senza riferimento'),
           fmt_it(valore_calcolato, decimali),
           CASE WHEN prova = 'illustrativo' THEN ' (calcolato anche su valori illustrativi)' ELSE '' END) AS messaggio
FROM marts.riconciliazione_pubblicati
WHERE esito = 'non_riprodotto'
