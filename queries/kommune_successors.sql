-- Former kommuner in the skolebidrag data and their 2020 successor (the kommune-reform crosswalk).
-- No params. Used by: views/kilder.py
SELECT kommune_name_as_published, kommune_code_before_2020, successor_2020_name, successor_2020_code,
       note, note_nb, source_id
FROM raw.kommune_successors
ORDER BY successor_2020_name, kommune_name_as_published;
