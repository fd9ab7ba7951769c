-- Q1: a supplied total that disagrees with the sum of its items beyond the inputs' rounding.
-- The total is reported and never used (the marts use the sum of the items).
SELECT
    'Q1' AS controllo,
    'avviso' AS gravita,
    f.camera,
    f.anno,
    f.tipo,
    f.voce,
    f.file_nome AS file,
    f.riga,
    'valore' AS colonna,
    f.valore AS valore_fornito,
    e.valore AS valore_calcolato,
    format('il totale «{}» ({} {}) è {} euro ma la somma delle sue voci è {} euro (differenza {} euro): '
           || 'si usa la somma delle voci', v.descrizione, f.tipo, f.anno,
           fmt_it(f.valore, 0), fmt_it(e.valore, 0), fmt_it(f.valore - e.valore, 0)) AS messaggio
FROM staging.stg_bilancio_voci AS f
JOIN staging.int_bilancio_voci_effettive AS e USING (camera, anno, tipo, voce)
JOIN meta.voci_bilancio AS v ON v.codice = f.voce
WHERE abs(f.valore - e.valore) > e.errore_arrotondamento + 0.5 * f.risoluzione
