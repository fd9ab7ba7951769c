-- The provinces of each Camera's territory (several for a Camera born of a merger).
SELECT
    'CCIAA_' || m.codice AS camera_id,
    m.codice AS camera,
    m.nome AS nome_camera,
    'P' || p.provincia AS provincia_id,
    t.nome AS nome_provincia
FROM meta.camere AS m,
     unnest(string_split(m.province, ';')) AS p(provincia)
JOIN staging.stg_territorio AS t ON t.territorio_id = 'P' || p.provincia
ORDER BY camera, provincia_id
