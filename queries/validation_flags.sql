-- Printed exceptions the build kept and flagged (sums off by rounding, inconsistent bases).
-- No params. Used by: views/kilder.py, views/kjennskap.py
SELECT source_id, table_no, row_label, column_label, rule, message, message_nb
FROM core.validation_flags;
