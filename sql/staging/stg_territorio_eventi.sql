-- The succession events of the comuni, one row per comune and event, with the day it took effect:
-- - fusione: the comune was suppressed and, with others, formed a new comune (Istat ES towards a
--   comune constituted the same day, CS); incorporazione: suppressed into an existing comune (ES);
-- - scissione: part of its territory formed a new comune (CECS); cessione_territorio: part of its
--   territory passed to another comune (CE); neither ends the comune;
-- - cambio_provincia: the comune passed to another province, with a new code (AP; Sardinia's 2026
--   provinces from Istat's correspondence); rinumerazione: same comune (same cadastral code), new
--   code, with no change of province in Istat's list (from ANPR's archive);
-- - cambio_denominazione: new name, same code (CD).
-- Sources: Istat's administrative changes since 1991 (to 3/3/2022), Istat's suppressed comuni (to
-- 11/9/2023) for the suppressions after that, the Sardinia 2026 correspondence, ANPR's archive.
-- dedotto: the mergers after the last of these publications (2023-2026), which no publication in
-- data/territorio lists: a comune of ANPR's archive still open but missing from today's Istat list
-- is given as successor the new comune of today's list in the same province (not in ANPR's archive)
-- when that province has exactly one new comune and no renamed one; the day is unknown, so the
-- event carries the first day ANPR's archive cannot vouch for (the day after its last change), as
-- stg_territorio_comuni does for the new comune. Comuni for which that is not so (two new comuni in
-- the province, or the comune absorbed by an existing one) keep no successor and are listed in
-- data/territorio/README.md.
WITH variazioni AS (
    SELECT
        trim(tipo_variazione) AS tipo_istat,
        codice_comune_formato_alfanumerico AS codice_prima,
        denominazione_comune AS nome_prima,
        codice_del_comune_associato_alla_variazione_o_nuovo_codice_istat_del_comune AS codice_dopo,
        denominazione_comune_associata_alla_variazione_o_nuova_denominazione AS nome_dopo,
        try_strptime(nullif(data_decorrenza_validita_amministrativa, ''), '%d/%m/%Y')::DATE AS data_evento,
        CAST(anno AS INTEGER) AS anno,
        file_nome, riga
    FROM raw.istat_variazioni_dal_1991
),
costituiti AS (
    SELECT DISTINCT codice_prima AS codice, anno FROM variazioni WHERE tipo_istat IN ('CS', 'CECS')
),
-- a change of province without a date in Istat's table (the 2006 Sardinian provinces): the day ANPR
-- opens the new code
apertura_anpr AS (
    SELECT codistat AS codice, min(CAST(dataistituzione AS DATE)) AS dal FROM raw.anpr_archivio_comuni GROUP BY 1
),
da_variazioni AS (
    SELECT
        coalesce(v.data_evento, a.dal, make_date(v.anno, 1, 1)) AS data_evento,
        CASE v.tipo_istat
            WHEN 'ES' THEN CASE WHEN c.codice IS NOT NULL THEN 'fusione' ELSE 'incorporazione' END
            WHEN 'AP' THEN 'cambio_provincia'
            WHEN 'CECS' THEN 'scissione'
            WHEN 'CE' THEN 'cessione_territorio'
            WHEN 'CD' THEN 'cambio_denominazione' END AS tipo,
        v.codice_prima, v.nome_prima, v.codice_dopo, coalesce(nullif(v.nome_dopo, ''), v.nome_prima) AS nome_dopo,
        v.file_nome AS fonte, v.riga, false AS dedotto
    FROM variazioni AS v
    LEFT JOIN costituiti AS c ON c.codice = v.codice_dopo AND c.anno = v.anno
    LEFT JOIN apertura_anpr AS a ON a.codice = v.codice_dopo AND v.tipo_istat = 'AP'
    WHERE v.tipo_istat IN ('ES', 'AP', 'CECS', 'CE', 'CD')
),
-- suppressions after Istat's table of changes ends: Istat's list of suppressed comuni
da_soppressi AS (
    SELECT
        strptime(s.data_evento, '%d/%m/%Y')::DATE AS data_evento,
        CASE WHEN s.codice_del_comune_associato_alla_variazione IN (SELECT codice FROM apertura_anpr AS a
                  WHERE a.dal = strptime(s.data_evento, '%d/%m/%Y')::DATE)
             THEN 'fusione' ELSE 'incorporazione' END AS tipo,
        s.codice_comune AS codice_prima, s.denominazione_comune AS nome_prima,
        s.codice_del_comune_associato_alla_variazione AS codice_dopo,
        s.denominazione_comune_associato_alla_variazione AS nome_dopo, s.file_nome AS fonte, s.riga, false AS dedotto
    FROM raw.istat_comuni_soppressi AS s
    WHERE strptime(s.data_evento, '%d/%m/%Y')::DATE > (SELECT max(data_evento) FROM variazioni)
      AND coalesce(s.comune_soppresso_per_scorporo, '') <> '1'
),
da_sardegna AS (
    SELECT CAST(in_vigore_dal AS DATE) AS data_evento, 'cambio_provincia' AS tipo,
        codice_comune_precedente AS codice_prima, denominazione_comune AS nome_prima,
        codice_comune AS codice_dopo, denominazione_comune AS nome_dopo, file_nome AS fonte, riga, false AS dedotto
    FROM raw.istat_sardegna_2026
    WHERE codice_comune <> codice_comune_precedente
),
noti AS (
    SELECT codice_prima, codice_dopo FROM da_variazioni
    UNION ALL SELECT codice_prima, codice_dopo FROM da_sardegna
),
-- ANPR: one comune (cadastral code) whose code changed from one day to the next, not explained above
da_anpr AS (
    SELECT b.valido_dal AS data_evento, 'rinumerazione' AS tipo, a.codice AS codice_prima, a.nome AS nome_prima,
        b.codice AS codice_dopo, b.nome AS nome_dopo, 'anpr_archivio_comuni.csv' AS fonte, NULL::BIGINT AS riga,
        false AS dedotto
    FROM staging.stg_territorio_comuni AS a
    JOIN staging.stg_territorio_comuni AS b
      ON b.catasto = a.catasto AND b.valido_dal = a.valido_al + 1 AND b.codice <> a.codice
    WHERE NOT EXISTS (SELECT 1 FROM noti AS n WHERE n.codice_prima = a.codice AND n.codice_dopo = b.codice)
),
-- after the last publication: ANPR's open comuni missing from today's list, and today's new comuni
oggi AS (
    SELECT codice_comune_alfanumerico AS codice, comune AS nome, codice_provincia_storico AS provincia
    FROM raw.istat_unita_territoriali
),
chiusi AS (
    SELECT a.codistat AS codice, coalesce(any_value(e.denominazione_in_italiano), any_value(a.denominazione_it)) AS nome,
        any_value(a.idprovinciaistat) AS provincia
    FROM raw.anpr_archivio_comuni AS a
    LEFT JOIN raw.istat_elenco_comuni_2023 AS e ON e.codice_comune_formato_alfanumerico = a.codistat
    WHERE a.datacessazione = '9999-12-31'
      AND a.codistat NOT IN (SELECT codice FROM oggi)
      AND a.codistat NOT IN (SELECT codice_prima FROM da_sardegna)
    GROUP BY 1
),
nuovi AS (
    SELECT o.codice, o.nome, o.provincia FROM oggi AS o
    WHERE o.codice NOT IN (SELECT codistat FROM raw.anpr_archivio_comuni)
      AND o.codice NOT IN (SELECT codice_dopo FROM da_sardegna)
),
rinominati AS (  -- same code, another name in today's list than in Istat's list of 2023
    SELECT o.provincia FROM oggi AS o
    JOIN raw.istat_elenco_comuni_2023 AS e ON e.codice_comune_formato_alfanumerico = o.codice
    WHERE norm_nome(string_split(o.nome, '/')[1]) <> norm_nome(string_split(e.denominazione_in_italiano, '/')[1])
),
dedotti AS (
    SELECT d.valido_dal AS data_evento, 'fusione' AS tipo, c.codice AS codice_prima, c.nome AS nome_prima,
        n.codice AS codice_dopo, n.nome AS nome_dopo, 'istat_unita_territoriali.csv' AS fonte, NULL::BIGINT AS riga,
        true AS dedotto
    FROM chiusi AS c
    JOIN nuovi AS n ON n.provincia = c.provincia
    JOIN staging.stg_territorio_comuni AS d ON d.codice = n.codice
    WHERE c.provincia IN (SELECT provincia FROM nuovi GROUP BY 1 HAVING count(*) = 1)
      AND c.provincia NOT IN (SELECT provincia FROM rinominati)
)
SELECT data_evento, tipo, codice_prima, nome_prima, codice_dopo, nome_dopo, fonte, riga, dedotto FROM da_variazioni
UNION ALL SELECT * FROM da_soppressi
UNION ALL SELECT * FROM da_sardegna
UNION ALL SELECT * FROM da_anpr
UNION ALL SELECT * FROM dedotti
ORDER BY data_evento, codice_prima, tipo
