-- Section "Le imprese" (001:486-500): the companies registered at each date by status, for every
-- territory: registered, active and their share, and the share of the units on their way to closing
-- (001:486: "procedure concorsuali, scioglimenti e liquidazioni ... portano alla cessazione d'impresa"),
-- the sum of the shares of those two statuses in marts.contesto_composizione (one denominator, the
-- registered companies), so it exists only where both statuses are delivered.
WITH quote AS (
    SELECT fonte, territorio_id, territorio, periodo, rilascio, any_value(natura) AS natura,
        any_value(valore_padre_numero) AS registrate,
        max(valore) FILTER (WHERE valore_dimensione = 'Attive') AS attive,
        max(quota_pct) FILTER (WHERE valore_dimensione = 'Attive') AS quota_attive_pct,
        sum(valore) FILTER (WHERE valore_dimensione IN ('con Procedure concorsuali', 'in Scioglimento o Liquidazione'))
            AS cessande,
        sum(quota_pct) FILTER (WHERE valore_dimensione IN ('con Procedure concorsuali', 'in Scioglimento o Liquidazione'))
            AS quota_cessande_pct,
        sum(errore_arrotondamento) FILTER (WHERE valore_dimensione IN ('con Procedure concorsuali',
            'in Scioglimento o Liquidazione')) AS errore_arrotondamento,
        count(*) FILTER (WHERE valore_dimensione IN ('con Procedure concorsuali', 'in Scioglimento o Liquidazione'))
            AS stati_cessande
    FROM marts.contesto_composizione
    WHERE misura = 'sedi_impresa' AND dimensione = 'status_impresa' AND radice
      AND valore_padre = 'Totale registrate'
    GROUP BY ALL
)
SELECT
    fonte, territorio_id, territorio, periodo, rilascio, natura, registrate, attive, quota_attive_pct,
    CASE WHEN stati_cessande = 2 THEN cessande END AS cessande,
    CASE WHEN stati_cessande = 2 THEN quota_cessande_pct END AS quota_cessande_pct,
    CASE WHEN stati_cessande = 2 THEN errore_arrotondamento END AS errore_arrotondamento,
    -- the label the chapters print the two statuses under (data/sample/lucca/contesto_pubblicati, 001:486)
    'con Procedure concorsuali + in Scioglimento o Liquidazione' AS voce_cessande
FROM quote
ORDER BY territorio_id, periodo, rilascio
