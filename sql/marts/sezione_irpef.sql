-- Section "Il reddito delle famiglie", IRPEF (001:480): taxpayers and taxable income of each province,
-- region and Italia with the income per taxpayer (marts.contesto_indicatori), and the rank of the income
-- per taxpayer among the provinces of the region with the provinces ahead ("in quinta posizione dopo
-- Firenze, Pisa, Siena e Livorno"); n_province_regione counts the provinces of the region valid at the
-- end of the tax year, so a rank is printed only when every one of them has the figure.
WITH livelli AS (
    SELECT fonte, territorio_id, periodo, rilascio,
        max(valore) FILTER (WHERE misura = 'contribuenti') AS contribuenti,
        max(valore) FILTER (WHERE misura = 'reddito_imponibile') AS reddito_imponibile
    FROM marts.contesto_osservazioni
    WHERE misura IN ('contribuenti', 'reddito_imponibile') AND dimensione = 'totale'
      AND livello IN ('provincia', 'camera', 'regione', 'italia')
    GROUP BY ALL
),
per_contribuente AS (
    SELECT i.fonte, i.territorio_id, i.territorio, d.livello, d.regione_id, i.periodo, i.rilascio, i.natura,
        l.contribuenti, l.reddito_imponibile, i.valore AS reddito_per_contribuente
    FROM marts.contesto_indicatori AS i
    JOIN marts.dim_territorio AS d USING (territorio_id)
    JOIN livelli AS l USING (fonte, territorio_id, periodo, rilascio)
    WHERE i.indicatore = 'reddito_imponibile_per_contribuente'
),
province_regione AS (
    SELECT p.periodo, d.regione_id, count(*) AS n_province_regione
    FROM (SELECT DISTINCT periodo FROM per_contribuente) AS p
    JOIN marts.dim_territorio AS d
      ON d.livello = 'provincia'
     AND make_date(TRY_CAST(p.periodo AS INTEGER), 12, 31)
         BETWEEN coalesce(d.valido_dal, DATE '1900-01-01') AND coalesce(d.valido_al, DATE '9999-12-31')
    GROUP BY ALL
)
SELECT
    c.*,
    CASE WHEN c.livello = 'provincia' THEN rank() OVER w END AS rango_regione,
    CASE WHEN c.livello = 'provincia' THEN count(*) OVER (PARTITION BY c.fonte, c.periodo, c.rilascio, c.regione_id, c.livello) END
        AS n_regione,
    CASE WHEN c.livello = 'provincia'
         THEN coalesce(list(c.territorio) OVER (w RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP), []) END
        AS precedenti_regione,
    n.n_province_regione
FROM per_contribuente AS c
LEFT JOIN province_regione AS n ON n.periodo = c.periodo AND n.regione_id = c.regione_id
WINDOW w AS (PARTITION BY c.fonte, c.periodo, c.rilascio, c.regione_id, c.livello ORDER BY c.reddito_per_contribuente DESC)
ORDER BY c.territorio_id, c.periodo
