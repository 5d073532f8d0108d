-- Use of the skolebidrag indicators (2.5) and correlations between trinn (6.7.2.1), 2021.
-- No params. Used by: components/skolebidrag_sections.py
-- (the same figures by key: figures.sql, keys r2021_correlation_*, r2021_*_indicators_*)
SELECT 'use' AS kind, respondent AS label, share_pct AS value, value_printed, note, note_nb,
       source_id, table_no
FROM core.indicator_use
UNION ALL
SELECT 'correlation', pair, r, value_printed, note, note_nb, source_id, table_no
FROM core.indicator_correlations;
