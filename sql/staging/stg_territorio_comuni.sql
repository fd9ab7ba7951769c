-- Every Istat code of a comune with the days it was valid: ANPR's archive (from 1991 to its last
-- update), closed by Istat's 2026 Sardinian correspondence, plus the codes of today's list that
-- ANPR does not have yet (the 2026 Sardinian codes from the day they took effect; other new comuni
-- from the day after ANPR's last change, the first day the archive cannot vouch for).
-- codice_provincia is the province (storico) code the comune code belongs to: its first 3 digits.
WITH anpr AS (
    SELECT codistat AS codice, codcatastale AS catasto, denominazione_it AS nome_anpr,
        CAST(dataistituzione AS DATE) AS dal, CAST(datacessazione AS DATE) AS al,
        idprovinciaistat AS codice_provincia, idregione AS codice_regione, siglaprovincia AS sigla
    FROM raw.anpr_archivio_comuni
),
sardegna AS (
    SELECT codice_comune AS codice, codice_comune_precedente AS precedente, CAST(in_vigore_dal AS DATE) AS dal,
        denominazione_comune AS nome
    FROM raw.istat_sardegna_2026
),
oggi AS (
    SELECT codice_comune_alfanumerico AS codice, comune_dizione_italiana AS nome, codice_catasto AS catasto,
        codice_provincia_storico AS codice_provincia, codice_regione, sigla_automobilistica AS sigla
    FROM raw.istat_unita_territoriali
),
fine_anpr AS (
    SELECT greatest(max(dal), max(al) FILTER (WHERE al < DATE '9999-12-31')) + 1 AS dal FROM anpr
),
righe AS (
    SELECT a.codice, a.catasto, coalesce(o.nome, e.denominazione_in_italiano, a.nome_anpr) AS nome, a.dal,
        CASE WHEN s.codice IS NOT NULL AND a.al >= s.dal THEN s.dal - 1 ELSE a.al END AS al,
        a.codice_provincia, a.codice_regione, a.sigla, 'anpr_archivio_comuni' AS fonte
    FROM anpr AS a
    LEFT JOIN sardegna AS s ON s.precedente = a.codice
    LEFT JOIN oggi AS o ON o.codice = a.codice AND o.catasto = a.catasto AND a.al = DATE '9999-12-31'
    LEFT JOIN raw.istat_elenco_comuni_2023 AS e
           ON e.codice_comune_formato_alfanumerico = a.codice AND e.codice_catastale_del_comune = a.catasto
    UNION ALL
    SELECT o.codice, o.catasto, o.nome, coalesce(s.dal, f.dal), DATE '9999-12-31', o.codice_provincia,
        o.codice_regione, o.sigla, CASE WHEN s.codice IS NULL THEN 'istat_unita_territoriali' ELSE 'istat_sardegna_2026' END
    FROM oggi AS o
    CROSS JOIN fine_anpr AS f
    LEFT JOIN sardegna AS s ON s.codice = o.codice
    WHERE o.codice NOT IN (SELECT codice FROM anpr)
)
SELECT
    codice,
    catasto,
    nome,
    dal AS valido_dal,
    al AS valido_al,
    codice_provincia,
    codice_regione,
    sigla,
    fonte,
    al = DATE '9999-12-31' AND codice IN (SELECT codice FROM oggi) AS in_vigore
FROM righe
WHERE dal <= al
ORDER BY codice, valido_dal
