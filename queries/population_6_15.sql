-- Population aged 6–15 per kommune and year from imported SSB 07459 files: the 6–15 group as
-- exported, or the sum of the single years 6 … 15 when all ten are there. No params.
-- Used by: components/skolebidrag_data.py (the funnel's size measure for a period's year)
WITH single AS (
    SELECT kommune_code, year, sum(population) AS population, count(population) AS n_years
    FROM core.population_imported
    WHERE try_cast(age_group AS INTEGER) BETWEEN 6 AND 15
    GROUP BY kommune_code, year
)
SELECT kommune_code, year, population FROM core.population_imported
WHERE age_group = '6-15' AND population IS NOT NULL
UNION ALL
SELECT s.kommune_code, s.year, s.population FROM single s
WHERE s.n_years = 10 AND NOT EXISTS (
    SELECT 1 FROM core.population_imported p
    WHERE p.kommune_code = s.kommune_code AND p.year = s.year AND p.age_group = '6-15')
ORDER BY kommune_code, year;
