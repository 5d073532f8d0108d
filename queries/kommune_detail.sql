-- One kommune (2020 structure), whether it was merged from 2010 kommuner, and the former kommuner in
-- the skolebidrag data that became (part of) it. Params: $kommune. Used by: components/kommune_summary.py (views/min_kommune.py, views/dialogmote.py)
SELECT k.kommune_code, k.kommune_name, k.fylke_name_2020, k.fylke_2010, k.fylke_2010_listed,
       k.fylke_2010_assigned, k.landsdel, k.population_2010, k.population_2010_status,
       k.population_2020, k.population_2020_age_6_15, k.size_class_2010, k.kommune_codes_2010,
       contains(k.kommune_codes_2010, '+') AS merged_since_2010,
       (SELECT string_agg(replace(s.kommune_name_as_published, ' kommune (utgått)', ''), ', '
                          ORDER BY s.kommune_name_as_published)
        FROM raw.kommune_successors s
        WHERE list_contains(string_split(replace(s.successor_2020_code, ' ', ''), ';'), k.kommune_code)
       ) AS former_kommuner
FROM core.kommune k
WHERE k.kommune_code = $kommune;
