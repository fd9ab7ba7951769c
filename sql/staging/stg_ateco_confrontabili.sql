-- ATECO 2007 and ATECO 2025 as two versions of one dimension: each section of each version gets the
-- smallest group of sections that is comparable across the 2025 break (Istat's raccordo, one row per
-- ATECO 2007 subcategory with its representative ATECO 2025 code). Two sections land in the same group
-- when any subcategory moves from one to the other; groups are the connected components of those
-- moves, so a group's firms are the same activities in both versions (e.g. 2007 K = 2025 L, finance;
-- 2007 J = 2025 J + K). Only the representative code is published here, not the full N-M table: a
-- group is as wide as those codes make it, and the total is always comparable.
WITH RECURSIVE codici AS (
    SELECT *, last_value(CASE WHEN livello = 1 THEN codice_2007 END IGNORE NULLS)
        OVER (ORDER BY ordine ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS sezione_2007
    FROM meta.ateco_raccordo
),
passaggi AS (  -- section of each finest 2007 code -> section of its representative 2025 code
    SELECT DISTINCT 'ATECO 2007:' || c.sezione_2007 AS da, 'ATECO 2025:' || s.sezione AS a
    FROM codici AS c
    JOIN meta.ateco_2025_sezioni AS s
      ON substr(c.codice_2025, 1, 2) BETWEEN s.divisione_da AND s.divisione_a
    WHERE c.livello = (SELECT max(livello) FROM meta.ateco_raccordo)
),
archi AS (
    SELECT da, a FROM passaggi UNION SELECT a, da FROM passaggi
),
raggiungibili(nodo, altro) AS (
    SELECT da, da FROM archi
    UNION
    SELECT r.nodo, e.a FROM raggiungibili AS r JOIN archi AS e ON e.da = r.altro
),
componenti AS (
    SELECT nodo, min(altro) AS componente FROM raggiungibili GROUP BY nodo
),
etichette AS (
    SELECT componente,
        string_agg(split_part(nodo, ':', 2), '+' ORDER BY nodo) FILTER (WHERE nodo LIKE 'ATECO 2007:%') AS sezioni_2007,
        string_agg(split_part(nodo, ':', 2), '+' ORDER BY nodo) FILTER (WHERE nodo LIKE 'ATECO 2025:%') AS sezioni_2025
    FROM componenti GROUP BY componente
)
SELECT
    split_part(c.nodo, ':', 1) AS versione,
    split_part(c.nodo, ':', 2) AS sezione,
    e.sezioni_2007 || ' (ATECO 2007) = ' || e.sezioni_2025 || ' (ATECO 2025)' AS raggruppamento,
    e.sezioni_2007,
    e.sezioni_2025
FROM componenti AS c
JOIN etichette AS e USING (componente)
ORDER BY versione, sezione
