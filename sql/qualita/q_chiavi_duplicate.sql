-- Q10 (keys): the key of the context observations, as the source registry declares it
-- (data/registry/fonti.yaml `chiave`, territory resolved: territorio and livello become
-- territorio_id), must be unique in staging and in the fact table. Two rows with the same key
-- (e.g. a province's Istat code and its name for the same figure and release) would count twice: a blocking finding
-- naming both rows, the territory by its name (marts.dim_territorio), the measure by its label and code
-- (meta.misure_pubblicate), period and release as the office writes them (periodo_it).
WITH staging AS (
    SELECT 'staging.stg_contesto_osservazioni' AS tabella, fonte, {{ chiave_contesto | join(', ') }},
        territorio_originale, file_nome, riga, valore
    FROM staging.stg_contesto_osservazioni
    WHERE territorio_id IS NOT NULL
),
fatti AS (
    SELECT 'marts.contesto_osservazioni' AS tabella, fonte, {{ chiave_contesto | join(', ') }},
        territorio AS territorio_originale, file_nome, riga, valore
    FROM marts.contesto_osservazioni
),
doppie AS (
    SELECT *, row_number() OVER w AS n, first_value(file_nome) OVER w AS primo_file, first_value(riga) OVER w AS prima_riga,
        first_value(territorio_originale) OVER w AS primo_territorio, count(*) OVER (PARTITION BY tabella, fonte,
            {{ chiave_contesto | join(', ') }}) AS copie
    FROM (SELECT * FROM staging UNION ALL SELECT * FROM fatti)
    WINDOW w AS (PARTITION BY tabella, fonte, {{ chiave_contesto | join(', ') }}
                 ORDER BY file_nome NULLS LAST, riga NULLS LAST)
)
SELECT
    'Q10' AS controllo,
    'bloccante' AS gravita,
    territorio_id AS territorio,
    CAST(substr(periodo, 1, 4) AS INTEGER) AS anno,
    periodo,
    misura AS voce,
    file_nome AS file,
    riga,
    'chiave' AS colonna,
    valore AS valore_fornito,
    NULL::DOUBLE AS valore_calcolato,
    format('chiave duplicata in {} (fonte {}): {}, {} «{}» ({}) del rilascio del {} compare due volte, nel file {} '
           'riga {} («{}») e nel file {} riga {} («{}»); un dato ha un solo valore per rilascio', tabella, fonte,
           coalesce(t.nome, territorio_id), coalesce(nullif(m.etichetta, '') || ' (' || misura || ')', misura),
           valore_dimensione, periodo_it(periodo), periodo_it(strftime(rilascio, '%Y-%m-%d')),
           coalesce(primo_file, '?'),
           coalesce(CAST(prima_riga AS VARCHAR), '?'), primo_territorio, coalesce(file_nome, '?'),
           coalesce(CAST(riga AS VARCHAR), '?'), territorio_originale) AS messaggio
FROM doppie
LEFT JOIN marts.dim_territorio AS t USING (territorio_id)
LEFT JOIN meta.misure_pubblicate AS m ON m.misura_pubblicata = misura
WHERE n > 1
