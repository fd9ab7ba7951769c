-- Every territory as each file of the context sources and the published chapters writes it (code or
-- name, with the level when the source gives one), resolved once against the territories valid on
-- the day the file's geography refers to (090 in 2009 is Sassari without Olbia-Tempio; SASSARI in June
-- 2025 is the province of 2016-2025, not the metropolitan city of 2026).
-- data_geografia: a file describes its figures of one reference date with the codes of one day, which
-- publishers often take a little later (MEF's income of 2018 already uses the comuni merged on
-- 1/1/2019; Istat's demographic balance of 2016 keeps the eight Sardinian provinces of 1/1/2016): the
-- day, within three years of the reference date, on which most of the file's codes were valid, the
-- nearest to the reference date among equals.
-- esito_territorio:
-- - riconosciuto: one territory carried that code or name on that day;
-- - riconosciuto_fuori_data: the code is valid on other days only (an old or a future code): the
--   territory it named on the nearest day, counted in the findings; names are never matched this way;
-- - ambiguo: more than one territory (say the level); sconosciuto: none.
-- Codes come before names: a name is matched only when no code matches. A row the source writes
-- without a territory (MEF's comune 0, InfoCamere's "Territorio non definito (REGIONE)"), as
-- data/territorio/territori_non_attribuiti.csv describes it, is the unattributed part of Italia or of
-- its region (NR_IT, NR_R13).
-- in_elenchi: the writing is in some version of the code lists, on some day (stg_territorio_codici);
-- sconosciuto and not in_elenchi is really unknown: a typo, a foreign code, a column shifted.
-- scritti_da (a relation with the columns of `scritti`) lets the loader resolve a file's writings
-- with this same logic before they are written to raw (pipelines.loading.unknown_territories).
WITH scritti AS (
{%- if scritti_da is defined %}
    SELECT DISTINCT fonte, file_nome, territorio, livello, data_riferimento FROM {{ scritti_da }}
{%- else %}
{%- for f in fonti_contesto %}
    SELECT DISTINCT fonte, file_nome, territorio, livello, data_riferimento FROM {{ f.tabella }}
    UNION
{%- endfor %}
    SELECT DISTINCT fonte, file_nome, territorio, livello, data_riferimento FROM raw.contesto_pubblicati
{%- endif %}
),
corrispondenze AS (
    SELECT s.fonte, s.file_nome, s.territorio, s.livello, s.data_riferimento, c.territorio_id, c.tipo,
        c.tipo LIKE 'nome%' AS per_nome, c.valido_dal, c.valido_al
    FROM scritti AS s
    JOIN staging.stg_territorio_codici AS c
      ON c.codice = norm_nome(s.territorio) AND (s.livello IS NULL OR s.livello = '' OR c.livello = s.livello)
),
giorni_candidati AS (
    SELECT DISTINCT fonte, file_nome, data_riferimento, coalesce(data_riferimento, current_date) AS giorno
    FROM scritti
    UNION
    SELECT DISTINCT fonte, file_nome, data_riferimento, unnest([valido_dal, valido_al]) AS giorno
    FROM corrispondenze
    WHERE data_riferimento IS NOT NULL
),
punteggi AS (
    SELECT g.fonte, g.file_nome, g.data_riferimento, g.giorno, count(DISTINCT (c.territorio, c.livello)) AS validi
    FROM giorni_candidati AS g
    JOIN corrispondenze AS c
      ON c.fonte = g.fonte AND c.file_nome IS NOT DISTINCT FROM g.file_nome
     AND c.data_riferimento IS NOT DISTINCT FROM g.data_riferimento
     AND g.giorno BETWEEN c.valido_dal AND c.valido_al
    WHERE g.data_riferimento IS NULL OR abs(g.giorno - g.data_riferimento) <= 1096
    GROUP BY ALL
),
geografia AS (
    SELECT fonte, file_nome, data_riferimento,
        arg_max(giorno, validi * 100000 - abs(giorno - coalesce(data_riferimento, current_date))) AS data_geografia
    FROM punteggi GROUP BY ALL
),
candidati AS (
    SELECT c.*, coalesce(g.data_geografia, c.data_riferimento, current_date) AS data_geografia,
        CASE WHEN coalesce(g.data_geografia, c.data_riferimento, current_date) BETWEEN c.valido_dal AND c.valido_al THEN 0
             ELSE least(abs(coalesce(g.data_geografia, c.data_riferimento, current_date) - c.valido_dal),
                        abs(coalesce(g.data_geografia, c.data_riferimento, current_date) - c.valido_al)) END
            AS giorni_fuori_data
    FROM corrispondenze AS c
    LEFT JOIN geografia AS g
      ON g.fonte = c.fonte AND g.file_nome IS NOT DISTINCT FROM c.file_nome
     AND g.data_riferimento IS NOT DISTINCT FROM c.data_riferimento
),
migliori AS (
    SELECT * FROM candidati
    WHERE giorni_fuori_data = 0 OR NOT per_nome
    QUALIFY rank() OVER (PARTITION BY fonte, file_nome, territorio, livello, data_riferimento
                         ORDER BY per_nome, giorni_fuori_data) = 1
),
-- rows a source writes without a territory (data/territorio/territori_non_attribuiti.csv): part of
-- Italia, or of the region the expression captures, but of nothing below
non_attribuiti AS (
    SELECT DISTINCT s.fonte, s.file_nome, s.territorio, s.livello, s.data_riferimento,
        CASE n.parte_di WHEN 'italia' THEN 'NR_IT' ELSE 'NR_' || r.territorio_id END AS territorio_id,
        'non_attribuito' AS tipo, false AS per_nome, NULL::DATE AS valido_dal, NULL::DATE AS valido_al,
        NULL::DATE AS data_geografia, 0 AS giorni_fuori_data
    FROM scritti AS s
    JOIN raw.territori_non_attribuiti AS n ON n.fonte = s.fonte AND regexp_full_match(s.territorio, n.espressione)
    LEFT JOIN staging.stg_territorio_codici AS r
           ON n.parte_di = 'regione' AND r.livello = 'regione'
          AND r.codice = norm_nome(regexp_extract(s.territorio, n.espressione, 1))
    WHERE n.parte_di = 'italia' OR r.territorio_id IS NOT NULL
),
esiti AS (
    SELECT fonte, file_nome, territorio, livello, data_riferimento,
        CASE WHEN count(DISTINCT territorio_id) = 1 THEN min(territorio_id) END AS territorio_id,
        CASE WHEN count(DISTINCT territorio_id) > 1 THEN 'ambiguo'
             WHEN min(giorni_fuori_data) > 0 THEN 'riconosciuto_fuori_data'
             ELSE 'riconosciuto' END AS esito_territorio,
        string_agg(DISTINCT tipo, ', ' ORDER BY tipo) AS tipo_codice,
        min(giorni_fuori_data) AS giorni_fuori_data
    FROM (SELECT * FROM migliori
          UNION ALL BY NAME
          SELECT * FROM non_attribuiti AS n
          WHERE NOT EXISTS (SELECT 1 FROM migliori AS m WHERE m.fonte = n.fonte AND m.territorio = n.territorio))
    GROUP BY ALL
)
SELECT
    s.fonte,
    s.file_nome,
    s.territorio,
    s.livello,
    s.data_riferimento,
    coalesce(g.data_geografia, s.data_riferimento, current_date) AS data_geografia,
    e.territorio_id,
    coalesce(e.esito_territorio, 'sconosciuto') AS esito_territorio,
    e.tipo_codice,
    e.giorni_fuori_data,
    e.territorio_id IS NOT NULL OR norm_nome(s.territorio) IN (SELECT codice FROM staging.stg_territorio_codici)
        AS in_elenchi
FROM scritti AS s
LEFT JOIN geografia AS g
       ON g.fonte = s.fonte AND g.file_nome IS NOT DISTINCT FROM s.file_nome
      AND g.data_riferimento IS NOT DISTINCT FROM s.data_riferimento
LEFT JOIN esiti AS e
       ON e.fonte = s.fonte AND e.file_nome IS NOT DISTINCT FROM s.file_nome AND e.territorio = s.territorio
      AND e.livello IS NOT DISTINCT FROM s.livello AND e.data_riferimento IS NOT DISTINCT FROM s.data_riferimento
