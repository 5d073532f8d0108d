-- Figures printed in running text or footnotes of one report (table_no like 'Fotnote 1').
-- Params: $source_id. Used by: views/kjennskap.py, views/aktorer.py, views/oversikt.py
SELECT table_no, row_label, column_label, value_printed, value, doubtful, note, note_nb, source_id
FROM main.source_cells
WHERE source_id = $source_id
ORDER BY line_no;
