-- The findings as the office reads them after a run: one line per file and cause, with the count and
-- three examples, so a few hundred codes of one file make one line (qualita.rilievi keeps every detail).
-- A finding without a cause shared by others is its own line. `rilievi` (a relation with the columns of
-- qualita.rilievi) groups other findings the same way: the blocking check prints its run's this way.
WITH r AS (
    SELECT *, coalesce(causa, messaggio) AS motivo FROM {{ rilievi | default('qualita.rilievi') }}
)
SELECT
    ambito,
    gravita,
    controllo,
    file,
    motivo AS causa,
    count(*) AS n_rilievi,
    CASE WHEN count(*) = 1 THEN any_value(coalesce(file || ', riga ' || riga || ': ', '') || messaggio)
         ELSE coalesce(file || ': ', '') || format('{} casi - {} (es. {})', count(*), motivo,
              array_to_string(list('«' || territorio || '»' ORDER BY riga)[1:3], ', ')) END AS messaggio
FROM r
GROUP BY ambito, gravita, controllo, file, motivo
ORDER BY gravita = 'bloccante' DESC, controllo = 'Q10', controllo, file, motivo
