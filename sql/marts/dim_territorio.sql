-- The conformed territory dimension: Italia, regions, provinces (Istat code, car plate, NUTS 2010
-- as Istat's data use it, NUTS 2024), sub-provincial areas, comuni, and each Camera's territory.
SELECT
    t.*,
    (SELECT count(*) FROM staging.stg_territorio AS c WHERE c.livello = 'comune' AND c.provincia_id = t.territorio_id)
        AS n_comuni
FROM staging.stg_territorio AS t
ORDER BY t.livello, t.territorio_id
