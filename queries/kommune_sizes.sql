-- Kommuner (2020 borders) with population 2010/2020, how the 2010 figure was formed, and size class.
-- No params. Used by: views/bruk.py (size-class map; tooltips explain missing 2010 populations)
SELECT kommune_code, kommune_name, fylke_name_2020, kommune_codes_2010,
       population_2010, population_2010_status, population_2020,
       size_class_2010, size_class_2020
FROM core.kommune
ORDER BY kommune_code;
