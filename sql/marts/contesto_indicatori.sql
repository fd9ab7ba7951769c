-- Rates and ratios the chapters print, computed from absolute values of the same source and release:
-- tasso di natalità e mortalità (per 1.000 abitanti, on the mean population of the year), indice di
-- vecchiaia (over 64 per 100 under 15, at 1 January), permanenza media (presenze / arrivi), reddito
-- imponibile per contribuente (euro).
WITH o AS (SELECT * FROM marts.contesto_osservazioni WHERE valore IS NOT NULL),
bilancio AS (
    SELECT fonte, territorio_id, territorio, anno, rilascio, any_value(natura) AS natura,
        max(valore) FILTER (WHERE misura = 'nati') AS nati,
        max(valore) FILTER (WHERE misura = 'morti') AS morti,
        max(valore) FILTER (WHERE misura = 'popolazione_1_gennaio') AS pop_inizio,
        max(valore) FILTER (WHERE misura = 'popolazione_31_dicembre') AS pop_fine
    FROM o
    WHERE fonte = 'istat_demo_bilancio'
    GROUP BY ALL
),
eta AS (
    SELECT fonte, territorio_id, territorio, periodo, rilascio, any_value(natura) AS natura,
        sum(valore) FILTER (WHERE CAST(split_part(valore_dimensione, '|', 2) AS INTEGER) >= 65) AS over64,
        sum(valore) FILTER (WHERE CAST(split_part(valore_dimensione, '|', 2) AS INTEGER) <= 14) AS under15,
        sum(valore) AS popolazione
    FROM o
    WHERE dimensione = 'sesso|eta' AND misura = 'popolazione'
    GROUP BY ALL
),
turismo AS (
    SELECT fonte, territorio_id, territorio, periodo, dimensione, valore_dimensione, rilascio, any_value(natura) AS natura,
        max(valore) FILTER (WHERE misura = 'arrivi') AS arrivi,
        max(valore) FILTER (WHERE misura = 'presenze') AS presenze
    FROM o
    WHERE misura IN ('arrivi', 'presenze')
    GROUP BY ALL
),
irpef AS (
    SELECT fonte, territorio_id, territorio, periodo, rilascio, any_value(natura) AS natura,
        max(valore) FILTER (WHERE misura = 'reddito_imponibile') AS imponibile,
        max(valore) FILTER (WHERE misura = 'contribuenti') AS contribuenti
    FROM o
    WHERE fonte = 'mef_irpef'
    GROUP BY ALL
)
SELECT fonte, territorio_id, territorio, CAST(anno AS VARCHAR) AS periodo, 'totale' AS dimensione, 'Totale' AS valore_dimensione,
    'tasso_natalita' AS indicatore, 1000.0 * nati / ((pop_inizio + pop_fine) / 2) AS valore, 'per_mille' AS unita, rilascio, natura
FROM bilancio WHERE nati IS NOT NULL AND pop_inizio > 0 AND pop_fine > 0
UNION ALL
SELECT fonte, territorio_id, territorio, CAST(anno AS VARCHAR), 'totale', 'Totale',
    'tasso_mortalita', 1000.0 * morti / ((pop_inizio + pop_fine) / 2), 'per_mille', rilascio, natura
FROM bilancio WHERE morti IS NOT NULL AND pop_inizio > 0 AND pop_fine > 0
UNION ALL
SELECT fonte, territorio_id, territorio, periodo, 'totale', 'Totale',
    'indice_vecchiaia', 100.0 * over64 / under15, 'over64_per_100_under15', rilascio, natura
FROM eta WHERE under15 > 0
UNION ALL
SELECT fonte, territorio_id, territorio, periodo, dimensione, valore_dimensione,
    'permanenza_media', presenze / arrivi, 'notti', rilascio, natura
FROM turismo WHERE arrivi > 0 AND presenze IS NOT NULL
UNION ALL
SELECT fonte, territorio_id, territorio, periodo, 'totale', 'Totale',
    'reddito_imponibile_per_contribuente', imponibile / contribuenti, 'euro', rilascio, natura
FROM irpef WHERE contribuenti > 0
