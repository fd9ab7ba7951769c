-- Every context observation of every source, territory resolved against the conformed dimension at
-- the figure's reference date (a province's NUTS 2006 and 2021 codes, Istat code with or without zeros,
-- plate and name in any case all give one territorio_id; a code reused after a redrawing gives the
-- province of that date), period parsed, units normalised.
-- A source's bundled sample rows are used only while the office has loaded none of its own.
-- InfoCamere's open-data stock, given at the finest ATECO code, also gets its section totals.
WITH oss AS (
{%- for f in fonti_contesto %}
    SELECT '{{ f.id }}' AS fonte, territorio, livello, periodo, dimensione, valore_dimensione, misura, valore,
        valore__decimali, unita, rilascio, provvisorio, natura, riferimento, file_nome, riga, campione, data_riferimento
    FROM {{ f.tabella }}
    WHERE NOT campione OR NOT EXISTS (SELECT 1 FROM {{ f.tabella }} WHERE NOT campione)
{%- if not loop.last %}
    UNION ALL
{%- endif %}
{%- endfor %}
),
sezioni_ateco AS (
    SELECT fonte, territorio, livello, periodo, 'sezione_ateco' AS dimensione,
        split_part(valore_dimensione, '|', 1) AS valore_dimensione, misura, sum(valore) AS valore,
        0 AS valore__decimali, unita, rilascio, bool_or(provvisorio) AS provvisorio, any_value(natura) AS natura,
        NULL AS riferimento, any_value(file_nome) AS file_nome, NULL::INTEGER AS riga, bool_or(campione) AS campione,
        data_riferimento
    FROM oss
    WHERE dimensione = 'sezione_ateco|ateco'
    GROUP BY ALL
),
tutte AS (
    SELECT * FROM oss
    UNION ALL
    SELECT * FROM sezioni_ateco
    UNION ALL
    SELECT fonte, territorio, livello, periodo, 'totale', 'Totale', misura, sum(valore), 0, unita, rilascio,
        bool_or(provvisorio), any_value(natura), NULL, any_value(file_nome), NULL, bool_or(campione), data_riferimento
    FROM sezioni_ateco
    GROUP BY fonte, territorio, livello, periodo, misura, unita, rilascio, data_riferimento
)
SELECT
    o.fonte,
    o.territorio AS territorio_originale,
    t.territorio_id,
    t.esito_territorio,
    t.in_elenchi,
    o.periodo,
    CAST(substr(o.periodo, 1, 4) AS INTEGER) AS anno,
    tipo_periodo(o.periodo) AS tipo_periodo,
    periodo_prec(o.periodo) AS periodo_prec,
    o.dimensione,
    o.valore_dimensione,
    o.misura,
    o.valore,
    o.unita,
    power(10, -coalesce(o.valore__decimali, 0)) AS risoluzione,
    o.rilascio,
    coalesce(o.provvisorio, false) AS provvisorio,
    coalesce(o.natura, 'ufficiale') AS natura,
    o.riferimento,
    o.file_nome,
    o.riga,
    o.campione,
    o.data_riferimento,
    t.data_geografia
FROM tutte AS o
JOIN staging.stg_territori_fonti AS t
  ON t.fonte = o.fonte AND t.file_nome IS NOT DISTINCT FROM o.file_nome AND t.territorio = o.territorio
 AND t.livello IS NOT DISTINCT FROM o.livello AND t.data_riferimento IS NOT DISTINCT FROM o.data_riferimento
