-- Every data-quality finding of the last build, one row each, for the office and the edition's
-- quality report. gravita = 'bloccante' stops publishing; 'avviso' is listed in the report.
SELECT 'ente' AS ambito, * FROM qualita.rilievi_ente
UNION ALL BY NAME
SELECT 'contesto' AS ambito, * FROM qualita.rilievi_contesto
ORDER BY ambito DESC, gravita, controllo
