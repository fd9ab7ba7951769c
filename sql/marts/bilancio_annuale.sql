-- One row per Camera × anno × tipo with the effective value of every catalogue item as a column
-- (amounts in euro, staff in FTE or units, companies in units) and the rounding-error bound of each
-- (<voce>__err). Stocks that have no budget kind (imprese attive, staff) are taken from the most
-- final kind of their year and apply to every kind of that year, so a preconsuntivo ratio can use
-- the companies counted at 31/12.
-- Result lines (voci_bilancio.csv, column `formula`: A-B, C, D, E, A-B±C±D±E) are derived from their
-- components when these are all there (<voce>__calcolato keeps the derivation, for the identity
-- checks), else the supplied line is used.
-- Items the indicators read from another row: <voce>_prec (previous year, most final kind) and
-- <voce>_in_<tipo> (same year, the named kind: a budget version).
WITH effettive AS (
    SELECT e.*, v.sezione IN ('imprese', 'personale') AS indipendente_dal_tipo
    FROM staging.int_bilancio_voci_effettive AS e
    JOIN meta.voci_bilancio AS v ON v.codice = e.voce
),
anni_tipi AS (
    SELECT DISTINCT camera, anno, tipo FROM effettive
),
stock AS (
    SELECT * FROM effettive
    WHERE indipendente_dal_tipo AND valore IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY camera, anno, voce ORDER BY rango_tipo(tipo)) = 1
),
righe AS (
    SELECT camera, anno, tipo, voce, valore, errore_arrotondamento, illustrativo, rilascio, voci_mancanti
    FROM effettive
    WHERE NOT indipendente_dal_tipo
    UNION ALL
    SELECT a.camera, a.anno, a.tipo, s.voce, s.valore, s.errore_arrotondamento, s.illustrativo, s.rilascio, s.voci_mancanti
    FROM anni_tipi AS a
    JOIN stock AS s ON s.camera = a.camera AND s.anno = a.anno
),
largo AS (
    SELECT
        camera,
        anno,
        tipo,
{%- for v in voci %}
        max(valore) FILTER (WHERE voce = '{{ v.codice }}') AS {{ v.codice }},
        max(errore_arrotondamento) FILTER (WHERE voce = '{{ v.codice }}' AND valore IS NOT NULL) AS {{ v.codice }}__err,
{%- endfor %}
        coalesce(list(voce ORDER BY voce) FILTER (WHERE valore IS NOT NULL), []) AS voci_presenti,
        coalesce(list(voce ORDER BY voce) FILTER (WHERE illustrativo AND valore IS NOT NULL), []) AS voci_illustrative,
        coalesce(map_from_entries(list({'k': voce, 'v': array_to_string(voci_mancanti, ', ')})
                 FILTER (WHERE valore IS NULL AND len(voci_mancanti) > 0)), MAP {}) AS voci_incomplete,
        max(rilascio) AS rilascio
    FROM righe
    GROUP BY camera, anno, tipo
),
risultati_0 AS (
    SELECT * FROM largo
)
{%- for f in formule %}
, risultati_{{ loop.index }} AS (
    -- {{ f.codice }} = {{ f.formula }}
    SELECT
        * REPLACE (
            coalesce({{ f.formula }}, {{ f.codice }}) AS {{ f.codice }},
            CASE WHEN ({{ f.formula }}) IS NOT NULL
                 THEN {% for x in f.input %}coalesce({{ x }}__err, 0){% if not loop.last %} + {% endif %}{% endfor %}
                 ELSE {{ f.codice }}__err END AS {{ f.codice }}__err,
            CASE WHEN ({{ f.formula }}) IS NOT NULL AND NOT list_contains(voci_presenti, '{{ f.codice }}')
                 THEN list_append(voci_presenti, '{{ f.codice }}') ELSE voci_presenti END AS voci_presenti,
            CASE WHEN ({{ f.formula }}) IS NOT NULL AND NOT list_contains(voci_illustrative, '{{ f.codice }}')
                      AND len(list_intersect(voci_illustrative, {{ f.input }})) > 0
                 THEN list_append(voci_illustrative, '{{ f.codice }}') ELSE voci_illustrative END AS voci_illustrative
        ),
        ({{ f.formula }})::DOUBLE AS {{ f.codice }}__calcolato
    FROM risultati_{{ loop.index0 }}
)
{%- endfor %}
, completo AS (
    SELECT * FROM risultati_{{ formule | length }}
)
{%- for p in voci_prec %}
, prec_{{ p }} AS (
    SELECT camera, anno + 1 AS anno_successivo, {{ p }} AS valore, {{ p }}__err AS err,
        list_contains(voci_illustrative, '{{ p }}') AS illustrativo
    FROM completo
    WHERE {{ p }} IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY camera, anno ORDER BY rango_tipo(tipo)) = 1
)
{%- endfor %}
{%- for t in voci_in_tipo %}
, tipo_{{ t.voce }}_{{ t.tipo }} AS (
    SELECT camera, anno, {{ t.voce }} AS valore, {{ t.voce }}__err AS err,
        list_contains(voci_illustrative, '{{ t.voce }}') AS illustrativo
    FROM completo
    WHERE tipo = '{{ t.tipo }}' AND {{ t.voce }} IS NOT NULL
)
{%- endfor %}
SELECT
    c.* EXCLUDE (voci_presenti, voci_illustrative),
{%- for p in voci_prec %}
    prec_{{ p }}.valore AS {{ p }}_prec,
    prec_{{ p }}.err AS {{ p }}_prec__err,
{%- endfor %}
{%- for t in voci_in_tipo %}
    tipo_{{ t.voce }}_{{ t.tipo }}.valore AS {{ t.voce }}_in_{{ t.tipo }},
    tipo_{{ t.voce }}_{{ t.tipo }}.err AS {{ t.voce }}_in_{{ t.tipo }}__err,
{%- endfor %}
    list_concat(
        c.voci_presenti
{%- for p in voci_prec %},
        CASE WHEN prec_{{ p }}.valore IS NOT NULL THEN ['{{ p }}_prec'] ELSE [] END
{%- endfor %}
{%- for t in voci_in_tipo %},
        CASE WHEN tipo_{{ t.voce }}_{{ t.tipo }}.valore IS NOT NULL THEN ['{{ t.voce }}_in_{{ t.tipo }}'] ELSE [] END
{%- endfor %}
    ) AS voci_presenti,
    list_concat(
        c.voci_illustrative
{%- for p in voci_prec %},
        CASE WHEN prec_{{ p }}.illustrativo THEN ['{{ p }}_prec'] ELSE [] END
{%- endfor %}
{%- for t in voci_in_tipo %},
        CASE WHEN tipo_{{ t.voce }}_{{ t.tipo }}.illustrativo THEN ['{{ t.voce }}_in_{{ t.tipo }}'] ELSE [] END
{%- endfor %}
    ) AS voci_illustrative
FROM completo AS c
{%- for p in voci_prec %}
LEFT JOIN prec_{{ p }} ON prec_{{ p }}.camera = c.camera AND prec_{{ p }}.anno_successivo = c.anno
{%- endfor %}
{%- for t in voci_in_tipo %}
LEFT JOIN tipo_{{ t.voce }}_{{ t.tipo }} ON tipo_{{ t.voce }}_{{ t.tipo }}.camera = c.camera AND tipo_{{ t.voce }}_{{ t.tipo }}.anno = c.anno
{%- endfor %}
ORDER BY c.camera, c.anno, rango_tipo(c.tipo)
