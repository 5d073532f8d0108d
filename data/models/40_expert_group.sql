-- Expert group 2021: profile counts (5.1.1), use of the indicators (2.5), correlations (6.7.2.1).
CREATE TABLE core.expert_profiles AS
SELECT p.row_label AS trinn, t.value::INTEGER AS n_schools_all_periods,
       p.column_label AS profile, p.value::INTEGER AS n_schools, p.source_id, p.table_no
FROM raw.source_cells p
JOIN raw.source_cells t
  ON t.source_id = p.source_id AND t.table_no = p.table_no AND t.row_label = p.row_label
 AND t.column_label = 'Skoler med skolebidrag for alle årgangene'
WHERE p.source_id = 'r2021_tekst' AND p.table_no = 'Avsnitt 5.1.1'
  AND p.column_label LIKE 'Profil%';

CREATE TABLE core.indicator_use AS
SELECT row_label AS respondent, value AS share_pct, value_printed, note, note_nb, source_id, table_no
FROM raw.source_cells WHERE source_id = 'r2021_tekst' AND table_no = 'Avsnitt 2.5';

CREATE TABLE core.indicator_correlations AS
SELECT row_label AS pair, value AS r, value_printed, note, note_nb, source_id, table_no
FROM raw.source_cells WHERE source_id = 'r2021_tekst' AND table_no = 'Avsnitt 6.7.2.1';
