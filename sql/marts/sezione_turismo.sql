-- Section "Il turismo" (001:643-675): arrivals and nights by kind of accommodation and provenance for
-- every territory and year, with the average stay (marts.contesto_indicatori, permanenza_media) and the
-- share of each provenance in the arrivals and nights of its kind of accommodation
-- (marts.contesto_composizione: Totale|Stranieri is the foreigners' share of all arrivals, 001:657): the
-- figures the reconciliation checks, gathered in the shape the section prints.
WITH livelli AS (
    SELECT fonte, territorio_id, territorio, periodo, rilascio, any_value(natura) AS natura, valore_dimensione,
        max(valore) FILTER (WHERE misura = 'arrivi') AS arrivi,
        max(valore) FILTER (WHERE misura = 'presenze') AS presenze
    FROM marts.contesto_osservazioni
    WHERE misura IN ('arrivi', 'presenze') AND dimensione = 'tipo_esercizio|provenienza' AND valore IS NOT NULL
    GROUP BY ALL
),
quote AS (
    SELECT fonte, territorio_id, periodo, rilascio, valore_dimensione,
        max(quota_pct) FILTER (WHERE misura = 'arrivi') AS quota_arrivi_pct,
        max(quota_pct) FILTER (WHERE misura = 'presenze') AS quota_presenze_pct
    FROM marts.contesto_composizione
    WHERE misura IN ('arrivi', 'presenze') AND dimensione = 'tipo_esercizio|provenienza' AND componente = 'provenienza'
    GROUP BY ALL
)
SELECT
    l.fonte,
    l.territorio_id,
    l.territorio,
    l.periodo,
    l.rilascio,
    l.natura,
    l.valore_dimensione,
    split_part(l.valore_dimensione, '|', 1) AS tipo_esercizio,
    split_part(l.valore_dimensione, '|', 2) AS provenienza,
    l.arrivi,
    l.presenze,
    i.valore AS permanenza_media,
    q.quota_arrivi_pct,
    q.quota_presenze_pct
FROM livelli AS l
LEFT JOIN marts.contesto_indicatori AS i
       ON i.indicatore = 'permanenza_media' AND i.dimensione = 'tipo_esercizio|provenienza' AND i.fonte = l.fonte
      AND i.territorio_id = l.territorio_id AND i.periodo = l.periodo AND i.rilascio = l.rilascio
      AND i.valore_dimensione = l.valore_dimensione
LEFT JOIN quote AS q
       ON q.fonte = l.fonte AND q.territorio_id = l.territorio_id AND q.periodo = l.periodo AND q.rilascio = l.rilascio
      AND q.valore_dimensione = l.valore_dimensione
ORDER BY l.territorio_id, l.periodo, l.rilascio, l.valore_dimensione
