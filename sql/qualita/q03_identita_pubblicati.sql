-- Q3: published ratios that cannot all be true at once. Since Totale attivo = Totale passivo,
-- Incidenza dell'attivo immobilizzato = Margine di struttura (AI/PN) × Solidità (PN/TP):
-- the printed IAI must match MSAI × SOL / 100 within the rounding of the three printed values.
WITH p AS (
    SELECT camera, anno, tipo, rilascio,
        max(valore) FILTER (WHERE indicatore = 'IAI') AS iai,
        max(valore) FILTER (WHERE indicatore = 'MSAI') AS msai,
        max(valore) FILTER (WHERE indicatore = 'SOL') AS sol,
        string_agg(DISTINCT riferimento, ', ') AS riferimenti
    FROM staging.stg_indicatori_pubblicati
    WHERE indicatore IN ('IAI', 'MSAI', 'SOL')
    GROUP BY ALL
)
SELECT
    'Q3' AS controllo,
    'avviso' AS gravita,
    camera,
    anno,
    tipo,
    'IAI' AS voce,
    NULL::VARCHAR AS file,
    NULL::INTEGER AS riga,
    'valore' AS colonna,
    iai AS valore_fornito,
    msai * sol / 100 AS valore_calcolato,
    format('l''Incidenza dell''attivo immobilizzato {} ({}) è stampata come {} ma Margine di struttura × Solidità '
           || 'stampati nello stesso documento danno {} ({})', anno, tipo, fmt_it(iai, 1), fmt_it(msai * sol / 100, 2),
           riferimenti) AS messaggio
FROM p
WHERE iai IS NOT NULL AND msai IS NOT NULL AND sol IS NOT NULL
  -- each printed value is off by at most 0,05; propagate to the product
  AND abs(iai - msai * sol / 100) > 0.05 + 0.05 * (msai + sol) / 100
