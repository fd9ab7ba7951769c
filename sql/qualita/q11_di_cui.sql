-- Q11: a "di cui" item never exceeds the total it is part of.
SELECT
    'Q11' AS controllo,
    'bloccante' AS gravita,
    d.camera,
    d.anno,
    d.tipo,
    d.voce,
    s.file_nome AS file,
    s.riga,
    'valore' AS colonna,
    d.valore AS valore_fornito,
    t.valore AS valore_calcolato,
    format('la voce «{}» ({} {}) vale {}{} e supera il totale di cui fa parte, «{}», che vale {}{}',
           v.descrizione, d.tipo, d.anno, fmt_it(d.valore, 0), CASE WHEN v.dimensione = 'importo' THEN ' euro' ELSE '' END,
           vt.descrizione, fmt_it(t.valore, 0), CASE WHEN v.dimensione = 'importo' THEN ' euro' ELSE '' END) AS messaggio
FROM staging.int_bilancio_voci_effettive AS d
JOIN meta.voci_bilancio AS v ON v.codice = d.voce AND v.di_cui_di <> ''
JOIN meta.voci_bilancio AS vt ON vt.codice = v.di_cui_di
JOIN staging.int_bilancio_voci_effettive AS t
  ON t.camera = d.camera AND t.anno = d.anno AND t.tipo = d.tipo AND t.voce = v.di_cui_di
LEFT JOIN staging.stg_bilancio_voci AS s
  ON s.camera = d.camera AND s.anno = d.anno AND s.tipo = d.tipo AND s.voce = d.voce
WHERE d.valore > t.valore + d.errore_arrotondamento + t.errore_arrotondamento
