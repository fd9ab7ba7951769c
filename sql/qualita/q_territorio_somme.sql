-- Italia = sum of the regions = sum of the provinces, for every additive figure of the same source,
-- date, modality and release, whatever combination of files gave them (a regional file and a
-- provincial file of the same date, or comuni summed upwards). The provinces are those that existed
-- on the day of the files' geography. A difference beyond the rounding of the printed inputs is
-- blocking: the national figure would not be the sum of its parts.
WITH o AS (
    SELECT * FROM marts.contesto_osservazioni
    WHERE ultimo_rilascio AND valore IS NOT NULL AND unita IN ('n', 'euro', 'mln_euro') AND natura = 'ufficiale'
),
province_esistenti AS (
    SELECT g.data_geografia, count(*) AS n
    FROM (SELECT DISTINCT data_geografia FROM o) AS g
    JOIN marts.dim_territorio AS d ON d.livello = 'provincia' AND g.data_geografia BETWEEN d.valido_dal AND d.valido_al
    GROUP BY 1
),
membri AS (  -- the regions, or the provinces, with the parts of Italia and of the regions not attributed below
    SELECT o.*, 'regione' AS insieme, o.livello = 'regione' AS conta FROM o
    WHERE o.livello = 'regione' OR o.territorio_id = 'NR_IT'
    UNION ALL
    SELECT o.*, 'provincia', o.livello = 'provincia' FROM o WHERE o.livello IN ('provincia', 'non_attribuito')
),
parti AS (
    SELECT fonte, periodo, dimensione, valore_dimensione, misura, rilascio, insieme AS livello,
        sum(valore) AS somma, count(*) FILTER (WHERE conta) AS n, sum(0.5 * risoluzione) AS errore,
        any_value(data_geografia) FILTER (WHERE conta) AS data_geografia
    FROM membri
    GROUP BY fonte, periodo, dimensione, valore_dimensione, misura, rilascio, insieme
),
complete AS (
    SELECT p.* FROM parti AS p
    WHERE (p.livello = 'regione' AND p.n = (SELECT count(*) FROM marts.dim_territorio WHERE livello = 'regione'))
       OR (p.livello = 'provincia' AND p.n = (SELECT e.n FROM province_esistenti AS e WHERE e.data_geografia = p.data_geografia))
)
SELECT
    'Q1' AS controllo,
    'bloccante' AS gravita,
    'Italia' AS territorio,
    t.anno,
    t.periodo,
    t.misura || ' ' || t.valore_dimensione AS voce,
    t.file_nome AS file,
    t.riga,
    'valore' AS colonna,
    t.valore AS valore_fornito,
    c.somma AS valore_calcolato,
    'Italia diversa dalla somma ' || CASE c.livello WHEN 'regione' THEN 'delle regioni' ELSE 'delle province' END AS causa,
    format('Italia {} «{}» ({}, {}): {} ma la somma delle {} {} è {}', coalesce(nullif(m.etichetta, ''), t.misura),
           t.valore_dimensione, periodo_it(t.periodo), t.fonte, fmt_it(t.valore, 0), c.n,
           CASE c.livello WHEN 'regione' THEN 'regioni' ELSE 'province' END, fmt_it(c.somma, 0))
        AS messaggio
FROM complete AS c
JOIN o AS t
  ON t.territorio_id = 'IT' AND t.fonte = c.fonte AND t.periodo = c.periodo AND t.dimensione = c.dimensione
 AND t.valore_dimensione = c.valore_dimensione AND t.misura = c.misura AND t.rilascio = c.rilascio
LEFT JOIN meta.misure_pubblicate AS m ON m.misura_pubblicata = t.misura
WHERE abs(t.valore - c.somma) > c.errore + 0.5 * t.risoluzione
