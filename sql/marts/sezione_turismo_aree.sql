-- Section "Il turismo", tourism by sub-provincial area (001:677-685, 003:2084-2100): arrivals and nights
-- of each area by provenance, the average stay, the area's share of its province and the provenance's
-- share of the area. The province's figure is the same source, period and release, taken from its
-- provenance table or, when the province was delivered by kind of accommodation, from that table's
-- total over every kind ("Totale|<provenienza>").
WITH aree AS (
    SELECT o.fonte, o.territorio_id, o.territorio, d.provincia_id, o.periodo, o.valore_dimensione AS provenienza,
        o.rilascio, o.natura,
        max(o.valore) FILTER (WHERE o.misura = 'arrivi') AS arrivi,
        max(o.valore) FILTER (WHERE o.misura = 'presenze') AS presenze
    FROM marts.contesto_osservazioni AS o
    JOIN marts.dim_territorio AS d USING (territorio_id)
    WHERE o.livello = 'area' AND o.dimensione = 'provenienza' AND o.misura IN ('arrivi', 'presenze')
    GROUP BY ALL
),
province_tutte AS (
    SELECT fonte, territorio_id AS provincia_id, periodo, rilascio, dimensione,
        CASE WHEN dimensione = 'provenienza' THEN valore_dimensione ELSE split_part(valore_dimensione, '|', 2) END
            AS provenienza,
        max(valore) FILTER (WHERE misura = 'arrivi') AS arrivi_provincia,
        max(valore) FILTER (WHERE misura = 'presenze') AS presenze_provincia
    FROM marts.contesto_osservazioni
    WHERE livello = 'provincia' AND misura IN ('arrivi', 'presenze')
      AND (dimensione = 'provenienza'
           OR (dimensione = 'tipo_esercizio|provenienza' AND split_part(valore_dimensione, '|', 1) = 'Totale'))
    GROUP BY ALL
),
province AS (  -- one figure per provenance: the provenance table when the province has both
    SELECT * EXCLUDE (dimensione)
    FROM province_tutte
    QUALIFY row_number() OVER (PARTITION BY fonte, provincia_id, periodo, rilascio, provenienza
                               ORDER BY dimensione = 'provenienza' DESC) = 1
)
SELECT
    a.*,
    a.presenze / nullif(a.arrivi, 0) AS permanenza_media,
    p.arrivi_provincia,
    p.presenze_provincia,
    100.0 * a.arrivi / nullif(p.arrivi_provincia, 0) AS quota_arrivi_provincia_pct,
    100.0 * a.presenze / nullif(p.presenze_provincia, 0) AS quota_presenze_provincia_pct,
    100.0 * a.arrivi / nullif(max(a.arrivi) FILTER (WHERE a.provenienza = 'Totale') OVER w, 0) AS quota_arrivi_area_pct,
    100.0 * a.presenze / nullif(max(a.presenze) FILTER (WHERE a.provenienza = 'Totale') OVER w, 0) AS quota_presenze_area_pct
FROM aree AS a
LEFT JOIN province AS p USING (fonte, provincia_id, periodo, rilascio, provenienza)
WINDOW w AS (PARTITION BY a.fonte, a.territorio_id, a.periodo, a.rilascio)
ORDER BY a.provincia_id, a.periodo, a.territorio_id, a.provenienza
