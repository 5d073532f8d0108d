-- School owners' use of the web guidance by kommune size, 2010 (Tabell 6).
CREATE TABLE core.owner_use_by_size AS
SELECT * FROM core.yes_no_table('r2010_tabell_6');

-- The chain from knowing to using (Tabell 2, 4, 5, 7 and the text). Each step keeps its own
-- base: the report's bases differ, so shares of different steps must not be multiplied.
CREATE TABLE core.use_chain AS
WITH steps(respondent, step_order, step_key, base_key, source_id, row_label, share_col, n_source_id, n_row, n_col) AS (
    VALUES
    ('skoler', 1, 'kjenner', 'alle', 'r2010_tabell_2', 'Ja', 'Alle', 'r2010_tabell_2', 'Antall', 'Alle'),
    ('skoler', 2, 'nettveiledning', 'kjenner', 'r2010_tabell_4',
        'Bruk av nettbasert veiledning og materiell for satsingen "Bedre læringsmiljø"', '% som har svart "Ja"',
        'r2010_tabell_4', 'Bruk av nettbasert veiledning og materiell for satsingen "Bedre læringsmiljø"', 'Antall svar totalt (N)'),
    ('skoler', 3, 'helhetlig', 'nettveiledning', 'r2010_tabell_4',
        'Bruk av materiell for helhetlig arbeid med læringsmiljøet', '% som har svart "Ja"',
        'r2010_tabell_4', 'Bruk av materiell for helhetlig arbeid med læringsmiljøet', 'Antall svar totalt (N)'),
    ('skoler', 4, 'mobbing', 'brukere', 'r2010_tabell_5', '%',
        'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | I andel av skoler som har brukt materiell',
        'r2010_tabell_5', 'N (100 %)', 'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | I andel av skoler som har brukt materiell'),
    ('skoler', 4, 'mobbing', 'alle', 'r2010_tabell_5', '%',
        'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | I andel av alle skoler',
        'r2010_tabell_5', 'N (100 %)', 'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | I andel av alle skoler'),
    ('skoler', 5, 'annet', 'brukere', 'r2010_tabell_5', '%',
        'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | I andel av skoler som har brukt materiell',
        'r2010_tabell_5', 'N (100 %)', 'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | I andel av skoler som har brukt materiell'),
    ('skoler', 5, 'annet', 'alle', 'r2010_tabell_5', '%',
        'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | I andel av alle skoler',
        'r2010_tabell_5', 'N (100 %)', 'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | I andel av alle skoler'),
    ('skoleeiere', 1, 'kjenner', 'alle', 'r2010_tekst', 'Skoleeiere som kjenner til satsingen', 'Prosent',
        NULL, NULL, NULL),
    ('skoleeiere', 2, 'nettveiledning', 'alle', 'r2010_tabell_6', 'Ja', 'Alle', 'r2010_tabell_6', 'Antall', 'Alle'),
    ('skoleeiere', 4, 'mobbing', 'brukere', 'r2010_tabell_7', '%',
        'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | Prosent som har brukt materiell',
        'r2010_tabell_7', 'N (100 %)', 'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | Prosent som har brukt materiell'),
    ('skoleeiere', 4, 'mobbing', 'alle', 'r2010_tabell_7', '%',
        'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | Prosent av alle skoleeiere',
        'r2010_tabell_7', 'N (100 %)', 'Bruk av oppgitt informasjon og materiell for arbeid mot mobbing | Prosent av alle skoleeiere'),
    ('skoleeiere', 5, 'annet', 'brukere', 'r2010_tabell_7', '%',
        'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | Prosent som har brukt materiell',
        'r2010_tabell_7', 'N (100 %)', 'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | Prosent som har brukt materiell'),
    ('skoleeiere', 5, 'annet', 'alle', 'r2010_tabell_7', '%',
        'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | Prosent av alle skoleeiere',
        'r2010_tabell_7', 'N (100 %)', 'Bruk av oppgitt materiell for annet arbeid for bedre læringsmiljø | Prosent av alle skoleeiere')
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
  ON s.source_id = st.source_id AND s.row_label = st.row_label AND s.column_label = st.share_col
     AND (st.source_id <> 'r2010_tekst' OR s.table_no = 'Tekst etter Tabell 2')
LEFT JOIN raw.source_cells n
  ON n.source_id = st.n_source_id AND n.row_label = st.n_row AND n.column_label = st.n_col;
