-- Q3: published values that cannot all be true at once, by the identities listed in
-- data/catalog/indicatori_salute.yaml (`identita_pubblicati`: MSFB = MT - 1; IAI = MSAI × SOL, since
-- totale attivo = totale passivo), in the catalogue's units (ratios and percentages normalised).
-- The tolerance is half the printed unit of the left side plus, for each printed value on the right,
-- the change half its printed unit makes (first order).
WITH p AS (
    SELECT
        camera, anno, tipo, rilascio,
{%- for id in identita | map(attribute='variabili') | sum(start=identita | map(attribute='sinistra') | list) | unique %}
        max(valore) FILTER (WHERE indicatore = '{{ id }}') AS {{ id }},
        max(risoluzione) FILTER (WHERE indicatore = '{{ id }}') AS r_{{ id }},
{%- endfor %}
        string_agg(DISTINCT riferimento, ', ' ORDER BY riferimento) AS riferimenti
    FROM staging.stg_indicatori_pubblicati
    GROUP BY camera, anno, tipo, rilascio
)
{%- for i in identita %}
{% if not loop.first %}UNION ALL BY NAME{% endif %}
SELECT
    'Q3' AS controllo,
    'avviso' AS gravita,
    camera,
    anno,
    tipo,
    '{{ i.sinistra }}' AS voce,
    NULL::VARCHAR AS file,
    NULL::INTEGER AS riga,
    'valore' AS colonna,
    {{ i.sinistra }} AS valore_fornito,
    ({{ i.destra }}) AS valore_calcolato,
    format('«{}» {} ({}) è stampato come {} ma per l''identità {} i valori stampati nello stesso documento danno {} ({}){}',
           '{{ i.sinistra }}', anno, tipo, fmt_it({{ i.sinistra }}, 2), '{{ i.descrizione | replace("'", "''") }}',
           fmt_it({{ i.destra }}, 2), coalesce(riferimenti, 'senza riferimento'),
           CASE WHEN abs(100 * {{ i.sinistra }} - ({{ i.destra }})) <= 100 * (0.5 * r_{{ i.sinistra }}{% for e in i.perturbate %} + abs(({{ e }}) - ({{ i.destra }})){% endfor %})
                THEN ': sembra stampato come rapporto (indicare unita = rapporto)'
                WHEN abs({{ i.sinistra }} / 100 - ({{ i.destra }})) <= (0.5 * r_{{ i.sinistra }}{% for e in i.perturbate %} + abs(({{ e }}) - ({{ i.destra }})){% endfor %}) / 100
                THEN ': sembra stampato come percentuale (indicare unita = pct)'
                ELSE '' END) AS messaggio
FROM p
WHERE {{ i.sinistra }} IS NOT NULL{% for v in i.variabili %} AND {{ v }} IS NOT NULL{% endfor %}
  AND abs({{ i.sinistra }} - ({{ i.destra }}))
      > 0.5 * r_{{ i.sinistra }}{% for e in i.perturbate %} + abs(({{ e }}) - ({{ i.destra }})){% endfor %} + 1e-9
{%- endfor %}
