-- Skolebidrag per kommune and period for one trinn (embedded Skoleporten values and CLI imports),
-- kommune level. A former kommune's population is its first successor's (core.kommune_bridge).
-- Params: $trinn ('1-4' | '5-7' | '8-10'). Used by: views/oversikt.py
SELECT s.kommune_code, s.kommune_name, s.is_former, s.successor_2020_code, s.successor_2020_name,
       k.fylke_name_2020, s.listing_fylke, s.trinn, s.period, s.skolebidrag_points, s.source_id,
       s.imported_from, k.population_2020_age_6_15
FROM core.skolebidrag_values s
LEFT JOIN core.kommune k ON k.kommune_code = (
    SELECT min(b.successor_code) FROM core.kommune_bridge b WHERE b.kommune_code = s.kommune_code)
WHERE s.trinn = $trinn
ORDER BY s.kommune_name, s.period;
