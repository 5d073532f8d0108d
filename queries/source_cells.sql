-- Every printed cell, for checking a figure against the page. Params: $report_year (0 = all),
-- $search ('' = all; matched case-insensitively in table, row, column or printed value).
-- Used by: views/kilder.py
SELECT report_year, table_no, row_label, column_label, value_printed, value, doubtful, read_as,
       note, note_nb, source_id, file, line_no
FROM main.source_cells
WHERE ($report_year = 0 OR report_year = $report_year)
  AND ($search = '' OR contains(lower(concat_ws(' ', table_no, row_label, column_label, value_printed)), lower($search)))
ORDER BY report_year, source_id, line_no;
