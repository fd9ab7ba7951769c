-- Q3/Q4: a figure printed in a chapter that the data do not reproduce (a share, a change, a total
-- in the text that differs from the table), with both numbers; never forced.
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
    format('{} {} «{}» ({}) è stampato come {} ({}) ma dai dati risulta {}', territorio, misura, valore_dimensione,
           periodo, fmt_it(valore_pubblicato, decimali), riferimento, fmt_it(valore_calcolato, decimali)) AS messaggio
FROM marts.contesto_riconciliazione
WHERE esito = 'non_riprodotto'
