-- The expert group's own counts of schools per profile (2021, section 5.1.1).
-- No params. Used by: views/skolebidrag.py, views/dialogmote.py
SELECT trinn, n_schools_all_periods, profile, n_schools, source_id, table_no
FROM core.expert_profiles ORDER BY trinn, profile;
