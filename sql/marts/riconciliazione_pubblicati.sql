-- Published indicator values against what the pipeline computes from the same year and kind, both
-- in the catalogue's unit (a published ratio is normalised to percent where the indicator is one).
-- esito: riprodotto (equal at the printed precision), riprodotto_entro_arrotondamento_input
-- (the gap is within half a printed unit plus the error the inputs' own rounding allows),
-- non_riprodotto (both numbers kept, reported in qualita.rilievi), non_calcolabile (inputs missing).
-- scostamento says how a non-reproduced value contradicts the data: segno (the same number with the
-- opposite sign: a dropped minus), scala (off by a factor 100: a ratio printed as a percentage or
-- the reverse), valore (any other gap).
-- prova says whether the computation rests only on published figures or on illustrative ones:
-- an illustrative input is never evidence of reproduction. esito_testo is the verdict in Italian, the
-- one wording the OIV appendix (marts.salute_verifica_pubblicati) and the finding (qualita Q3) print.
WITH confronto AS (
    SELECT
        p.*,
        m.nome,
        i.valore AS calcolato,
        i.illustrativo,
        i.input_illustrativi,
        i.motivo_assenza,
        p.risoluzione / power(10, -p.decimali) AS fattore,
        0.5 * p.risoluzione + coalesce(i.errore_arrotondamento_input, 0) AS tolleranza
    FROM staging.stg_indicatori_pubblicati AS p
    JOIN meta.indicatori AS m ON m.id = p.indicatore
    LEFT JOIN marts.indicatori_salute AS i
           ON i.camera = p.camera AND i.anno = p.anno AND i.tipo = p.tipo AND i.indicatore = p.indicatore
),
esiti AS (
    SELECT
        *,
        CASE
            WHEN calcolato IS NULL THEN 'non_calcolabile'
            WHEN round(calcolato / fattore, decimali) = valore_stampato THEN 'riprodotto'
            WHEN abs(calcolato - valore) <= tolleranza THEN 'riprodotto_entro_arrotondamento_input'
            ELSE 'non_riprodotto'
        END AS esito
    FROM confronto
)
SELECT
    camera,
    anno,
    tipo,
    indicatore,
    nome,
    valore AS valore_pubblicato,
    decimali,
    valore_stampato,
    unita_stampata,
    calcolato AS valore_calcolato,
    round(calcolato / fattore, decimali) * fattore AS valore_calcolato_arrotondato,
    calcolato - valore AS differenza,
    tolleranza,
    esito,
    CASE
        WHEN esito <> 'non_riprodotto' THEN NULL
        WHEN sign(calcolato) <> sign(valore) AND abs(abs(calcolato) - abs(valore)) <= tolleranza THEN 'segno'
        WHEN abs(calcolato - 100 * valore) <= 100 * tolleranza OR abs(calcolato - valore / 100) <= tolleranza / 100
            THEN 'scala'
        ELSE 'valore'
    END AS scostamento,
    CASE WHEN calcolato IS NULL THEN NULL
         WHEN illustrativo THEN 'illustrativo'
         ELSE 'dati_pubblicati' END AS prova,
    CASE
        WHEN esito = 'riprodotto' AND NOT illustrativo THEN 'riprodotto'
        WHEN esito = 'riprodotto' THEN 'riprodotto, ma con valori illustrativi: non è una prova'
        WHEN esito = 'riprodotto_entro_arrotondamento_input'
            THEN 'differenza di arrotondamento (entro l''arrotondamento dei dati pubblicati)'
        WHEN calcolato IS NULL THEN 'non riproducibile perché ' || coalesce(motivo_assenza, 'mancano i dati')
        WHEN sign(calcolato) <> sign(valore) AND abs(abs(calcolato) - abs(valore)) <= tolleranza
            THEN 'non riprodotto: il segno è opposto (segno meno caduto o aggiunto nel documento)'
        WHEN abs(calcolato - 100 * valore) <= 100 * tolleranza OR abs(calcolato - valore / 100) <= tolleranza / 100
            THEN 'non riprodotto: differisce di un fattore 100 (un rapporto stampato come percentuale o viceversa: '
                 || 'indicare l''unità nella colonna unita)'
        WHEN NOT illustrativo THEN 'non riprodotto: i dati pubblicati dall''Ente danno un altro valore (errore del documento)'
        ELSE 'non riprodotto: il ricalcolo usa valori illustrativi, non si può dire se il documento sia in errore'
    END AS esito_testo,
    input_illustrativi,
    motivo_assenza,
    riferimento
FROM esiti
ORDER BY camera, indicatore, anno
