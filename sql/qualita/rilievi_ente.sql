-- Findings on the Camera's own figures (balance sheet, published indicators), one row each.
SELECT * FROM qualita.q01_totali_da_voci
UNION ALL BY NAME
SELECT * FROM qualita.q01_funzioni_vs_oneri
UNION ALL BY NAME
SELECT * FROM qualita.q01_identita_conto_economico
UNION ALL BY NAME
SELECT * FROM qualita.q05_oneri_negativi
UNION ALL BY NAME
SELECT * FROM qualita.q11_di_cui
UNION ALL BY NAME
SELECT * FROM qualita.q03_pubblicati_non_riprodotti
UNION ALL BY NAME
SELECT * FROM qualita.q04_stesso_dato_valori_diversi
UNION ALL BY NAME
SELECT * FROM qualita.q03_identita_pubblicati
UNION ALL BY NAME
SELECT * FROM qualita.q10_statistiche_panel_senza_panel
UNION ALL BY NAME
SELECT * FROM qualita.q06_benchmark_fuori_intervallo
ORDER BY gravita, controllo, camera, anno, voce
