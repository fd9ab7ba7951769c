-- Share of each territory on its region and on Italia (and of an area on its province), for
-- additive measures (meta.misure), both values from the same source, release, period and dimension (every release;
-- ultimo_rilascio marks the latest).
WITH o AS (
    SELECT o.*, d.provincia_id
    FROM marts.contesto_osservazioni AS o
    JOIN marts.dim_territorio AS d USING (territorio_id)
    JOIN meta.misure AS m ON m.misura = o.misura AND m.aggregazione = 'additiva'
    WHERE o.valore IS NOT NULL
),
riferimenti AS (
    SELECT o.*, 'regione' AS su, o.regione_id AS riferimento_id FROM o WHERE o.livello IN ('provincia', 'area', 'comune')
    UNION ALL
    SELECT o.*, 'italia', 'IT' FROM o WHERE o.livello IN ('regione', 'provincia', 'area', 'comune')
    UNION ALL
    SELECT o.*, 'provincia', o.provincia_id FROM o WHERE o.livello IN ('area', 'comune')
)
SELECT
    r.fonte, r.territorio_id, r.territorio, r.livello, r.periodo, r.dimensione, r.valore_dimensione, r.misura,
    r.unita, r.rilascio, r.ultimo_rilascio, r.valore,
    r.su AS quota_su,
    r.riferimento_id,
    t.valore AS valore_riferimento,
    100.0 * r.valore / t.valore AS quota_pct,
    -- bound of the error the printed inputs' rounding allows
    errore_quota(r.valore, r.risoluzione, t.valore, t.risoluzione) AS errore_arrotondamento,
    CASE WHEN 'pubblicato' IN (r.natura, t.natura) THEN 'pubblicato' ELSE r.natura END AS natura
FROM riferimenti AS r
JOIN o AS t
  ON t.territorio_id = r.riferimento_id AND t.fonte = r.fonte AND t.rilascio = r.rilascio AND t.periodo = r.periodo
 AND t.dimensione = r.dimensione AND t.valore_dimensione = r.valore_dimensione AND t.misura = r.misura
WHERE t.valore <> 0
