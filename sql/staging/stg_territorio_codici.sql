-- Every way the sources write a territory, with the days that writing meant that territory: Istat
-- numeric codes with and without leading zeros (046, 46), UTS codes (201 for Torino, 292 for
-- Cagliari 2016-2025), car plates (LU), CL_ITTER107 (ITE12, IT108), NUTS 2006/2010/2021/2024, cadastral
-- codes of comuni, names in any case, with or without accents and hyphens (MASSA-CARRARA), in each
-- language of bilingual names. A province code stands for each version of the province in turn
-- (090 is Sassari without Olbia-Tempio in 2009, with it in 2019): resolution picks the one valid at
-- the file's reference date (staging.stg_territori_fonti). `livello` lets a source say which level
-- its codes are (09 is a region, 009 a province).
WITH t AS (
    SELECT * FROM staging.stg_territorio
),
codici AS (
    SELECT territorio_id, livello, codice_istat AS codice, 'istat' AS tipo, valido_dal, valido_al
    FROM t WHERE livello IN ('regione', 'provincia')
    UNION ALL
    SELECT territorio_id, livello, ltrim(codice_istat, '0'), 'istat_senza_zeri', valido_dal, valido_al
    FROM t WHERE livello IN ('regione', 'provincia')
    UNION ALL  -- comuni: each code on the days ANPR and Istat say it was valid
    SELECT 'C' || codice, 'comune', codice, 'istat', valido_dal, valido_al FROM staging.stg_territorio_comuni
    UNION ALL
    SELECT 'C' || codice, 'comune', ltrim(codice, '0'), 'istat_senza_zeri', valido_dal, valido_al FROM staging.stg_territorio_comuni
    UNION ALL
    SELECT 'C' || codice, 'comune', catasto, 'catasto', valido_dal, valido_al FROM staging.stg_territorio_comuni
    UNION ALL
    SELECT territorio_id, livello, sigla, 'sigla', valido_dal, valido_al FROM t WHERE livello = 'provincia'
    UNION ALL
    SELECT t.territorio_id, t.livello, n.codice, 'nuts_' || n.versione, t.valido_dal, t.valido_al
    FROM staging.stg_territorio_nuts AS n JOIN t ON t.livello = n.livello AND t.codice_istat = n.codice_istat
    UNION ALL  -- UTS codes of metropolitan cities and free consortia, in the 2023 and 2026 lists
    SELECT t.territorio_id, t.livello, u.uts, 'istat_uts', t.valido_dal, t.valido_al
    FROM (SELECT DISTINCT codice_dell_unita_territoriale_sovracomunale_valida_a_fini_statistici AS uts,
                 codice_provincia_storico_1 AS provincia FROM raw.istat_elenco_comuni_2023
          UNION SELECT DISTINCT codice_provincia_uts, codice_provincia_storico FROM raw.istat_unita_territoriali) AS u
    JOIN t ON t.livello = 'provincia' AND t.codice_istat = u.provincia
    WHERE u.uts <> u.provincia
    UNION ALL
    SELECT territorio_id, livello, territorio_id, 'territorio_id', valido_dal, valido_al FROM t
    UNION ALL
    SELECT territorio_id, livello, substr(territorio_id, 2), 'codice_area', valido_dal, valido_al FROM t WHERE livello = 'area'
),
nomi AS (
    SELECT territorio_id, livello, nome, valido_dal, valido_al FROM t
    WHERE livello IN ('italia', 'ripartizione', 'regione', 'provincia', 'area')
    UNION ALL  -- the names other lists give the same unit (Reggio di Calabria, Olbia-Tempio, Bolzano/Bozen)
    SELECT t.territorio_id, t.livello, x.nome, t.valido_dal, t.valido_al
    FROM (SELECT DISTINCT 'regione' AS livello, codice_regione AS codice, denominazione_regione AS nome
          FROM raw.istat_elenco_comuni_2023
          UNION SELECT DISTINCT 'provincia', codice_provincia_storico_1,
                       denominazione_dell_unita_territoriale_sovracomunale_valida_a_fini_statistici
          FROM raw.istat_elenco_comuni_2023
          UNION SELECT DISTINCT livello, codice_istat, etichetta FROM staging.stg_territorio_nuts
          WHERE versione IN ('itter107', '2006')) AS x
    JOIN t ON t.livello = x.livello AND t.codice_istat = x.codice
),
tutti AS (
    SELECT * FROM codici
    UNION ALL
    SELECT territorio_id, livello, norm_nome(nome), 'nome', valido_dal, valido_al FROM nomi
    UNION ALL  -- bilingual names (Bolzano/Bozen, Valle d'Aosta/Vallée d'Aoste): each language on its own
    SELECT territorio_id, livello, norm_nome(unnest(string_split(nome, '/'))), 'nome_lingua', valido_dal, valido_al
    FROM nomi WHERE nome LIKE '%/%'
)
SELECT DISTINCT upper(codice) AS codice, livello, territorio_id, tipo, valido_dal, valido_al
FROM tutti
WHERE codice IS NOT NULL AND codice <> ''
