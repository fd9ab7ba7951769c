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
-- the distinct modalities are few (thousands) where the rows are millions: split the modalities, not
-- the rows, and find for each component with an ancestor the parent modality it is a share of
modalita AS (
    SELECT dimensione, valore_dimensione, string_split(dimensione, '|') AS dims,
        string_split(valore_dimensione, '|') AS vals
    FROM (SELECT DISTINCT dimensione, valore_dimensione FROM marts.contesto_osservazioni WHERE valore IS NOT NULL)
),
parti AS (
    SELECT m.dimensione, m.valore_dimensione, m.dims[i] AS componente, a.antenato, a.distanza,
        NOT EXISTS (SELECT 1 FROM meta.gerarchie_contesto AS h
                    WHERE h.dimensione = a.dimensione AND h.valore = a.antenato) AS radice,
        array_to_string(list_transform(generate_series(1, len(m.vals)),
                                       lambda j: CASE WHEN j = i THEN a.antenato ELSE m.vals[j] END), '|') AS valore_padre
    FROM modalita AS m, generate_series(1, len(m.dims)) AS g(i)
    JOIN antenati AS a ON a.dimensione = m.dims[i] AND a.valore = m.vals[i]
)
SELECT
    c.fonte, c.territorio_id, c.territorio, c.periodo, c.dimensione, p.componente, c.valore_dimensione,
    p.valore_padre, p.distanza, p.radice, c.misura, c.unita, c.rilascio, c.ultimo_rilascio, c.valore,
    t.valore AS valore_padre_numero,
    100.0 * c.valore / t.valore AS quota_pct,
    errore_quota(c.valore, c.risoluzione, t.valore, t.risoluzione) AS errore_arrotondamento,
    CASE WHEN 'pubblicato' IN (c.natura, t.natura) THEN 'pubblicato' ELSE c.natura END AS natura
FROM marts.contesto_osservazioni AS c
JOIN parti AS p ON p.dimensione = c.dimensione AND p.valore_dimensione = c.valore_dimensione
JOIN marts.contesto_osservazioni AS t
  ON t.fonte = c.fonte AND t.rilascio = c.rilascio AND t.territorio_id = c.territorio_id AND t.periodo = c.periodo
 AND t.dimensione = c.dimensione AND t.valore_dimensione = p.valore_padre AND t.misura = c.misura
WHERE c.valore IS NOT NULL AND t.valore <> 0
