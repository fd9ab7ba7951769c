-- Findings on the economic-context data (sums, reproduced figures, territory codes, measures without an
-- aggregation rule), one row each.
SELECT * FROM qualita.q01_contesto_somme
UNION ALL BY NAME
SELECT * FROM qualita.q03_contesto_non_riprodotti
UNION ALL BY NAME
SELECT * FROM qualita.q_territori_non_riconosciuti
UNION ALL BY NAME
SELECT * FROM qualita.q_chiavi_duplicate
UNION ALL BY NAME
SELECT * FROM qualita.q_territorio_somme
UNION ALL BY NAME
SELECT * FROM qualita.q_misure_non_dichiarate
ORDER BY gravita, controllo, territorio, periodo, voce
