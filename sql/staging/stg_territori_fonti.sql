-- Every territory as the context sources and the published chapters write it (code or name, with
-- the level when the source gives one), resolved once against the conformed dimension:
-- riconosciuto (one territory), sconosciuto (none) or ambiguo (more than one: say the level).
WITH scritti AS (
{%- for f in fonti_contesto %}
    SELECT DISTINCT territorio, livello FROM {{ f.tabella }}
    UNION
{%- endfor %}
    SELECT DISTINCT territorio, livello FROM raw.contesto_pubblicati
)
SELECT
    s.territorio,
    s.livello,
    CASE WHEN count(DISTINCT c.territorio_id) = 1 THEN min(c.territorio_id) END AS territorio_id,
    CASE count(DISTINCT c.territorio_id) WHEN 0 THEN 'sconosciuto' WHEN 1 THEN 'riconosciuto' ELSE 'ambiguo' END
        AS esito_territorio
FROM scritti AS s
LEFT JOIN staging.stg_territorio_codici AS c
       ON c.codice = norm_nome(s.territorio) AND (s.livello IS NULL OR s.livello = '' OR c.livello = s.livello)
GROUP BY s.territorio, s.livello
