-- The context fact table: territorio × periodo × dimensione × misura × unita × fonte × rilascio.
-- Every release is kept (ultimo_rilascio marks the latest per key). Additive measures given only
-- for smaller territories are summed upwards (comuni -> provincia and area; provinces -> region ->
-- Italia; provinces -> a Camera spanning several) when every part is present, never partially;
-- such rows say aggregato = true.
WITH base AS (
    SELECT s.*, d.livello, false AS aggregato
    FROM staging.stg_contesto_osservazioni AS s
    JOIN marts.dim_territorio AS d ON d.territorio_id = s.territorio_id
),
additivi AS (
    SELECT * FROM base WHERE unita IN ('n', 'euro', 'mln_euro') AND valore IS NOT NULL
),
-- parent territories of each territory, with how many parts each parent has
padri AS (
    SELECT territorio_id AS figlio, provincia_id AS padre, 'provincia' AS livello_padre FROM marts.dim_territorio WHERE livello = 'comune'
    UNION ALL
    SELECT territorio_id, padre_id, 'area' FROM marts.dim_territorio WHERE livello = 'comune' AND padre_id LIKE 'A%'
    UNION ALL
    SELECT territorio_id, regione_id, 'regione' FROM marts.dim_territorio WHERE livello = 'provincia'
    UNION ALL
    SELECT territorio_id, 'IT', 'italia' FROM marts.dim_territorio WHERE livello = 'regione'
    UNION ALL
    SELECT provincia_id, camera_id, 'camera' FROM marts.territorio_camera
    WHERE camera_id IN (SELECT camera_id FROM marts.territorio_camera GROUP BY camera_id HAVING count(*) > 1)
),
parti AS (
    SELECT padre, livello_padre, count(*) AS n_parti FROM padri GROUP BY ALL
),
livello1 AS (  -- comuni -> provincia, area
    SELECT a.fonte, p.padre AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, count(*) AS n, any_value(pt.n_parti) AS n_parti, p.livello_padre
    FROM additivi AS a JOIN padri AS p ON p.figlio = a.territorio_id AND p.livello_padre IN ('provincia', 'area')
    JOIN parti AS pt ON pt.padre = p.padre
    WHERE a.livello = 'comune'
    GROUP BY ALL
),
con_livello1 AS (
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore, livello
    FROM additivi
    UNION ALL
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore, livello_padre
    FROM livello1 WHERE n = n_parti
),
livello2 AS (  -- provinces -> region, Camera
    SELECT a.fonte, p.padre AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, count(*) AS n, any_value(pt.n_parti) AS n_parti, p.livello_padre
    FROM con_livello1 AS a JOIN padri AS p ON p.figlio = a.territorio_id AND p.livello_padre IN ('regione', 'camera')
    JOIN parti AS pt ON pt.padre = p.padre
    WHERE a.livello = 'provincia'
    GROUP BY ALL
),
con_livello2 AS (
    SELECT * FROM con_livello1
    UNION ALL
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore, livello_padre
    FROM livello2 WHERE n = n_parti
),
livello3 AS (  -- regions -> Italia
    SELECT a.fonte, 'IT' AS territorio_id, a.periodo, a.dimensione, a.valore_dimensione, a.misura, a.unita, a.rilascio,
        sum(a.valore) AS valore, count(*) AS n
    FROM con_livello2 AS a
    WHERE a.livello = 'regione'
    GROUP BY ALL
),
aggregati AS (
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore
    FROM con_livello2 AS c
    WHERE c.livello IN ('provincia', 'area', 'regione', 'camera')
      AND NOT EXISTS (
          SELECT 1 FROM base AS b
          WHERE b.fonte = c.fonte AND b.territorio_id = c.territorio_id AND b.periodo = c.periodo
            AND b.dimensione = c.dimensione AND b.valore_dimensione = c.valore_dimensione
            AND b.misura = c.misura AND b.rilascio = c.rilascio)
    UNION ALL
    SELECT fonte, territorio_id, periodo, dimensione, valore_dimensione, misura, unita, rilascio, valore
    FROM livello3 AS c
    WHERE n = (SELECT count(*) FROM marts.dim_territorio WHERE livello = 'regione')
      AND NOT EXISTS (
          SELECT 1 FROM base AS b
          WHERE b.fonte = c.fonte AND b.territorio_id = 'IT' AND b.periodo = c.periodo
            AND b.dimensione = c.dimensione AND b.valore_dimensione = c.valore_dimensione
            AND b.misura = c.misura AND b.rilascio = c.rilascio)
),
tutte AS (
    SELECT fonte, territorio_id, periodo, anno, tipo_periodo, periodo_prec, dimensione, valore_dimensione, misura,
        valore, unita, risoluzione, rilascio, provvisorio, natura, riferimento, file_nome, riga, campione, aggregato
    FROM base
    UNION ALL
    SELECT a.fonte, a.territorio_id, a.periodo, CAST(substr(a.periodo, 1, 4) AS INTEGER),
        tipo_periodo(a.periodo), periodo_prec(a.periodo),
        a.dimensione, a.valore_dimensione, a.misura, a.valore, a.unita, 1.0, a.rilascio, false, 'ufficiale',
        NULL, NULL, NULL, false, true
    FROM aggregati AS a
)
SELECT
    o.*,
    d.livello,
    d.nome AS territorio,
    d.regione_id,
    f.fonte_testo,
    o.rilascio = max(o.rilascio) OVER (
        PARTITION BY o.fonte, o.territorio_id, o.periodo, o.dimensione, o.valore_dimensione, o.misura) AS ultimo_rilascio
FROM tutte AS o
JOIN marts.dim_territorio AS d ON d.territorio_id = o.territorio_id
JOIN meta.fonti AS f ON f.id = o.fonte
