-- Territory codes or names of the context files that match no territory on the day of the file's
-- geography, or more than one: their rows are left out of the marts (never guessed); and codes valid
-- only on other days (an old code), resolved to the territory they named on the nearest day and
-- counted. One finding per source, file and code; causa groups them for the printed summary
-- (qualita.rilievi_sintesi: one line per file and cause).
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
    CASE esito_territorio
        WHEN 'ambiguo' THEN 'territorio ambiguo: indicare il livello territoriale'
        WHEN 'riconosciuto_fuori_data' THEN 'codice territoriale non in vigore alla data del file: attribuito al territorio che indicava'
        ELSE 'territorio non presente negli elenchi Istat alla data del file' END AS causa,
    format('territorio «{}» {} ({} righe, fonte {}){}', territorio_originale,
           CASE esito_territorio WHEN 'ambiguo' THEN 'ambiguo: indicare il livello territoriale'
                WHEN 'riconosciuto_fuori_data' THEN 'non in vigore il ' || strftime(any_value(data_geografia), '%d/%m/%Y')
                    || ': attribuito a ' || any_value(territorio_id)
                ELSE 'non presente negli elenchi Istat' END,
           count(*), fonte,
           CASE WHEN esito_territorio = 'riconosciuto_fuori_data' THEN '' ELSE ': righe escluse dai marts' END) AS messaggio
FROM staging.stg_contesto_osservazioni
WHERE esito_territorio <> 'riconosciuto'
GROUP BY fonte, file_nome, territorio_originale, esito_territorio
