-- Skolebidrag per kommune and period for one trinn (embedded Skoleporten values and imports).
-- Params: $trinn ('1-4' | '5-7' | '8-10'). Used by: views/skolebidrag.py, views/min_kommune.py
SELECT s.kommune_code, s.kommune_name, s.is_former, s.successor_2020_code, s.successor_2020_name,
       coalesce(k.fylke_name_2020, ks.fylke_name_2020) AS fylke_name_2020,
       s.listing_fylke, s.trinn, s.period, s.skolebidrag_points, s.source_id, s.imported_from,
       coalesce(k.population_2020_age_6_15, ks.population_2020_age_6_15) AS population_2020_age_6_15
FROM core.skolebidrag_values s
LEFT JOIN core.kommune k ON k.kommune_code = s.kommune_code
LEFT JOIN core.kommune ks ON ks.kommune_code = split_part(s.successor_2020_code, ';', 1)
WHERE s.trinn = $trinn
ORDER BY s.kommune_name, s.period;
