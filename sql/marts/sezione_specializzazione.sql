-- Section "Le imprese", the sectors of specialisation (001:536-551): active companies and local units
-- of each sector, the sector's share of the manufacturing local units and the average local units
-- per company. The manufacturing total is the row whose label the registry marks as the whole
-- (the one sector that is not a specialisation: the largest, containing the others).
WITH valori AS (
    SELECT fonte, territorio_id, territorio, periodo, valore_dimensione AS settore, rilascio, natura,
        max(valore) FILTER (WHERE misura = 'imprese_attive') AS imprese_attive,
        max(valore) FILTER (WHERE misura = 'unita_locali') AS unita_locali
    FROM marts.contesto_osservazioni
    WHERE dimensione = 'settore_specializzazione' AND misura IN ('imprese_attive', 'unita_locali')
    GROUP BY ALL
),
con_totale AS (
    SELECT *,
        max(imprese_attive) OVER w AS imprese_comparto,
        max(unita_locali) OVER w AS unita_locali_comparto
    FROM valori
    WINDOW w AS (PARTITION BY fonte, territorio_id, periodo, rilascio)
)
SELECT
    *,
    imprese_attive = imprese_comparto AS comparto,
    100.0 * unita_locali / unita_locali_comparto AS quota_unita_locali_pct,
    unita_locali / imprese_attive AS unita_locali_per_impresa
FROM con_totale
ORDER BY territorio_id, periodo, unita_locali DESC
