-- The conformed territory dimension: Italia, regions, provinces (one row per version, with the days
-- it was valid; Istat code, car plate, CL_ITTER107, NUTS 2006/2010/2021/2024), sub-provincial areas,
-- comuni (one row per Istat code), and each Camera's territory. n_comuni: the comuni of a province
-- or area on the last day it was valid (today for today's).
SELECT
    t.*,
    (SELECT count(*) FROM staging.stg_territorio_appartenenze AS a
     WHERE a.padre_id = t.territorio_id AND a.livello_padre IN ('provincia', 'area')
       AND least(t.valido_al, DATE '9999-12-30') BETWEEN a.valido_dal AND a.valido_al) AS n_comuni
FROM staging.stg_territorio AS t
ORDER BY t.livello, t.territorio_id
