-- Section "Le imprese", companies by sector (001:509-511): active companies of each macro-sector,
-- their share of all active companies of the territory (the registry's status total, so companies
-- not yet classified count in the denominator) and the rank of the top-level sectors.
-- A sector whose label has the form "Parent - child" is a part of Parent.
WITH settori AS (
    SELECT fonte, territorio_id, territorio, periodo, valore_dimensione AS settore,
        CASE WHEN contains(valore_dimensione, ' - ') THEN split_part(valore_dimensione, ' - ', 1) END AS settore_padre,
        valore AS imprese_attive, rilascio, natura
    FROM marts.contesto_osservazioni
    WHERE misura = 'imprese_attive' AND dimensione = 'macro_settore'
),
totali AS (
    SELECT fonte, territorio_id, periodo, rilascio, valore AS totale_attive
    FROM marts.contesto_osservazioni
    WHERE misura = 'sedi_impresa' AND dimensione = 'status_impresa' AND valore_dimensione = 'Attive'
)
SELECT
    s.*,
    t.totale_attive,
    100.0 * s.imprese_attive / t.totale_attive AS quota_pct,
    CASE WHEN s.settore_padre IS NULL THEN rank() OVER (
        PARTITION BY s.territorio_id, s.periodo, s.rilascio, s.settore_padre IS NULL
        ORDER BY s.imprese_attive DESC) END AS rango
FROM settori AS s
LEFT JOIN totali AS t USING (fonte, territorio_id, periodo, rilascio)
ORDER BY s.territorio_id, s.periodo, s.imprese_attive DESC
