-- Section "La popolazione" (001:689-724): residents of each territory at each date from the population
-- by sex and age, with the share of women, of the over 64 and of the under 15, the old-age index
-- (over 64 per 100 under 15, 001:713) and the territory's share of its region.
WITH per_eta AS (
    SELECT fonte, territorio_id, territorio, livello, periodo, rilascio, natura,
        split_part(valore_dimensione, '|', 1) AS sesso,
        TRY_CAST(split_part(valore_dimensione, '|', 2) AS INTEGER) AS eta,
        valore
    FROM marts.contesto_osservazioni
    WHERE misura = 'popolazione' AND dimensione = 'sesso|eta' AND valore IS NOT NULL
),
totali AS (
    SELECT fonte, territorio_id, territorio, livello, periodo, rilascio, any_value(natura) AS natura,
        sum(valore) AS residenti,
        sum(valore) FILTER (WHERE sesso = 'femmine') AS femmine,
        sum(valore) FILTER (WHERE eta >= 65) AS over64,
        sum(valore) FILTER (WHERE eta < 15) AS under15
    FROM per_eta
    GROUP BY ALL
)
SELECT
    t.*,
    100.0 * t.femmine / t.residenti AS quota_femmine_pct,
    100.0 * t.over64 / t.residenti AS quota_over64_pct,
    100.0 * t.under15 / t.residenti AS quota_under15_pct,
    100.0 * t.over64 / nullif(t.under15, 0) AS indice_vecchiaia,
    d.regione_id,
    100.0 * t.residenti / r.residenti AS quota_regione_pct
FROM totali AS t
JOIN marts.dim_territorio AS d USING (territorio_id)
LEFT JOIN totali AS r
       ON r.territorio_id = d.regione_id AND r.fonte = t.fonte AND r.periodo = t.periodo AND r.rilascio = t.rilascio
       AND t.livello <> 'regione'
ORDER BY t.territorio_id, t.periodo
