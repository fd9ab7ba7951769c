-- The health table as the Piano della performance prints it (001:1116-1133): for each Camera,
-- indicator and year, the most final kind available (consuntivo, else preconsuntivo, else the
-- budget), labelled, so a table never mixes kinds silently.
SELECT *
FROM marts.indicatori_salute
WHERE valore IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY camera, indicatore, anno ORDER BY rango_tipo(tipo)) = 1
ORDER BY camera, indicatore, anno
