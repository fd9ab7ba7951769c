-- Effective value of every item, totals included, with the coverage rule for aggregates
-- (spec/health_indicators.md §2.1; data/catalog/voci_bilancio.csv, column `obbligatoria`):
-- an aggregate is the sum of its items only when every mandatory item is there (itself effective);
-- otherwise the supplied total is used if there is one; otherwise the aggregate has no value and
-- `voci_mancanti` says which mandatory items are missing. A partial set of items is never taken for
-- the whole. Aggregates are resolved level by level, from those made of leaves upwards.
-- qualita.q01_totali_da_voci reports a supplied total that disagrees with complete items.
WITH fornite AS (
    SELECT camera, anno, tipo, voce, valore, 0.5 * risoluzione AS err, illustrativo, riferimento, rilascio
    FROM staging.stg_bilancio_voci
    WHERE valore IS NOT NULL
),
chiavi AS (
    SELECT DISTINCT camera, anno, tipo FROM fornite
),
livello_0 AS (
    SELECT camera, anno, tipo, voce, valore, err, illustrativo, riferimento AS riferimenti, rilascio,
        1 AS n_componenti, 'fornito' AS origine, []::VARCHAR[] AS voci_mancanti
    FROM fornite
    WHERE voce NOT IN (SELECT padre FROM meta.voci_bilancio WHERE padre <> '')
)
{%- for livello in livelli_voci %}
, somme_{{ loop.index }} AS (
    SELECT
        k.camera, k.anno, k.tipo, c.padre AS voce,
        count(e.valore) AS n_presenti,
        count(e.voce) AS n_righe,  -- items with a value or themselves incomplete aggregates
        coalesce(list(c.codice ORDER BY c.codice) FILTER (WHERE c.obbligatoria = 'sì' AND e.valore IS NULL),
                 []::VARCHAR[]) AS voci_mancanti,
        sum(e.valore) AS valore,
        sum(e.err) AS err,
        bool_or(e.illustrativo) AS illustrativo,
        string_agg(DISTINCT e.riferimenti, '; ' ORDER BY e.riferimenti) AS riferimenti,
        max(e.rilascio) AS rilascio,
        sum(e.n_componenti) AS n_componenti
    FROM chiavi AS k
    CROSS JOIN meta.voci_bilancio AS c
    LEFT JOIN livello_{{ loop.index0 }} AS e
           ON e.camera = k.camera AND e.anno = k.anno AND e.tipo = k.tipo AND e.voce = c.codice
    WHERE c.padre IN ({% for v in livello %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor %})
    GROUP BY k.camera, k.anno, k.tipo, c.padre
),
livello_{{ loop.index }} AS (
    SELECT * FROM livello_{{ loop.index0 }}
    UNION ALL BY NAME
    SELECT
        s.camera, s.anno, s.tipo, s.voce,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.valore ELSE f.valore END AS valore,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.err ELSE f.err END AS err,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.illustrativo ELSE f.illustrativo END AS illustrativo,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.riferimenti ELSE f.riferimento END AS riferimenti,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.rilascio ELSE f.rilascio END AS rilascio,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN s.n_componenti ELSE 1 END AS n_componenti,
        CASE WHEN s.n_presenti > 0 AND len(s.voci_mancanti) = 0 THEN 'voci'
             WHEN f.valore IS NOT NULL THEN 'fornito' END AS origine,
        CASE WHEN s.n_righe > 0 THEN s.voci_mancanti ELSE []::VARCHAR[] END AS voci_mancanti
    FROM somme_{{ loop.index }} AS s
    LEFT JOIN fornite AS f
           ON f.camera = s.camera AND f.anno = s.anno AND f.tipo = s.tipo AND f.voce = s.voce
    WHERE s.n_righe > 0 OR f.valore IS NOT NULL
)
{%- endfor %}
SELECT
    camera,
    anno,
    tipo,
    voce,
    valore,
    n_componenti,
    -- bound of the error carried by the inputs' rounding: half a unit per component
    err AS errore_arrotondamento,
    illustrativo,
    riferimenti,
    rilascio,
    origine,
    voci_mancanti
FROM livello_{{ livelli_voci | length }}
