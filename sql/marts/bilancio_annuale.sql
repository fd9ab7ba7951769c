-- One row per Camera × anno × tipo with the effective value of every catalogue item as a column
-- (amounts in euro, staff in FTE or units, companies in units), the rounding-error bound of each
-- (<voce>__err), and the previous year's crediti da diritto annuale, taken from the most final
-- kind available for that year (for the TVCDA indicator). Stocks that have no budget kind
-- (imprese attive, staff) are taken from the most final kind of their year and apply to every
-- kind of that year, so a preconsuntivo ratio can use the companies counted at 31/12.
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
    WHERE indipendente_dal_tipo
    QUALIFY row_number() OVER (PARTITION BY camera, anno, voce ORDER BY rango_tipo(tipo)) = 1
),
righe AS (
    SELECT camera, anno, tipo, voce, valore, errore_arrotondamento, illustrativo, rilascio
    FROM effettive
    WHERE NOT indipendente_dal_tipo
    UNION ALL
    SELECT a.camera, a.anno, a.tipo, s.voce, s.valore, s.errore_arrotondamento, s.illustrativo, s.rilascio
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
        max(errore_arrotondamento) FILTER (WHERE voce = '{{ v.codice }}') AS {{ v.codice }}__err,
{%- endfor %}
        list(voce ORDER BY voce) AS voci_presenti,
        coalesce(list(voce ORDER BY voce) FILTER (WHERE illustrativo), []) AS voci_illustrative,
        max(rilascio) AS rilascio
    FROM righe
    GROUP BY camera, anno, tipo
),
crediti_prec AS (
    SELECT
        camera,
        anno + 1 AS anno_successivo,
        sp_crediti_diritto_annuale AS valore,
        sp_crediti_diritto_annuale__err AS err,
        list_contains(voci_illustrative, 'sp_crediti_diritto_annuale') AS illustrativo
    FROM largo
    WHERE sp_crediti_diritto_annuale IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY camera, anno ORDER BY rango_tipo(tipo)) = 1
)
SELECT
    l.* EXCLUDE (voci_presenti, voci_illustrative),
    p.valore AS sp_crediti_diritto_annuale_prec,
    p.err AS sp_crediti_diritto_annuale_prec__err,
    CASE WHEN p.valore IS NULL THEN l.voci_presenti
         ELSE list_append(l.voci_presenti, 'sp_crediti_diritto_annuale_prec') END AS voci_presenti,
    CASE WHEN coalesce(p.illustrativo, false) THEN list_append(l.voci_illustrative, 'sp_crediti_diritto_annuale_prec')
         ELSE l.voci_illustrative END AS voci_illustrative
FROM largo AS l
LEFT JOIN crediti_prec AS p ON p.camera = l.camera AND p.anno_successivo = l.anno
ORDER BY l.camera, l.anno, rango_tipo(l.tipo)
