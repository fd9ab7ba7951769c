-- Q6: a benchmarking value outside the range its indicator allows (data/catalog/indicatori_salute.yaml,
-- `intervallo`: a share of invoices paid within 30 days cannot exceed 100%): reported with its file, row and
-- column, and never used (staging.stg_benchmark_valori leaves it empty, the chapter prints n.d.).
SELECT
    'Q6' AS controllo,
    'avviso' AS gravita,
    s.camera,
    s.anno,
    NULL::VARCHAR AS tipo,
    s.indicatore AS voce,
    s.file_nome AS file,
    s.riga,
    'valore' AS colonna,
    s.valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('«{}» {} della {} vale {}{}, fuori dall''intervallo ammesso da {} a {}{}: il valore non è usato e '
           || 'nel confronto con il panel risulta n.d. (correggere il valore nella colonna valore)',
           m.nome, s.anno, coalesce(c.nome, s.camera), fmt_it(s.valore_fornito, m.decimali),
           CASE WHEN m.unita = 'pct' THEN '%' ELSE '' END, fmt_it(m.minimo, 0), fmt_it(m.massimo, 0),
           CASE WHEN m.unita = 'pct' THEN '%' ELSE '' END) AS messaggio
FROM staging.stg_benchmark_valori AS s
JOIN meta.indicatori AS m ON m.id = s.indicatore
LEFT JOIN meta.camere AS c ON c.codice = s.camera
WHERE s.fuori_intervallo
