-- One kommune (2020 structure), whether it was merged from 2010 kommuner, and the former kommuner
-- with skolebidrag in the database that became (part of) it (core.kommune_bridge). Params: $kommune. Used by: components/kommune_summary.py (views/min_kommune.py, views/dialogmote.py)
SELECT k.kommune_code, k.kommune_name, k.fylke_name_2020, k.fylke_2010, k.fylke_2010_listed,
       k.fylke_2010_assigned, k.landsdel, k.population_2010, k.population_2010_status,
       k.population_2020, k.population_2020_age_6_15, k.size_class_2010, k.kommune_codes_2010,
       contains(k.kommune_codes_2010, '+') AS merged_since_2010,
       (SELECT list(u.kommune_name ORDER BY u.kommune_name)
        FROM core.kommune_bridge b JOIN core.kommune_units u USING (kommune_code)
        WHERE b.is_former AND b.successor_code = k.kommune_code
          AND u.kommune_code IN (SELECT kommune_code FROM core.skolebidrag)
       ) AS former_kommuner
FROM core.kommune k
WHERE k.kommune_code = $kommune;
