-- Rank of each province among the provinces of its region and among all Italian provinces
-- (1 = highest value), with the provinces ranked above it in the region, in order, so a sentence
-- can say "terzo posto in regione, dopo ..." with the provinces ahead. Ties share a rank. n_italia counts the provinces
-- ranked (those with a value); n_province_alla_data the provinces that existed on the day of the file's
-- geography (107 in 2019, 110 in 2026), so a sentence can say "su 107 province", and
-- n_regione_alla_data those of the province's region: a rank is printed only when
-- every province existing that day has the figure (n_regione = n_regione_alla_data).
WITH p AS (
    SELECT * FROM marts.contesto_osservazioni
    WHERE livello = 'provincia' AND valore IS NOT NULL
),
province_alla_data AS (
    SELECT g.data_geografia, d.regione_id, count(*) AS n_regione_alla_data
    FROM (SELECT DISTINCT data_geografia FROM p) AS g
    JOIN marts.dim_territorio AS d ON d.livello = 'provincia' AND g.data_geografia BETWEEN d.valido_dal AND d.valido_al
    GROUP BY 1, 2
),
italia_alla_data AS (
    SELECT data_geografia, sum(n_regione_alla_data)::BIGINT AS n_province_alla_data FROM province_alla_data GROUP BY 1
),
ranghi AS (
    SELECT
        p.*,
        rank() OVER w_regione AS rango_regione,
        count(*) OVER (PARTITION BY fonte, rilascio, periodo, dimensione, valore_dimensione, misura, regione_id) AS n_regione,
        rank() OVER w_italia AS rango_italia,
        count(*) OVER (PARTITION BY fonte, rilascio, periodo, dimensione, valore_dimensione, misura) AS n_italia,
        -- the provinces strictly above (the frame up to this row, without the rows tied with it)
        -- (ties among them in name order: an edition rebuilds byte for byte)
        coalesce(list(territorio ORDER BY valore DESC, territorio) OVER (w_regione RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP),
                 []) AS precedenti_regione
    FROM p
    WINDOW w_regione AS (PARTITION BY fonte, rilascio, periodo, dimensione, valore_dimensione, misura, regione_id ORDER BY valore DESC),
           w_italia AS (PARTITION BY fonte, rilascio, periodo, dimensione, valore_dimensione, misura ORDER BY valore DESC)
)
SELECT
    r.fonte, r.territorio_id, r.territorio, r.regione_id, r.periodo, r.dimensione, r.valore_dimensione, r.misura,
    r.unita, r.rilascio, r.ultimo_rilascio, r.natura, r.valore, r.rango_regione, r.n_regione, r.rango_italia, r.n_italia,
    i.n_province_alla_data,
    n.n_regione_alla_data,
    r.precedenti_regione
FROM ranghi AS r
LEFT JOIN italia_alla_data AS i ON i.data_geografia = r.data_geografia
LEFT JOIN province_alla_data AS n ON n.data_geografia = r.data_geografia AND n.regione_id = r.regione_id
