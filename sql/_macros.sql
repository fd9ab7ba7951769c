-- Helpers shared by the models (temporary: they live only for the connection that builds).
-- fmt_it(x, d): a number the Italian way, 1.234,5 (thousands dot, decimal comma).
CREATE OR REPLACE TEMP MACRO fmt_it(x, d) AS translate(format('{:,.{}f}', x::DOUBLE, d), ',.', '.,');
-- rango_tipo(tipo): how final a kind of figure is (1 = actuals); a table never mixes kinds silently.
CREATE OR REPLACE TEMP MACRO rango_tipo(t) AS
    CASE t WHEN 'consuntivo' THEN 1 WHEN 'preconsuntivo' THEN 2 WHEN 'budget_aggiornato' THEN 3
           WHEN 'preventivo' THEN 4 ELSE 9 END;
-- norm_nome(x): a territory name or code as a join key: upper case, no accents, no punctuation.
CREATE OR REPLACE TEMP MACRO norm_nome(x) AS
    trim(regexp_replace(upper(strip_accents(x)), '[^A-Z0-9]+', ' ', 'g'));
