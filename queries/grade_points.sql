-- Actual and expected grade points (8.–10. trinn) where Skoleporten publishes them.
-- Params: $kommune (code). Used by: views/skolebidrag.py, views/min_kommune.py
SELECT kommune_code, kommune_name, period, indicator, value, value_as_published, source_id
FROM core.skolebidrag
WHERE indicator <> 'skolebidrag' AND (kommune_code = $kommune OR successor_2020_code = $kommune)
ORDER BY period, indicator;
