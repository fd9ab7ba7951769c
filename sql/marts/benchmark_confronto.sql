-- The Camera against its comparison panels: for each panel, year, indicator and member Camera,
-- the member's value, the panel's mean and median, the rank (1 = best given the indicator's
-- direction; none for band targets), the gap from median and mean, and whether it is favourable.
-- A Camera missing from the panel extract enters with its own computed value (actuals or
-- preconsuntivo) where the panel covers that indicator and year, marked origine = 'calcolato'.
-- A panel with fewer than three Camere with a value gets no rank and no verdict (a panel of one is
-- not a comparison); neither do band targets and indicators without a direction (compositions).
-- The averages and medians the panel's publisher printed are shown beside the computed ones
-- (media_pubblicata, mediana_pubblicata), never counted as members.
WITH valori AS (
    SELECT camera, anno, indicatore, valore, illustrativo, 'panel' AS origine
    FROM staging.stg_benchmark_valori
    UNION ALL
    SELECT s.camera, s.anno, s.indicatore, s.valore, s.illustrativo, 'calcolato' AS origine
    FROM marts.stato_salute AS s
    WHERE s.tipo IN ('consuntivo', 'preconsuntivo')
      AND NOT EXISTS (
          SELECT 1 FROM staging.stg_benchmark_valori AS b
          WHERE b.camera = s.camera AND b.anno = s.anno AND b.indicatore = s.indicatore)
      -- only where the panel has that indicator and year: never a panel of one
      AND EXISTS (
          SELECT 1 FROM staging.stg_benchmark_valori AS b
          WHERE b.anno = s.anno AND b.indicatore = s.indicatore)
),
membri AS (
    SELECT p.panel, p.descrizione AS panel_descrizione, v.*
    FROM staging.stg_benchmark_panel AS p
    JOIN valori AS v ON v.camera = p.camera
),
statistiche AS (
    SELECT panel, anno, indicatore,
        count(valore) AS n_camere, avg(valore) AS media, median(valore) AS mediana,
        min(valore) AS minimo, max(valore) AS massimo, bool_or(illustrativo) AS panel_illustrativo
    FROM membri
    GROUP BY ALL
),
pubblicate AS (
    SELECT panel, anno, indicatore,
        max(valore) FILTER (WHERE statistica = 'media') AS media_pubblicata,
        max(valore) FILTER (WHERE statistica = 'mediana') AS mediana_pubblicata
    FROM staging.stg_benchmark_statistiche
    WHERE panel IS NOT NULL
    GROUP BY ALL
)
SELECT
    m.panel,
    m.panel_descrizione,
    m.anno,
    m.indicatore,
    d.nome,
    d.unita,
    d.decimali,
    d.direzione,
    m.camera,
    m.valore,
    m.origine,
    m.illustrativo OR s.panel_illustrativo AS illustrativo,
    s.n_camere,
    s.media,
    s.mediana,
    pb.media_pubblicata,
    pb.mediana_pubblicata,
    s.minimo,
    s.massimo,
    CASE WHEN s.n_camere < 3 OR m.valore IS NULL THEN NULL
         WHEN d.direzione = 'alto' THEN rank() OVER (PARTITION BY m.panel, m.anno, m.indicatore ORDER BY m.valore DESC)
         WHEN d.direzione = 'basso' THEN rank() OVER (PARTITION BY m.panel, m.anno, m.indicatore ORDER BY m.valore ASC)
    END AS rango,
    m.valore - s.mediana AS scarto_mediana,
    m.valore - s.media AS scarto_media,
    CASE
        WHEN m.valore IS NULL THEN 'non disponibile: valore fuori dall''intervallo ammesso (rilievo Q6)'
        WHEN s.n_camere < 3 THEN 'non applicabile: panel con meno di tre Camere'
        WHEN d.direzione = 'banda' THEN 'non applicabile: obiettivo a banda'
        WHEN d.direzione NOT IN ('alto', 'basso') THEN 'non applicabile: indicatore senza direzione'
        WHEN m.valore = s.mediana THEN 'pari alla mediana'
        WHEN (d.direzione = 'alto') = (m.valore > s.mediana) THEN 'migliore della mediana'
        ELSE 'peggiore della mediana'
    END AS esito_confronto,
    CASE
        WHEN s.n_camere < 3 OR m.valore IS NULL OR d.direzione NOT IN ('alto', 'basso') OR m.valore = s.mediana THEN NULL
        ELSE (d.direzione = 'alto') = (m.valore > s.mediana)
    END AS favorevole
FROM membri AS m
JOIN statistiche AS s USING (panel, anno, indicatore)
LEFT JOIN pubblicate AS pb ON pb.panel = m.panel AND pb.anno = m.anno AND pb.indicatore = m.indicatore
JOIN meta.indicatori AS d ON d.id = m.indicatore
ORDER BY m.panel, m.indicatore, m.anno, m.camera
