-- The Camera's health indicators: one row per Camera × anno × tipo × indicatore.
-- value = scala × numeratore / denominatore, formulas from data/catalog/indicatori_salute.yaml.
-- An indicator whose inputs are missing, or whose denominator is zero within the inputs'
-- rounding, has no value and says why. Each value carries the error bound its inputs'
-- rounding allows, whether any input is illustrative, the target of its year and the
-- change on the previous year (most final kind of that year).
WITH calcolo AS (
{%- for i in indicatori %}
    SELECT
        camera,
        anno,
        tipo,
        '{{ i.id }}' AS indicatore,
        ({{ i.numeratore }})::DOUBLE AS numeratore,
        ({{ i.denominatore }})::DOUBLE AS denominatore,
        {{ i.scala }}::DOUBLE AS scala,
        ({% for v in i.input_num %}coalesce({{ v }}__err, 0){% if not loop.last %} + {% endif %}{% endfor %})::DOUBLE AS err_num,
        ({% for v in i.input_den %}coalesce({{ v }}__err, 0){% if not loop.last %} + {% endif %}{% endfor %})::DOUBLE AS err_den,
        list_filter({{ i.input }}, lambda v: NOT list_contains(voci_presenti, v)) AS input_mancanti,
        list_filter({{ i.input }}, lambda v: list_contains(voci_illustrative, v)) AS input_illustrativi,
        rilascio
    FROM marts.bilancio_annuale
{%- if not loop.last %}
    UNION ALL
{%- endif %}
{%- endfor %}
),
valori AS (
    SELECT
        *,
        len(input_mancanti) = 0 AND (denominatore = 0 OR abs(denominatore) <= err_den) AS denominatore_nullo,
        CASE WHEN len(input_mancanti) = 0 AND abs(denominatore) > err_den AND denominatore <> 0
             THEN scala * numeratore / denominatore END AS valore
    FROM calcolo
),
con_metadati AS (
    SELECT
        v.camera,
        v.anno,
        v.tipo,
        v.indicatore,
        m.nome,
        m.famiglia,
        v.valore,
        m.unita,
        m.decimali::INTEGER AS decimali,
        m.direzione,
        v.numeratore,
        v.denominatore,
        -- first-order bound: |d(N/D)| <= (dN + |N/D| dD) / |D|
        CASE WHEN v.valore IS NOT NULL
             THEN v.scala * (v.err_num + abs(v.numeratore / v.denominatore) * v.err_den) / abs(v.denominatore)
        END AS errore_arrotondamento_input,
        CASE WHEN len(v.input_mancanti) > 0
                 THEN 'dati mancanti: ' || array_to_string(v.input_mancanti, ', ')
             WHEN v.denominatore_nullo
                 THEN 'denominatore nullo o entro l''arrotondamento dei dati: rapporto non significativo'
        END AS motivo_assenza,
        len(v.input_illustrativi) > 0 AS illustrativo,
        v.input_illustrativi,
        v.rilascio
    FROM valori AS v
    JOIN meta.indicatori AS m ON m.id = v.indicatore
),
migliore_per_anno AS (
    SELECT camera, anno, indicatore, tipo, valore
    FROM con_metadati
    WHERE valore IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY camera, anno, indicatore ORDER BY rango_tipo(tipo)) = 1
)
SELECT
    c.*,
    o.operatore AS obiettivo_operatore,
    o.valore_min AS obiettivo_min,
    o.valore_max AS obiettivo_max,
    CASE
        WHEN c.valore IS NULL OR o.operatore IS NULL THEN NULL
        WHEN o.operatore = '<=' THEN CASE WHEN round(c.valore, c.decimali) <= o.valore_max THEN 'raggiunto' ELSE 'non raggiunto' END
        WHEN o.operatore = '>=' THEN CASE WHEN round(c.valore, c.decimali) >= o.valore_min THEN 'raggiunto' ELSE 'non raggiunto' END
        WHEN round(c.valore, c.decimali) < o.valore_min THEN 'sotto la banda'
        WHEN round(c.valore, c.decimali) > o.valore_max THEN 'sopra la banda'
        ELSE 'nella banda'
    END AS esito_obiettivo,
    p.valore AS valore_anno_prec,
    p.tipo AS tipo_anno_prec,
    c.valore - p.valore AS variazione,
    CASE WHEN c.unita = 'pct' THEN 'punti percentuali' ELSE c.unita END AS unita_variazione
FROM con_metadati AS c
LEFT JOIN staging.stg_obiettivi_salute AS o
       ON o.camera = c.camera AND o.anno = c.anno AND o.indicatore = c.indicatore
LEFT JOIN migliore_per_anno AS p
       ON p.camera = c.camera AND p.anno = c.anno - 1 AND p.indicatore = c.indicatore
ORDER BY c.camera, c.indicatore, c.anno, rango_tipo(c.tipo)
