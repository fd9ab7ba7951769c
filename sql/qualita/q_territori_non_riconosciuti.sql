-- Territory codes or names of the context files that match no territory on the day of the file's
-- geography, or more than one: their rows are left out of the marts (never guessed); and codes valid
-- only on other days (an old code), resolved to the territory they named on the nearest day and
-- counted. One finding per source, file and code; causa groups them for the printed summary
-- (qualita.rilievi_sintesi: one line per file and cause).
-- gravita: blocking only when the code or name is really unknown, i.e. in no version of the code
-- lists on any day (staging.stg_territorio_codici: a typo, a foreign code, a column shifted); an old
-- code resolved and counted, an ambiguous name, a name valid on other days only are warnings
-- (issue #8: "an unknown code is a blocking finding only if it is really unknown"). The loader refuses
-- a new file with such a code before writing it (pipelines.loading.unknown_territories); this finding
-- still names those loaded before that rule, to be withdrawn with `osservatorio ritira`.
SELECT
    'Q10' AS controllo,
    CASE WHEN esito_territorio = 'sconosciuto' AND NOT in_elenchi THEN 'bloccante' ELSE 'avviso' END AS gravita,
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
        ELSE CASE WHEN in_elenchi
                  THEN 'territorio non in vigore alla data del file (nome di un''altra data, mai confrontato oltre un cambio di confini): righe escluse dai marts'
                  ELSE 'territorio sconosciuto: in nessuna versione degli elenchi Istat, ANPR ed Eurostat' END END AS causa,
    format('territorio «{}» {} ({} righe, fonte {}){}', territorio_originale,
           CASE esito_territorio WHEN 'ambiguo' THEN 'ambiguo: indicare il livello territoriale'
                WHEN 'riconosciuto_fuori_data' THEN 'non in vigore il ' || strftime(any_value(data_geografia), '%d/%m/%Y')
                    || ': attribuito a ' || any_value(territorio_id)
                WHEN 'sconosciuto' THEN CASE WHEN in_elenchi
                    THEN 'non in vigore il ' || strftime(any_value(data_geografia), '%d/%m/%Y')
                    ELSE 'non presente in nessuna versione degli elenchi Istat' END END,
           count(*), fonte,
           CASE WHEN esito_territorio = 'riconosciuto_fuori_data' THEN '' ELSE ': righe escluse dai marts' END) AS messaggio
FROM staging.stg_contesto_osservazioni
WHERE esito_territorio <> 'riconosciuto'
GROUP BY fonte, file_nome, territorio_originale, esito_territorio, in_elenchi
