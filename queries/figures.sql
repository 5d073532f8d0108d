-- Printed figures by stable key (core.figures, from data/raw/figure_keys.csv), one row per key.
-- Params: $keys (a tuple of keys). Used by: components/figures.py (Oversikt, Kjennskap, Bruk, Aktører)
SELECT figure_key, value, value_printed, doubtful, read_as, note, note_nb, source_id, table_no,
       row_label, column_label
FROM core.figures
WHERE list_contains($keys, figure_key)
ORDER BY figure_key;
