-- School owners' use of the web guidance by kommune size (2010, Tabell 6), in printed order
-- (the size classes small → large, then Fylke, then Alle). No params.
-- Used by: views/bruk.py, views/oversikt.py, components/kommune_summary.py
SELECT group_label AS size_class, group_order, is_total, group_label = 'Fylke' AS is_fylke,
       NOT is_total AND group_label <> 'Fylke' AS is_size_class,
       share_pct, share_no_pct, n_respondents, note, note_nb, source_id, table_no
FROM core.owner_use_by_size
ORDER BY group_order;
