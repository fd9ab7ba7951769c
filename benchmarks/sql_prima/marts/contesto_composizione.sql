-- Composition: each modality's share of its parent and of every ancestor up to the dimension's
-- total (data/catalog/gerarchie_contesto.csv: Costruzioni is a share of Totale Industria and of
-- Totale), for each component of a composite dimension (Alberghiero|Italiani is a share of
-- Alberghiero|Totale and of Totale|Italiani). Both values from the same source, release,
-- territory and period.
WITH RECURSIVE antenati(dimensione, valore, antenato, distanza) AS (
    SELECT dimensione, valore, padre, 1 FROM meta.gerarchie_contesto
    UNION ALL
    SELECT a.dimensione, a.valore, h.padre, a.distanza + 1
    FROM antenati AS a
    JOIN meta.gerarchie_contesto AS h ON h.dimensione = a.dimensione AND h.valore = a.antenato
),
o AS (
    SELECT *, string_split(dimensione, '|') AS dims, string_split(valore_dimensione, '|') AS vals
    FROM marts.contesto_osservazioni
    WHERE valore IS NOT NULL
),
componenti AS (
    SELECT o.*, i AS posizione, o.dims[i] AS componente, a.antenato, a.distanza,
        NOT EXISTS (SELECT 1 FROM meta.gerarchie_contesto AS h
                    WHERE h.dimensione = a.dimensione AND h.valore = a.antenato) AS radice,
        array_to_string(list_transform(generate_series(1, len(o.vals)),
                                       lambda j: CASE WHEN j = i THEN a.antenato ELSE o.vals[j] END), '|') AS valore_padre
    FROM o, generate_series(1, len(o.dims)) AS g(i)
    JOIN antenati AS a ON a.dimensione = o.dims[i] AND a.valore = o.vals[i]
)
SELECT
    c.fonte, c.territorio_id, c.territorio, c.periodo, c.dimensione, c.componente, c.valore_dimensione,
    c.valore_padre, c.distanza, c.radice, c.misura, c.unita, c.rilascio, c.ultimo_rilascio, c.valore,
    t.valore AS valore_padre_numero,
    100.0 * c.valore / t.valore AS quota_pct,
    errore_quota(c.valore, c.risoluzione, t.valore, t.risoluzione) AS errore_arrotondamento,
    CASE WHEN 'pubblicato' IN (c.natura, t.natura) THEN 'pubblicato' ELSE c.natura END AS natura
FROM componenti AS c
JOIN o AS t
  ON t.fonte = c.fonte AND t.rilascio = c.rilascio AND t.territorio_id = c.territorio_id AND t.periodo = c.periodo
 AND t.dimensione = c.dimensione AND t.valore_dimensione = c.valore_padre AND t.misura = c.misura
WHERE t.valore <> 0
