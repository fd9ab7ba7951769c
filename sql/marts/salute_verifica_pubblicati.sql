-- The OIV appendix: every published health figure next to the recomputed one, with the outcome in
-- plain Italian words (riprodotto; differenza di arrotondamento; non riprodotto, with the computed
-- value and whether the computation used illustrative inputs; non riproducibile, with the reason):
-- the wording of marts.riconciliazione_pubblicati, which the quality finding Q3 prints too.
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
        any_value(esito) AS esito,
        any_value(esito_testo) AS esito_testo
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
    r.esito_testo,  -- one wording with the finding (marts.riconciliazione_pubblicati)
    r.esito
FROM uniti AS r
JOIN meta.indicatori AS m ON m.id = r.indicatore
ORDER BY r.camera, r.indicatore, r.anno
