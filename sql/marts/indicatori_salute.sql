-- The Camera's health indicators: one row per Camera × anno × tipo × indicatore.
-- value = scala × numeratore / denominatore, formulas from data/catalog/indicatori_salute.yaml.
-- An indicator whose inputs are missing (an aggregate whose mandatory items are incomplete counts
-- as missing, and the reason names them), whose denominator is zero within the inputs' rounding,
-- or below the catalogue's `denominatore_minimo` (an incidence on a result close to zero), has no
-- value and says why. Each value carries the error bound its inputs' rounding allows, whether any
-- input is illustrative, the target of its year (absolute, or relative to the value of another
-- kind: "riduzione del 20% della perdita rispetto al budget"), and the change on the previous year
-- (most final kind of that year).
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
        ({% for v in i.input_num %}coalesce({{ v }}__err, 0){% if not loop.last %} + {% endif %}{% else %}0{% endfor %})::DOUBLE AS err_num,
        ({% for v in i.input_den %}coalesce({{ v }}__err, 0){% if not loop.last %} + {% endif %}{% else %}0{% endfor %})::DOUBLE AS err_den,
        coalesce(({{ i.denominatore_minimo | default('0') }})::DOUBLE, 0) AS denominatore_minimo,
        {% if i.motivo_minimo is defined %}'{{ i.motivo_minimo | replace("'", "''") }}'{% else %}NULL{% endif %}::VARCHAR AS motivo_minimo,
        list_filter({{ i.input }}, lambda v: NOT list_contains(voci_presenti, v)) AS input_mancanti,
        list_filter({{ i.input }}, lambda v: list_contains(voci_illustrative, v)) AS input_illustrativi,
        voci_incomplete,
        rilascio
    FROM marts.bilancio_annuale
{%- if i.tipi is defined %}
    WHERE tipo IN ({% for t in i.tipi %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endif %}
{%- if not loop.last %}
    UNION ALL
{%- endif %}
{%- endfor %}
),
valori AS (
    SELECT
        *,
        len(input_mancanti) = 0 AND (denominatore = 0 OR abs(denominatore) <= err_den) AS denominatore_nullo,
        len(input_mancanti) = 0 AND abs(denominatore) > err_den AND abs(denominatore) < denominatore_minimo
            AS denominatore_quasi_nullo,
        CASE WHEN len(input_mancanti) = 0 AND abs(denominatore) > err_den AND denominatore <> 0
                  AND abs(denominatore) >= denominatore_minimo
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
                 THEN 'dati mancanti: ' || array_to_string(list_transform(v.input_mancanti, lambda x:
                          x || coalesce(' (voci incomplete, mancano: ' || v.voci_incomplete[x] || ')', '')), ', ')
             WHEN v.denominatore_nullo
                 THEN 'denominatore nullo o entro l''arrotondamento dei dati: rapporto non significativo'
             WHEN v.denominatore_quasi_nullo
                 THEN coalesce(v.motivo_minimo, 'denominatore prossimo a zero: rapporto non significativo')
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
),
-- a relative target ("riduzione del 20% della perdita rispetto al budget") becomes a threshold on
-- the value of the named kind of the same year: riferimento × (1 + variazione_pct / 100)
obiettivi AS (
    SELECT
        o.*,
        r.valore AS valore_riferimento,
        CASE WHEN o.rispetto_a IS NULL THEN o.valore_min
             WHEN o.operatore = '>=' THEN r.valore * (1 + o.variazione_pct / 100) END AS soglia_min,
        CASE WHEN o.rispetto_a IS NULL THEN o.valore_max
             WHEN o.operatore = '<=' THEN r.valore * (1 + o.variazione_pct / 100) END AS soglia_max
    FROM staging.stg_obiettivi_salute AS o
    LEFT JOIN con_metadati AS r
           ON r.camera = o.camera AND r.anno = o.anno AND r.indicatore = o.indicatore AND r.tipo = o.rispetto_a
)
SELECT
    c.*,
    o.operatore AS obiettivo_operatore,
    o.soglia_min AS obiettivo_min,
    o.soglia_max AS obiettivo_max,
    o.rispetto_a AS obiettivo_rispetto_a,
    o.testo AS obiettivo_testo,
    CASE
        WHEN c.valore IS NULL OR o.operatore IS NULL OR c.tipo = o.rispetto_a THEN NULL
        WHEN o.rispetto_a IS NOT NULL AND o.valore_riferimento IS NULL THEN 'riferimento mancante'
        WHEN o.operatore = '<=' THEN CASE WHEN round(c.valore, c.decimali) <= o.soglia_max THEN 'raggiunto' ELSE 'non raggiunto' END
        WHEN o.operatore = '>=' THEN CASE WHEN round(c.valore, c.decimali) >= o.soglia_min THEN 'raggiunto' ELSE 'non raggiunto' END
        WHEN round(c.valore, c.decimali) < o.soglia_min THEN 'sotto la banda'
        WHEN round(c.valore, c.decimali) > o.soglia_max THEN 'sopra la banda'
        ELSE 'nella banda'
    END AS esito_obiettivo,
    p.valore AS valore_anno_prec,
    p.tipo AS tipo_anno_prec,
    c.valore - p.valore AS variazione,
    CASE WHEN c.unita = 'pct' THEN 'punti percentuali' ELSE c.unita END AS unita_variazione
FROM con_metadati AS c
LEFT JOIN obiettivi AS o
       ON o.camera = c.camera AND o.anno = c.anno AND o.indicatore = c.indicatore
LEFT JOIN migliore_per_anno AS p
       ON p.camera = c.camera AND p.anno = c.anno - 1 AND p.indicatore = c.indicatore
ORDER BY c.camera, c.indicatore, c.anno, rango_tipo(c.tipo)
