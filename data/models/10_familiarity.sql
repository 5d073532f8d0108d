-- Schools that know «Bedre læringsmiljø», 2010: by trinn (Tabell 1) and by landsdel (Tabell 2).
CREATE TABLE core.familiarity AS
SELECT 'trinn' AS dimension, * FROM core.yes_no_table('r2010_tabell_1')
UNION ALL
SELECT 'landsdel' AS dimension, * FROM core.yes_no_table('r2010_tabell_2');

-- Where schools that knew the initiative heard of it (Tabell 3); several sources could be ticked.
CREATE TABLE core.info_sources AS
SELECT s.row_label AS info_source, s.line_no AS source_order, s.column_label AS trinn,
       s.value AS share_pct, n.value::INTEGER AS n_respondents, s.source_id, s.table_no
FROM raw.source_cells s
JOIN raw.source_cells n
  ON n.source_id = s.source_id AND n.row_label = 'Antall' AND n.column_label = s.column_label
WHERE s.source_id = 'r2010_tabell_3' AND s.row_label <> 'Antall';
