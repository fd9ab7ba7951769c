-- Every figure printed in the chapters against what the pipeline computes for the same territory,
-- period, dimension and measure (data/catalog/misure_pubblicate.csv says how each is computed).
-- esito: riprodotto (equal at the printed precision), riprodotto_entro_arrotondamento (within
-- half a printed unit plus the inputs' rounding), non_riprodotto (both kept; reported in
-- qualita.rilievi), non_calcolabile (no data or no rule). base: fonte_originale when the inputs are
-- the publisher's own files, cifre_del_documento when they are the document's own printed levels
-- (then a match proves the document's arithmetic, not the data). Each figure is compared with the
-- release the document could have used (the latest out by its date), so a revised estimate
-- does not make an old chapter wrong.
WITH calcolati AS (
    SELECT 'osservazione' AS calcolo, territorio_id, periodo, dimensione, valore_dimensione, misura, NULL AS componente,
        valore, 0.5 * risoluzione AS errore, natura, rilascio
    FROM marts.contesto_osservazioni
    UNION ALL
    SELECT 'quota_' || quota_su, q.territorio_id, q.periodo, q.dimensione, q.valore_dimensione, q.misura, NULL,
        q.quota_pct, q.errore_arrotondamento, q.natura, q.rilascio
    FROM marts.contesto_quote AS q
    UNION ALL
    SELECT 'rango_regione', territorio_id, periodo, dimensione, valore_dimensione, misura, NULL, rango_regione, 0, natura, rilascio
    FROM marts.contesto_ranghi
    UNION ALL
    SELECT 'composizione', territorio_id, periodo, dimensione, valore_dimensione, misura, componente, quota_pct,
        errore_arrotondamento, natura, rilascio
    FROM marts.contesto_composizione
    WHERE radice
    UNION ALL
    SELECT 'variazione_pct', territorio_id, periodo, dimensione, valore_dimensione, misura, NULL, variazione_pct,
        errore_arrotondamento, natura, rilascio
    FROM marts.contesto_variazioni
    UNION ALL
    SELECT 'variazione_assoluta', territorio_id, periodo, dimensione, valore_dimensione, misura, NULL,
        variazione_assoluta, 0, natura, rilascio
    FROM marts.contesto_variazioni
    UNION ALL
    SELECT 'indicatore', territorio_id, periodo, dimensione, valore_dimensione, indicatore, NULL, valore, 0, natura, rilascio
    FROM marts.contesto_indicatori
    -- the figures the chapter's section marts compute (sql/marts/sezione_*.sql)
    UNION ALL
    SELECT 'quota_su_attive', territorio_id, periodo, 'macro_settore', settore, 'imprese_attive', NULL, quota_pct, 0,
        natura, rilascio
    FROM marts.sezione_imprese_settori
    UNION ALL
    -- the share of the units on their way to closing (001:486), the two statuses together
    SELECT 'composizione', territorio_id, periodo, 'status_impresa', voce_cessande, 'sedi_impresa', 'status_impresa',
        quota_cessande_pct, errore_arrotondamento, natura, rilascio
    FROM marts.sezione_imprese_status
    WHERE quota_cessande_pct IS NOT NULL
    UNION ALL
    SELECT 'quota_su_comparto', territorio_id, periodo, 'settore_specializzazione', settore, 'unita_locali', NULL,
        quota_unita_locali_pct, 0, natura, rilascio
    FROM marts.sezione_specializzazione
    UNION ALL
    SELECT 'quota_su_provincia', territorio_id, periodo, 'provenienza', provenienza, misura, NULL, quota, 0, natura,
        rilascio
    FROM marts.sezione_turismo_aree
    UNPIVOT (quota FOR misura IN (quota_arrivi_provincia_pct AS 'arrivi', quota_presenze_provincia_pct AS 'presenze'))
    UNION ALL
    SELECT 'quota_su_area', territorio_id, periodo, 'provenienza', provenienza, misura, NULL, quota, 0, natura, rilascio
    FROM marts.sezione_turismo_aree
    UNPIVOT (quota FOR misura IN (quota_arrivi_area_pct AS 'arrivi', quota_presenze_area_pct AS 'presenze'))
),
confronto AS (
    SELECT
        p.*,
        m.calcolo,
        c.valore AS valore_calcolato,
        c.errore,
        c.natura AS natura_input,
        c.rilascio AS rilascio_dati
    FROM staging.stg_contesto_pubblicati AS p
    LEFT JOIN meta.misure_pubblicate AS m ON m.misura_pubblicata = p.misura
    LEFT JOIN calcolati AS c
           ON c.calcolo = m.calcolo AND c.misura = m.misura_base AND c.territorio_id = p.territorio_id
          AND c.periodo = p.periodo AND c.dimensione = p.dimensione AND c.valore_dimensione = p.valore_dimensione
          AND (m.componente = '' OR c.componente = m.componente)
    -- the release the document could use: the latest one out by its date, else the earliest there is
    QUALIFY row_number() OVER (
        PARTITION BY p.territorio_originale, p.periodo, p.dimensione, p.valore_dimensione, p.misura, p.riferimento, p.rilascio
        ORDER BY c.rilascio <= p.rilascio DESC,
                 CASE WHEN c.rilascio <= p.rilascio THEN c.rilascio END DESC NULLS LAST,
                 c.rilascio ASC) = 1
)
SELECT
    territorio_originale AS territorio,
    territorio_id,
    periodo,
    dimensione,
    valore_dimensione,
    misura,
    calcolo,
    valore AS valore_pubblicato,
    decimali,
    valore_calcolato,
    valore_calcolato - valore AS differenza,
    CASE
        WHEN valore_calcolato IS NULL THEN 'non_calcolabile'
        WHEN round(valore_calcolato, decimali) = valore THEN 'riprodotto'
        WHEN abs(valore_calcolato - valore) <= 0.5 * power(10, -decimali) + coalesce(errore, 0)
            THEN 'riprodotto_entro_arrotondamento'
        ELSE 'non_riprodotto'
    END AS esito,
    CASE WHEN valore_calcolato IS NULL THEN NULL
         WHEN natura_input = 'pubblicato' THEN 'cifre_del_documento'
         ELSE 'fonte_originale' END AS base,
    rilascio_dati,
    riferimento,
    file_nome,
    riga
FROM confronto
ORDER BY riferimento, territorio, misura
