-- Territory codes or names that match no territory, or more than one: their rows are left out of
-- the marts (never guessed), one finding per source, file and code.
SELECT
    'Q10' AS controllo,
    'avviso' AS gravita,
    territorio_originale AS territorio,
    min(anno) AS anno,
    NULL AS periodo,
    fonte AS voce,
    file_nome AS file,
    min(riga) AS riga,
    'territorio' AS colonna,
    count(*) AS valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('territorio «{}» {} ({} righe, fonte {}): righe escluse dai marts', territorio_originale,
           CASE esito_territorio WHEN 'ambiguo' THEN 'ambiguo: indicare il livello territoriale'
                ELSE 'non presente negli elenchi Istat' END, count(*), fonte) AS messaggio
FROM staging.stg_contesto_osservazioni
WHERE esito_territorio <> 'riconosciuto'
GROUP BY fonte, file_nome, territorio_originale, esito_territorio
