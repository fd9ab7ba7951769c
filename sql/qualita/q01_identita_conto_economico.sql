-- Q1 (blocking): every result line supplied in a file against its components, across the whole file
-- (data/catalog/voci_bilancio.csv, column `formula`: A - B, C10 - C11, D12 - D13, E14 - E15, and the
-- year's result A - B ± C ± D ± E), beyond the rounding of the figures involved. The finding names
-- the row and both amounts; a line that is the same number with the opposite sign says so.
{%- for f in formule %}
{% if not loop.first %}UNION ALL BY NAME{% endif %}
SELECT
    'Q1' AS controllo,
    'bloccante' AS gravita,
    s.camera,
    s.anno,
    s.tipo,
    s.voce,
    s.file_nome AS file,
    s.riga,
    'valore' AS colonna,
    s.valore AS valore_fornito,
    b.{{ f.codice }}__calcolato AS valore_calcolato,
    format('la riga «{}» ({} {}) vale {} euro ma dalle sue componenti ({}) risulta {} euro{}: correggere la riga o le componenti',
           v.descrizione, s.tipo, s.anno, fmt_it(s.valore, 0), '{{ f.formula }}', fmt_it(b.{{ f.codice }}__calcolato, 0),
           CASE WHEN sign(s.valore) <> sign(b.{{ f.codice }}__calcolato)
                     AND abs(s.valore + b.{{ f.codice }}__calcolato) <= 0.5 * s.risoluzione + coalesce(b.{{ f.codice }}__err, 0)
                THEN ' (stesso importo con il segno opposto)' ELSE '' END) AS messaggio
FROM staging.stg_bilancio_voci AS s
JOIN marts.bilancio_annuale AS b ON b.camera = s.camera AND b.anno = s.anno AND b.tipo = s.tipo
JOIN meta.voci_bilancio AS v ON v.codice = s.voce
WHERE s.voce = '{{ f.codice }}'
  AND s.valore IS NOT NULL
  AND b.{{ f.codice }}__calcolato IS NOT NULL
  AND abs(s.valore - b.{{ f.codice }}__calcolato) > 0.5 * s.risoluzione + coalesce(b.{{ f.codice }}__err, 0)
{%- endfor %}
