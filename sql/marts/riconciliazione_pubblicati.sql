-- Published indicator values against what the pipeline computes from the same year and kind.
-- esito: riprodotto (equal at the printed precision), riprodotto_entro_arrotondamento_input
-- (the gap is within half a printed unit plus the error the inputs' own rounding allows),
-- non_riprodotto (both numbers kept, reported in qualita.rilievi), non_calcolabile (inputs missing).
-- prova says whether the computation rests only on published figures or on illustrative ones:
-- an illustrative input is never evidence of reproduction.
SELECT
    p.camera,
    p.anno,
    p.tipo,
    p.indicatore,
    m.nome,
    p.valore AS valore_pubblicato,
    p.decimali,
    i.valore AS valore_calcolato,
    round(i.valore, p.decimali) AS valore_calcolato_arrotondato,
    i.valore - p.valore AS differenza,
    0.5 * power(10, -p.decimali) + coalesce(i.errore_arrotondamento_input, 0) AS tolleranza,
    CASE
        WHEN i.valore IS NULL THEN 'non_calcolabile'
        WHEN round(i.valore, p.decimali) = p.valore THEN 'riprodotto'
        WHEN abs(i.valore - p.valore) <= 0.5 * power(10, -p.decimali) + coalesce(i.errore_arrotondamento_input, 0)
            THEN 'riprodotto_entro_arrotondamento_input'
        ELSE 'non_riprodotto'
    END AS esito,
    CASE WHEN i.valore IS NULL THEN NULL
         WHEN i.illustrativo THEN 'illustrativo'
         ELSE 'dati_pubblicati' END AS prova,
    i.input_illustrativi,
    i.motivo_assenza,
    p.riferimento
FROM staging.stg_indicatori_pubblicati AS p
JOIN meta.indicatori AS m ON m.id = p.indicatore
LEFT JOIN marts.indicatori_salute AS i
       ON i.camera = p.camera AND i.anno = p.anno AND i.tipo = p.tipo AND i.indicatore = p.indicatore
ORDER BY p.camera, p.indicatore, p.anno
