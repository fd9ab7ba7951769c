-- Q3: a published indicator that the pipeline does not reproduce from the Camera's figures is
-- reported with both numbers, never forced (e.g. Efficienza operativa 2018, 001:1128), saying how
-- it contradicts the data: a dropped sign, a factor 100 (ratio against percent) or the value.
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
    format('«{}» {} ({}) è pubblicato come {} ({}) ma dai dati risulta {}{}: {}',
           nome, anno, tipo, fmt_it(valore_pubblicato, decimali), coalesce(riferimento, 'senza riferimento'),
           fmt_it(valore_calcolato, decimali),
           CASE WHEN prova = 'illustrativo' THEN ' (calcolato anche su valori illustrativi)' ELSE '' END,
           CASE scostamento
               WHEN 'segno' THEN 'il segno è opposto (segno meno caduto o aggiunto nel documento)'
               WHEN 'scala' THEN 'differisce di un fattore 100 (un rapporto stampato come percentuale o viceversa: '
                                 || 'indicare l''unità nella colonna unita)'
               ELSE 'il documento non è coerente con i propri dati' END) AS messaggio
FROM marts.riconciliazione_pubblicati
WHERE esito = 'non_riprodotto'
