-- Q10: an average or median printed by a panel's publisher that matches no panel of
-- staging.stg_benchmark_panel: kept, shown nowhere, reported so the office can name its panel.
SELECT
    'Q10' AS controllo,
    'avviso' AS gravita,
    NULL::VARCHAR AS camera,
    anno,
    NULL::VARCHAR AS tipo,
    indicatore AS voce,
    file_nome AS file,
    riga,
    'camera' AS colonna,
    valore AS valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('la {} pubblicata «{}» ({}, indicatore {}) non corrisponde a nessun panel: indicarne il codice nella colonna panel',
           statistica, aggregato, anno, codice_panel) AS messaggio
FROM staging.stg_benchmark_statistiche
WHERE panel IS NULL
