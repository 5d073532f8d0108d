-- School owners' use of the web guidance by kommune size, 2010 (Tabell 6).
CREATE TABLE core.owner_use_by_size AS
SELECT * FROM core.yes_no_table('r2010_tabell_6');

-- The chain from knowing to using (Tabell 2, 4, 5, 6, 7 and the text). Each step keeps its own
-- base: the report's bases differ, so shares of different steps must not be multiplied.
-- A step's share is one printed cell (share_row × share_col); its n is the cell in the same
-- table at n_row (default: the same row) × n_col (default: the same column); a step with
-- neither has no printed n.
CREATE TABLE core.use_chain AS
WITH web(label) AS (VALUES ('Bruk av nettbasert veiledning og materiell for satsingen "Bedre læringsmiljø"')),
holistic(label) AS (VALUES ('Bruk av materiell for helhetlig arbeid med læringsmiljøet')),
-- Tabell 5 (schools) and 7 (owners): two kinds of material, each as a share of those who used
-- material («brukere») and of everyone («alle»); a column is «<material> | <base>».
material(step_order, step_key, label) AS (VALUES
    (4, 'mobbing', 'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing'),
    (5, 'annet', 'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø')),
material_base(respondent, source_id, base_key, label) AS (VALUES
    ('skoler', 'r2010_tabell_5', 'brukere', 'I andel av skoler som har brukt materiell'),
    ('skoler', 'r2010_tabell_5', 'alle', 'I andel av alle skoler'),
    ('skoleeiere', 'r2010_tabell_7', 'brukere', 'Prosent som har brukt materiell'),
    ('skoleeiere', 'r2010_tabell_7', 'alle', 'Prosent av alle skoleeiere')),
steps AS (
    SELECT 'skoler' AS respondent, 1 AS step_order, 'kjenner' AS step_key, 'alle' AS base_key,
           'r2010_tabell_2' AS source_id, 'Ja' AS share_row, 'Alle' AS share_col,
           'Antall' AS n_row, NULL AS n_col
    UNION ALL SELECT 'skoler', 2, 'nettveiledning', 'kjenner', 'r2010_tabell_4', web.label,
           '% som har svart "Ja"', NULL, 'Antall svar totalt (N)' FROM web
    UNION ALL SELECT 'skoler', 3, 'helhetlig', 'nettveiledning', 'r2010_tabell_4', holistic.label,
           '% som har svart "Ja"', NULL, 'Antall svar totalt (N)' FROM holistic
    -- owners' familiarity is printed in the text only, without n (the Oppsummering says 90 %)
    UNION ALL SELECT 'skoleeiere', 1, 'kjenner', 'alle', 'r2010_tekst',
           'Skoleeiere som kjenner til satsingen', 'Prosent', NULL, NULL
    UNION ALL SELECT 'skoleeiere', 2, 'nettveiledning', 'alle', 'r2010_tabell_6', 'Ja', 'Alle',
           'Antall', NULL
    UNION ALL SELECT b.respondent, m.step_order, m.step_key, b.base_key, b.source_id, '%',
           m.label || ' | ' || b.label, 'N (100 %)', NULL
    FROM material m CROSS JOIN material_base b
)
SELECT st.respondent, st.step_order, st.step_key, st.base_key,
       s.value AS share_pct, s.value_printed AS share_printed,
       n.value::INTEGER AS n_base, n.value_printed AS n_printed,
       coalesce(n.doubtful, false) OR s.doubtful AS doubtful,
       concat_ws(' ', s.note, n.note) AS note,
       concat_ws(' ', s.note_nb, n.note_nb) AS note_nb,
       s.source_id, s.table_no
FROM steps st
JOIN raw.source_cells s
  ON s.source_id = st.source_id AND s.row_label = st.share_row AND s.column_label = st.share_col
     AND (st.source_id <> 'r2010_tekst' OR s.table_no = 'Tekst etter Tabell 2')
LEFT JOIN raw.source_cells n
  ON (st.n_row IS NOT NULL OR st.n_col IS NOT NULL)  -- neither: no n printed
     AND n.source_id = st.source_id
     AND n.row_label = coalesce(st.n_row, st.share_row)
     AND n.column_label = coalesce(st.n_col, st.share_col);
