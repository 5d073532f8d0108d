-- Kommuner whose 2010 predecessors lay in two fylker, and the 2010 fylke (hence landsdel) assigned.
-- No params. Used by: views/kilder.py
SELECT kommune_code, kommune_name, fylke_2010_listed, fylke_2010 AS fylke_2010_assigned, landsdel
FROM core.kommune
WHERE fylke_2010_assigned
ORDER BY kommune_name;
