-- Q5 (note): oneri (cost items) written with a minus, as the conto economico prints them, are read
-- as the positive amounts they are (staging.stg_bilancio_voci); one note per file and kind, naming
-- the rows, so the normalisation is never silent.
SELECT
    'Q5' AS controllo,
    'avviso' AS gravita,
    camera,
    min(anno) AS anno,
    tipo,
    string_agg(DISTINCT voce, ', ' ORDER BY voce) AS voce,
    file_nome AS file,
    min(riga) AS riga,
    'valore' AS colonna,
    count(*) AS valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('{} oneri scritti con il segno meno, come nei documenti (righe {}): letti come importi positivi',
           count(*), string_agg(riga::VARCHAR, ', ' ORDER BY riga)) AS messaggio
FROM staging.stg_bilancio_voci
WHERE segno_invertito
GROUP BY camera, tipo, file_nome
