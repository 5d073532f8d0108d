-- School owners' use of the web guidance by kommune size (2010, Tabell 6).
-- No params. Used by: views/bruk.py, views/min_kommune.py, views/oversikt.py
SELECT group_label AS size_class, group_order, is_total, group_label = 'Fylke' AS is_fylke,
       share_pct, share_no_pct, n_respondents, note, note_nb, source_id, table_no
FROM core.owner_use_by_size
ORDER BY group_order;
