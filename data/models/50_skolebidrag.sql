-- Skolebidrag values only (the 8.–10. actual/expected grade points stay in core.skolebidrag).
CREATE VIEW core.skolebidrag_values AS
SELECT kommune_code, kommune_name, is_former, successor_2020_code, successor_2020_name,
       listing_fylke, trinn, period, value AS skolebidrag_points, source_id, imported_from
FROM core.skolebidrag
WHERE indicator = 'skolebidrag';
