-- Helpers shared by the models (temporary: they live only for the connection that builds).
-- fmt_it(x, d): a number the Italian way, 1.234,5 (thousands dot, decimal comma).
CREATE OR REPLACE TEMP MACRO fmt_it(x, d) AS translate(format('{:,.{}f}', x::DOUBLE, d), ',.', '.,');
-- rango_tipo(tipo): how final a kind of figure is (1 = actuals); a table never mixes kinds silently.
CREATE OR REPLACE TEMP MACRO rango_tipo(t) AS
    CASE t WHEN 'consuntivo' THEN 1 WHEN 'preconsuntivo' THEN 2 WHEN 'budget_aggiornato' THEN 3
           WHEN 'preventivo' THEN 4 ELSE 9 END;
-- tipo_periodo(p): anno, data, trimestre, semestre, intervallo or mesi_cumulati, from the period's format.
CREATE OR REPLACE TEMP MACRO tipo_periodo(p) AS
    CASE
        WHEN regexp_full_match(p, '\d{4}') THEN 'anno'
        WHEN regexp_full_match(p, '\d{4}-\d{2}-\d{2}') THEN 'data'
        WHEN regexp_full_match(p, '\d{4}Q[1-4]') THEN 'trimestre'
        WHEN regexp_full_match(p, '\d{4}H[12]') THEN 'semestre'
        WHEN regexp_full_match(p, '\d{4}-\d{4}') THEN 'intervallo'
        ELSE 'mesi_cumulati'
    END;
-- periodo_prec(p): the same period a year earlier (every format starts with its year); none for spans.
CREATE OR REPLACE TEMP MACRO periodo_prec(p) AS
    CASE WHEN NOT regexp_full_match(p, '\d{4}-\d{4}')
         THEN CAST(CAST(substr(p, 1, 4) AS INTEGER) - 1 AS VARCHAR) || substr(p, 5) END;
-- errore_quota(a, res_a, b, res_b): bound of the error on 100 * a / b when a and b are printed with
-- resolutions res_a and res_b (first order: half a unit on each).
CREATE OR REPLACE TEMP MACRO errore_quota(a, res_a, b, res_b) AS
    100.0 * (0.5 * res_a / abs(b) + abs(a) * 0.5 * res_b / (b * b));
-- norm_nome(x): a territory name or code as a join key: upper case, no accents, no punctuation.
CREATE OR REPLACE TEMP MACRO norm_nome(x) AS
    trim(regexp_replace(upper(strip_accents(x)), '[^A-Z0-9]+', ' ', 'g'));
-- periodo_it(p): a period as the office writes it: '2018' -> 2018, '2011-01-01' -> 1° gennaio 2011,
-- '2018-12-31' -> 31 dicembre 2018, '2020Q4' -> quarto trimestre 2020, '2018H1' -> primo semestre 2018,
-- '2018M01-M09' -> gennaio-settembre 2018, '2018M05' -> maggio 2018; any other code as it is.
-- The dates as pipelines/italiano.data writes them (Babel, it_IT); tests/test_periodo_it.py checks both agree.
CREATE OR REPLACE TEMP MACRO mese_it(m) AS
    ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre',
     'novembre', 'dicembre'][m];
CREATE OR REPLACE TEMP MACRO periodo_it(p) AS
    CASE
        WHEN p IS NULL THEN NULL
        WHEN regexp_full_match(p, '\d{4}-\d{2}-\d{2}') AND TRY_CAST(p AS DATE) IS NOT NULL
            THEN CASE WHEN day(TRY_CAST(p AS DATE)) = 1 THEN '1°' ELSE CAST(day(TRY_CAST(p AS DATE)) AS VARCHAR) END
                 || ' ' || mese_it(month(TRY_CAST(p AS DATE))) || ' ' || substr(p, 1, 4)
        WHEN regexp_full_match(p, '\d{4}Q[1-4]')
            THEN ['primo', 'secondo', 'terzo', 'quarto'][TRY_CAST(substr(p, 6, 1) AS INTEGER)]
                 || ' trimestre ' || substr(p, 1, 4)
        WHEN regexp_full_match(p, '\d{4}H[12]')
            THEN ['primo', 'secondo'][TRY_CAST(substr(p, 6, 1) AS INTEGER)] || ' semestre ' || substr(p, 1, 4)
        WHEN regexp_full_match(p, '\d{4}M(0[1-9]|1[0-2])-M(0[1-9]|1[0-2])')
            THEN mese_it(TRY_CAST(substr(p, 6, 2) AS INTEGER)) || '-' || mese_it(TRY_CAST(substr(p, 10, 2) AS INTEGER))
                 || ' ' || substr(p, 1, 4)
        WHEN regexp_full_match(p, '\d{4}M(0[1-9]|1[0-2])')
            THEN mese_it(TRY_CAST(substr(p, 6, 2) AS INTEGER)) || ' ' || substr(p, 1, 4)
        ELSE p
    END;
