-- Every way the sources write a territory, mapped to its territorio_id: Istat numeric codes with
-- and without leading zeros (046, 46), car plates (LU), NUTS 2010 as in Istat's data (ITE12),
-- NUTS 2024 (ITI12), names in any case, with or without accents and hyphens (MASSA-CARRARA).
-- `livello` lets a source say which level its codes are (09 is Toscana, 009 is Savona).
WITH codici AS (
    SELECT territorio_id, livello, codice_istat AS codice, 'istat' AS tipo FROM staging.stg_territorio
    UNION ALL
    SELECT territorio_id, livello, ltrim(codice_istat, '0'), 'istat_senza_zeri' FROM staging.stg_territorio
    WHERE livello IN ('regione', 'provincia', 'comune')
    UNION ALL
    SELECT territorio_id, livello, sigla, 'sigla' FROM staging.stg_territorio WHERE livello = 'provincia'
    UNION ALL
    SELECT territorio_id, livello, nuts_2010, 'nuts_2010' FROM staging.stg_territorio
    UNION ALL
    SELECT territorio_id, livello, nuts_2024, 'nuts_2024' FROM staging.stg_territorio
    UNION ALL
    SELECT territorio_id, livello, norm_nome(nome), 'nome' FROM staging.stg_territorio
    WHERE livello IN ('italia', 'regione', 'provincia', 'area')
    UNION ALL
    -- bilingual names (Bolzano/Bozen, Valle d'Aosta/Vallée d'Aoste): each language on its own
    SELECT territorio_id, livello, norm_nome(unnest(string_split(nome, '/'))), 'nome_lingua' FROM staging.stg_territorio
    WHERE livello IN ('regione', 'provincia') AND nome LIKE '%/%'
    UNION ALL
    SELECT territorio_id, livello, substr(territorio_id, 2), 'codice_area' FROM staging.stg_territorio WHERE livello = 'area'
    UNION ALL
    SELECT territorio_id, livello, territorio_id, 'territorio_id' FROM staging.stg_territorio
)
SELECT DISTINCT upper(codice) AS codice, livello, territorio_id, tipo
FROM codici
WHERE codice IS NOT NULL AND codice <> ''
