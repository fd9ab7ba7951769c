-- NUTS and CL_ITTER107 codes of regions and provinces, each mapped to the Istat code it stands for:
-- NUTS 2010 and 2021 from Istat's list of comuni 2023 (a code is kept when its comuni are exactly the
-- comuni of one province, or of one region, in that list's layout), NUTS 2024 from today's list
-- (the same rule: Sardinia's 2024 codes do not match its 2026 provinces and are left out), NUTS 2006
-- through Eurostat's 2006 -> 2010 table (a split or terminated code follows the 2010 code with the
-- same label in that table: ITC45 Milano -> ITC4C Milano), and CL_ITTER107, which writes provinces
-- born after 2006 as IT + their Istat code (IT108 Monza e della Brianza) and the others with NUTS 2006.
WITH elenco AS (
    SELECT codice_ripartizione_geografica AS ripartizione, codice_nuts1_2010 AS n1_2010, codice_nuts1_2021 AS n1_2021,
        codice_regione AS regione, codice_provincia_storico_1 AS provincia_2023,
        substr(lpad(codice_comune_numerico_con_110_province_dal_2010_al_2016, 6, '0'), 1, 3) AS provincia_2010,
        codice_nuts2_2010_3 AS n2_2010, codice_nuts3_2010 AS n3_2010,
        codice_nuts2_2021_3 AS n2_2021, codice_nuts3_2021 AS n3_2021
    FROM raw.istat_elenco_comuni_2023
),
oggi AS (
    SELECT codice_ripartizione_geografica AS ripartizione, codice_nuts1_2024 AS n1, codice_regione AS regione,
        codice_provincia_storico AS provincia, codice_nuts2_2024 AS n2, codice_nuts3_2024 AS n3
    FROM raw.istat_unita_territoriali
),
-- (NUTS code, level of the Istat unit, Istat code, NUTS version): every pairing of a comune's codes
coppie AS (
    SELECT n3_2010 AS nuts, 3 AS livello_nuts, 'provincia' AS livello, provincia_2010 AS codice_istat, '2010' AS versione FROM elenco
    UNION ALL SELECT n3_2021, 3, 'provincia', provincia_2023, '2021' FROM elenco
    UNION ALL SELECT n3, 3, 'provincia', provincia, '2024' FROM oggi
    UNION ALL SELECT n2_2010, 2, 'regione', regione, '2010' FROM elenco
    UNION ALL SELECT n2_2021, 2, 'regione', regione, '2021' FROM elenco
    UNION ALL SELECT n2, 2, 'regione', regione, '2024' FROM oggi
    -- a NUTS 2 code may be one province (the autonomous provinces of Bolzano and Trento)
    UNION ALL SELECT n2_2010, 2, 'provincia', provincia_2010, '2010' FROM elenco
    UNION ALL SELECT n2_2021, 2, 'provincia', provincia_2023, '2021' FROM elenco
    UNION ALL SELECT n2, 2, 'provincia', provincia, '2024' FROM oggi
    -- NUTS 1: the ripartizioni geografiche (ITC Nord-ovest, ITH Nord-est, ...)
    UNION ALL SELECT n1_2010, 1, 'ripartizione', ripartizione, '2010' FROM elenco
    UNION ALL SELECT n1_2021, 1, 'ripartizione', ripartizione, '2021' FROM elenco
    UNION ALL SELECT n1, 1, 'ripartizione', ripartizione, '2024' FROM oggi
),
comuni_per_coppia AS (
    SELECT nuts, livello_nuts, livello, codice_istat, versione, count(*) AS n FROM coppie GROUP BY ALL
),
uno_a_uno AS (
    -- the NUTS code and the Istat unit share at least 90% of the comuni of each (a comune that changed
    -- province after 2016, like Sappada, keeps its old NUTS 2010 in the 2023 list)
    SELECT c.nuts, c.livello, c.codice_istat, c.versione
    FROM comuni_per_coppia AS c
    WHERE c.n >= 0.9 * (SELECT sum(n) FROM comuni_per_coppia AS x
                 WHERE x.nuts = c.nuts AND x.livello = c.livello AND x.versione = c.versione)
      AND c.n >= 0.9 * (SELECT sum(n) FROM comuni_per_coppia AS y
                 WHERE y.codice_istat = c.codice_istat AND y.livello = c.livello AND y.versione = c.versione
                   AND y.livello_nuts = c.livello_nuts)
),
eurostat AS (
    SELECT replace(code_2006, ' (part)', '') AS code_2006, code_2006 LIKE '% (part)' AS parte, code_2010, change,
        coalesce(nullif(nuts_level_3, ''), nullif(nuts_level_2, ''), nuts_level_1) AS etichetta, level
    FROM raw.eurostat_nuts_2006_2010
),
da_2006 AS (
    -- same code, or a code change: one row with both codes
    SELECT code_2006, code_2010, etichetta FROM eurostat WHERE code_2006 <> '' AND code_2010 <> '' AND NOT parte
    UNION ALL
    -- split: the part keeping the label of the whole
    SELECT p.code_2006, p.code_2010, t.etichetta FROM eurostat AS p
    JOIN eurostat AS t ON t.code_2006 = p.code_2006 AND NOT t.parte AND t.code_2010 = ''
    WHERE p.parte AND p.etichetta = t.etichetta
    UNION ALL
    -- terminated or boundary shift: the new region of the same level and label
    SELECT t.code_2006, n.code_2010, t.etichetta FROM eurostat AS t
    JOIN eurostat AS n ON n.code_2006 = '' AND n.level = t.level AND n.etichetta = t.etichetta
    WHERE t.code_2010 = '' AND NOT t.parte AND t.change IN ('Terminated', 'Boundary shift')
),
nuts_2006 AS (
    SELECT d.code_2006 AS nuts, u.livello, u.codice_istat, '2006' AS versione
    FROM da_2006 AS d JOIN uno_a_uno AS u ON u.nuts = d.code_2010 AND u.versione = '2010'
),
itter AS (
    SELECT dimensionvalueid AS codice, dimensionvaluedescription AS etichetta FROM raw.istat_cl_itter107
),
regioni_oggi AS (
    SELECT DISTINCT codice_regione AS codice, regione AS nome FROM raw.istat_unita_territoriali
),
ripartizioni AS (
    SELECT DISTINCT codice_ripartizione_geografica AS codice, ripartizione_geografica AS nome FROM raw.istat_unita_territoriali
),
itter107 AS (
    -- CL_ITTER107 codes of one letter after IT are the ripartizioni, named as in Istat's list (ITE Centro)
    SELECT i.codice AS nuts, 'ripartizione' AS livello, r.codice AS codice_istat, 'itter107' AS versione
    FROM itter AS i JOIN ripartizioni AS r ON norm_nome(r.nome) = norm_nome(i.etichetta)
    WHERE regexp_full_match(i.codice, 'IT[A-Z]')
    UNION ALL
    -- two such letters are the union of two ripartizioni (ITCD Nord, ITFG Mezzogiorno)
    SELECT i.codice, 'ripartizione', a.codice || b.codice, 'itter107'
    FROM itter AS i
    JOIN itter AS ia ON ia.codice = 'IT' || substr(i.codice, 3, 1)
    JOIN ripartizioni AS a ON norm_nome(a.nome) = norm_nome(ia.etichetta)
    JOIN itter AS ib ON ib.codice = 'IT' || substr(i.codice, 4, 1)
    JOIN ripartizioni AS b ON norm_nome(b.nome) = norm_nome(ib.etichetta)
    WHERE regexp_full_match(i.codice, 'IT[A-Z]{2}')
    UNION ALL
    -- a region CL_ITTER107 writes with no NUTS code (ITDA Trentino Alto Adige / Südtirol), by its name in Istat's list
    SELECT i.codice, 'regione', r.codice, 'itter107'
    FROM itter AS i JOIN regioni_oggi AS r ON norm_nome(r.nome) = norm_nome(i.etichetta)
    WHERE regexp_full_match(i.codice, 'IT[A-Z][0-9A-Z]') AND i.codice NOT IN (SELECT nuts FROM nuts_2006)
    UNION ALL
    SELECT i.codice AS nuts, 'provincia' AS livello, substr(i.codice, 3) AS codice_istat, 'itter107' AS versione
    FROM itter AS i
    WHERE regexp_full_match(i.codice, 'IT1[0-9]{2}')
      AND substr(i.codice, 3) IN (SELECT provincia_2010 FROM elenco UNION SELECT provincia_2023 FROM elenco
                                  UNION SELECT provincia FROM oggi)
    UNION ALL
    SELECT i.codice, n.livello, n.codice_istat, 'itter107' FROM itter AS i JOIN nuts_2006 AS n ON n.nuts = i.codice
),
tutti AS (
    SELECT * FROM uno_a_uno
    UNION ALL SELECT * FROM nuts_2006
    UNION ALL SELECT * FROM itter107
),
-- a NUTS 2 code that is a whole region is the region (ITC2 Valle d'Aosta), not also its only province
senza_doppi AS (
    SELECT * FROM tutti AS t
    WHERE NOT (t.livello = 'provincia' AND EXISTS (
        SELECT 1 FROM tutti AS r WHERE r.nuts = t.nuts AND r.versione = t.versione AND r.livello = 'regione'))
)
SELECT DISTINCT
    t.nuts AS codice,
    t.versione,
    -- a NUTS 2 code standing for one province and for its region is both only when the region has one province
    t.livello,
    t.codice_istat,
    coalesce(i.etichetta, e.etichetta) AS etichetta
FROM senza_doppi AS t
LEFT JOIN itter AS i ON i.codice = t.nuts AND t.versione = 'itter107'
LEFT JOIN (SELECT code_2006 AS codice, any_value(etichetta) AS etichetta FROM da_2006 GROUP BY 1) AS e
       ON e.codice = t.nuts AND t.versione IN ('2006', 'itter107')
WHERE t.nuts <> ''
ORDER BY t.versione, t.livello, t.nuts
