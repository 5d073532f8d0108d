-- Figures by stable key (raw/figure_keys.csv): the printed cell behind each key, as printed.
-- The build has checked that every key is unique and names exactly one cell.
CREATE TABLE core.figures AS
SELECT k.key AS figure_key, c.value, c.value_printed, c.doubtful, c.read_as, c.note, c.note_nb,
       c.source_id, c.report_year, c.table_no, c.row_label, c.column_label, c.file, c.line_no
FROM raw.figure_keys k
JOIN raw.source_cells c
  USING (source_id, table_no, row_label, column_label);
