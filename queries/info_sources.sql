-- Where schools that knew the initiative heard of it, by trinn (2010, Tabell 3).
-- No params. Used by: views/kjennskap.py
SELECT info_source, source_order, trinn, trinn = 'Alle' AS is_all_schools,
       info_source = 'Ubesvart' AS is_unanswered, share_pct, n_respondents, source_id, table_no
FROM core.info_sources
ORDER BY source_order, trinn;
