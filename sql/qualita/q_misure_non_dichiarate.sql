-- Context measures no source declares in data/registry/fonti.yaml (`misure`, with their aggregation rule): they are never aggregated
-- over territories (treated as non-aggregable), and the office is told, one finding per source and measure.
SELECT
    'Q5' AS controllo,
    'avviso' AS gravita,
    NULL AS territorio,
    min(anno) AS anno,
    NULL AS periodo,
    s.misura AS voce,
    any_value(s.file_nome) AS file,
    min(s.riga) AS riga,
    'misura' AS colonna,
    count(*) AS valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('misura «{}» (fonte {}, {} righe) non dichiarata nel registro data/registry/fonti.yaml (misure della fonte, con la regola di aggregazione): '
           'non viene sommata né ricalcolata per territori aggregati', s.misura, s.fonte, count(*)) AS messaggio
FROM staging.stg_contesto_osservazioni AS s
WHERE NOT EXISTS (SELECT 1 FROM meta.misure AS m WHERE m.misura = s.misura)
GROUP BY s.fonte, s.misura
