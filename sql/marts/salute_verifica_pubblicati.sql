-- The OIV appendix: every published health figure next to the recomputed one, with the outcome in
-- plain Italian words (riprodotto; differenza di arrotondamento; non riprodotto, with the computed
-- value and whether the computation used illustrative inputs; non riproducibile, with the reason).
-- A value the documents print in several places (same indicator, year, kind and value) is one row
-- with all its references, so it is counted once.
WITH uniti AS (
    SELECT
        camera, indicatore, any_value(nome) AS nome, anno, tipo, valore_pubblicato,
        any_value(valore_calcolato) AS valore_calcolato,
        any_value(valore_calcolato_arrotondato) AS valore_ricalcolato,
        max(decimali) AS decimali,
        string_agg(DISTINCT riferimento, ', ' ORDER BY riferimento) AS riferimento,
        any_value(prova) AS prova,
        any_value(motivo_assenza) AS motivo_assenza,
        any_value(esito) AS esito
    FROM marts.riconciliazione_pubblicati
    GROUP BY camera, indicatore, anno, tipo, valore_pubblicato
)
SELECT
    r.camera,
    r.indicatore,
    r.nome,
    r.anno,
    r.tipo,
    r.valore_pubblicato,
    r.valore_ricalcolato,
    r.decimali,
    m.unita,
    r.riferimento,
    r.prova,
    CASE
        WHEN r.esito = 'riprodotto' AND r.prova = 'dati_pubblicati' THEN 'riprodotto'
        WHEN r.esito = 'riprodotto' THEN 'riprodotto, ma con valori illustrativi: non è una prova'
        WHEN r.esito = 'riprodotto_entro_arrotondamento_input'
            THEN 'differenza di arrotondamento (entro l''arrotondamento dei dati pubblicati)'
        WHEN r.valore_calcolato IS NULL
            THEN 'non riproducibile perché ' || coalesce(r.motivo_assenza, 'mancano i dati')
        WHEN r.prova = 'dati_pubblicati'
            THEN 'non riprodotto: i dati pubblicati dall''Ente danno un altro valore (errore del documento)'
        ELSE 'non riprodotto: il ricalcolo usa valori illustrativi, non si può dire se il documento sia in errore'
    END AS esito_testo,
    r.esito
FROM uniti AS r
JOIN meta.indicatori AS m ON m.id = r.indicatore
ORDER BY r.camera, r.indicatore, r.anno
