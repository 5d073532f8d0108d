-- All 356 kommuner (2020 structure) with fylke, landsdel, population, size classes and a point.
-- No params. Used by: app.py, every page with a kommune picker or map
SELECT kommune_code, kommune_name, fylke_code_2020, fylke_name_2020, fylke_2010,
       fylke_2010_listed, fylke_2010_assigned, landsdel, population_2010, population_2010_status,
       population_2020, population_2020_age_6_15, size_class_2010, size_class_2020, lon, lat
FROM core.kommune
ORDER BY kommune_name;
