-- Every data-quality finding of the last build, one row each, for the office and the edition's
-- quality report. gravita = 'bloccante' stops publishing; 'avviso' is listed in the report.
SELECT * FROM qualita.q01_totali_da_voci
UNION ALL BY NAME
SELECT * FROM qualita.q01_funzioni_vs_oneri
UNION ALL BY NAME
SELECT * FROM qualita.q11_di_cui
UNION ALL BY NAME
SELECT * FROM qualita.q03_pubblicati_non_riprodotti
UNION ALL BY NAME
SELECT * FROM qualita.q04_stesso_dato_valori_diversi
UNION ALL BY NAME
SELECT * FROM qualita.q03_identita_pubblicati
ORDER BY gravita, controllo, camera, anno, voce
