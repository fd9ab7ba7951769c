-- Q3/Q4: a figure printed in a chapter that the data do not reproduce (a share, a change, a total
-- in the text that differs from the table), with both numbers; never forced. The message names the
-- measure by its label (meta.misure_pubblicate), the period as the office writes it (periodo_it) and the
-- document by its title (meta.documenti).
SELECT
    'Q3' AS controllo,
    'avviso' AS gravita,
    territorio,
    CAST(substr(periodo, 1, 4) AS INTEGER) AS anno,
    periodo,
    misura || ' ' || valore_dimensione AS voce,
    file_nome AS file,
    riga,
    'valore' AS colonna,
    valore_pubblicato AS valore_fornito,
    valore_calcolato,
    format('{}, {} «{}» ({}) è stampato come {} ({}) ma dai dati risulta {}', territorio,
           coalesce(nullif(m.etichetta, ''), misura), valore_dimensione, periodo_it(periodo),
           fmt_it(valore_pubblicato, decimali),
           coalesce(d.documento || ', riga ' || split_part(riferimento, ':', 2), riferimento),
           fmt_it(valore_calcolato, decimali)) AS messaggio
FROM marts.contesto_riconciliazione
LEFT JOIN meta.misure_pubblicate AS m ON m.misura_pubblicata = misura
LEFT JOIN meta.documenti AS d ON d.id = split_part(riferimento, ':', 1)
WHERE esito = 'non_riprodotto'
