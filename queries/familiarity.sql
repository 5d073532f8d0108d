-- Schools that know «Bedre læringsmiljø» (2010, Tabell 1 or 2), one row per group incl. «Alle».
-- Params: $dimension ('trinn' | 'landsdel'). Used by: views/kjennskap.py, components/kommune_summary.py
SELECT dimension, group_label, group_order, is_total, share_pct, share_no_pct, sum_printed_pct,
       n_respondents, note, note_nb, source_id, table_no
FROM core.familiarity
WHERE dimension = $dimension
ORDER BY group_order;
