-- source_cells: one row per printed cell, as the issue and the Kilder page describe it.
-- The tidy tables below are all derived from raw.source_cells, never typed a second time.
CREATE VIEW main.source_cells AS
SELECT source_id, report_year, table_no, row_label, column_label, value_printed, value,
       doubtful, read_as, note, note_nb, file, line_no
FROM raw.source_cells;

-- Yes/no tables of the 2010 survey (Tabell 1, 2, 6): Ja, Nei, Sum and «(n=…)» per column.
CREATE MACRO core.yes_no_table(sid) AS TABLE
SELECT
    column_label                                              AS group_label,
    min(line_no)                                              AS group_order,
    column_label = 'Alle'                                     AS is_total,
    max(value) FILTER (WHERE row_label = 'Ja')                AS share_pct,
    max(value) FILTER (WHERE row_label = 'Nei')               AS share_no_pct,
    max(value) FILTER (WHERE row_label = 'Sum')               AS sum_printed_pct,
    max(value) FILTER (WHERE row_label = 'Antall')::INTEGER   AS n_respondents,
    max(note)                                                 AS note,
    max(note_nb)                                              AS note_nb,
    any_value(source_id)                                      AS source_id,
    any_value(table_no)                                       AS table_no
FROM raw.source_cells
WHERE source_id = sid
GROUP BY column_label;
