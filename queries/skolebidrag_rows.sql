-- Every skolebidrag row in the database: embedded Skoleporten values and CLI imports, all trinn,
-- kommune and school level, indicators skolebidrag / faktisk / forventet, with where each came
-- from. No params. Used by: components/skolebidrag_data.py (every page that shows skolebidrag)
SELECT s.kommune_code, s.unit_level, s.school_name, s.name_as_published, s.trinn, s.period,
       s.indicator, s.value, s.value_as_published, s.suppressed, s.eierform, s.n_pupils,
       s.listing_fylke, s.source_id, s.source_file, s.source_url, s.imported_at
FROM core.skolebidrag s
ORDER BY s.kommune_code, s.unit_level, s.school_name, s.trinn, s.period, s.indicator;
