-- Which territory each territory was part of, and when: a comune code in the province version of its
-- first three digits on each day both were valid, the comuni of today in their sub-provincial area,
-- a province version in its region, a region in Italia. Sums upwards use the parts valid at the
-- reference date of the figures (the comuni of Sassari in 2009 are not those of 2019).
SELECT 'C' || c.codice AS territorio_id, p.territorio_id AS padre_id, 'provincia' AS livello_padre,
    greatest(c.valido_dal, p.valido_dal) AS valido_dal, least(c.valido_al, p.valido_al) AS valido_al
FROM staging.stg_territorio_comuni AS c
JOIN staging.stg_territorio_province AS p
  ON p.codice_istat = c.codice_provincia AND p.valido_dal <= c.valido_al AND p.valido_al >= c.valido_dal
UNION ALL
SELECT t.territorio_id, t.padre_id, 'area', t.valido_dal, t.valido_al
FROM staging.stg_territorio AS t WHERE t.livello = 'comune' AND t.padre_id LIKE 'A%'
UNION ALL
SELECT territorio_id, regione_id, 'regione', valido_dal, valido_al FROM staging.stg_territorio WHERE livello = 'provincia'
UNION ALL
SELECT territorio_id, 'IT', 'italia', valido_dal, valido_al FROM staging.stg_territorio WHERE livello = 'regione'
