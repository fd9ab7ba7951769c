-- Q1 for the context: the modalities of a dimension sum to their parent (branches to the total,
-- statuses to the registered companies, areas of destination to the world), and the provinces of
-- a region to the region, within the rounding of the printed inputs.
WITH o AS (
    SELECT *, string_split(dimensione, '|') AS dims, string_split(valore_dimensione, '|') AS vals
    FROM marts.contesto_osservazioni
    WHERE ultimo_rilascio AND NOT aggregato AND valore IS NOT NULL AND unita IN ('n', 'euro', 'mln_euro')
),
figli AS (
    SELECT o.*, i AS posizione, array_to_string(list_transform(generate_series(1, len(o.vals)),
                                               lambda j: CASE WHEN j = i THEN h.padre ELSE o.vals[j] END), '|') AS valore_padre
    FROM o, generate_series(1, len(o.dims)) AS g(i)
    JOIN meta.gerarchie_contesto AS h ON h.dimensione = o.dims[i] AND h.valore = o.vals[i]
),
somme_dimensione AS (
    SELECT fonte, territorio_id, periodo, dimensione, valore_padre, misura, rilascio,
        sum(valore) AS somma, count(*) AS n, sum(0.5 * risoluzione) AS errore,
        string_agg(valore_dimensione, ' + ' ORDER BY valore_dimensione) AS parti
    FROM figli
    GROUP BY fonte, territorio_id, periodo, dimensione, valore_padre, misura, rilascio, posizione
),
province_per_regione AS (  -- the provinces of each region on the day of each file's geography
    SELECT a.padre_id AS regione_id, g.data_geografia, count(*) AS n_province
    FROM staging.stg_territorio_appartenenze AS a
    JOIN (SELECT DISTINCT data_geografia FROM o) AS g ON g.data_geografia BETWEEN a.valido_dal AND a.valido_al
    WHERE a.livello_padre = 'regione'
    GROUP BY ALL
),
province AS (
    SELECT o.fonte, d.regione_id AS territorio_id, o.periodo, o.dimensione, o.valore_dimensione AS valore_padre,
        o.misura, o.rilascio, sum(o.valore) AS somma, count(*) AS n, sum(0.5 * o.risoluzione) AS errore,
        'province della regione' AS parti, any_value(r.n_province) AS n_province
    FROM o
    JOIN marts.dim_territorio AS d USING (territorio_id)
    JOIN province_per_regione AS r ON r.regione_id = d.regione_id AND r.data_geografia = o.data_geografia
    WHERE d.livello = 'provincia'
    GROUP BY o.fonte, d.regione_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura, o.rilascio
),
somme AS (
    SELECT * FROM somme_dimensione
    UNION ALL
    SELECT * EXCLUDE (n_province) FROM province WHERE n = n_province
)
SELECT
    'Q1' AS controllo,
    'avviso' AS gravita,
    t.territorio,
    t.anno,
    t.periodo,
    t.misura || ' ' || t.valore_dimensione AS voce,
    t.file_nome AS file,
    t.riga,
    'valore' AS colonna,
    t.valore AS valore_fornito,
    s.somma AS valore_calcolato,
    format('{} {} «{}» ({}, {}): il totale è {} ma le parti ({}) sommano a {}', t.territorio,
           coalesce(nullif(m.etichetta, ''), t.misura), t.valore_dimensione, periodo_it(t.periodo), t.fonte,
           fmt_it(t.valore, 0), s.parti, fmt_it(s.somma, 0)) AS messaggio
FROM somme AS s
JOIN o AS t
  ON t.fonte = s.fonte AND t.territorio_id = s.territorio_id AND t.periodo = s.periodo AND t.dimensione = s.dimensione
 AND t.valore_dimensione = s.valore_padre AND t.misura = s.misura AND t.rilascio = s.rilascio
LEFT JOIN meta.misure_pubblicate AS m ON m.misura_pubblicata = t.misura
WHERE abs(t.valore - s.somma) > s.errore + 0.5 * t.risoluzione
