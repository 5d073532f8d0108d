-- Every unit a skolebidrag can belong to (356 kommuner of 2020 and the former kommuner of the
-- 2012–2020 changes) with its 2020 kommune(s) from the bridge: one row per unit and successor
-- (a split kommune has several). No params. Used by: components/skolebidrag_data.py
SELECT u.kommune_code, u.kommune_name, u.is_former, u.fylke_name AS fylke_of_its_time, u.valid_until,
       b.successor_code, k.kommune_name AS successor_name, k.fylke_name_2020, b.n_successors,
       k.population_2020_age_6_15 AS successor_population_6_15
FROM core.kommune_units u
JOIN core.kommune_bridge b USING (kommune_code)
JOIN core.kommune k ON k.kommune_code = b.successor_code
ORDER BY u.kommune_code, b.successor_code;
