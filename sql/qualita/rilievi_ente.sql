-- Findings on the Camera's own figures (balance sheet, published indicators), one row each.
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
