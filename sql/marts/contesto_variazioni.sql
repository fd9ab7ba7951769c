-- Change on the same period a year earlier (year on year, same months for cumulated periods,
-- same date for stocks), both values taken from the same release: a revision never mixes in.
SELECT
    o.fonte, o.territorio_id, o.territorio, o.livello, o.periodo, p.periodo AS periodo_prec, o.dimensione,
    o.valore_dimensione, o.misura, o.unita, o.rilascio, o.ultimo_rilascio, o.valore, p.valore AS valore_prec,
    o.valore - p.valore AS variazione_assoluta,
    CASE WHEN o.unita IN ('n', 'euro', 'mln_euro') AND p.valore <> 0
         THEN 100.0 * (o.valore - p.valore) / abs(p.valore) END AS variazione_pct,
    CASE WHEN o.unita IN ('n', 'euro', 'mln_euro') AND p.valore <> 0
         THEN 100.0 * (0.5 * o.risoluzione + abs(o.valore / p.valore) * 0.5 * p.risoluzione) / abs(p.valore)
    END AS errore_arrotondamento,
    o.provvisorio OR p.provvisorio AS provvisorio,
    CASE WHEN 'pubblicato' IN (o.natura, p.natura) THEN 'pubblicato' ELSE o.natura END AS natura
FROM marts.contesto_osservazioni AS o
JOIN marts.contesto_osservazioni AS p
  ON p.fonte = o.fonte AND p.rilascio = o.rilascio AND p.territorio_id = o.territorio_id
 AND p.periodo = o.periodo_prec AND p.dimensione = o.dimensione AND p.valore_dimensione = o.valore_dimensione
 AND p.misura = o.misura
WHERE o.valore IS NOT NULL AND p.valore IS NOT NULL
