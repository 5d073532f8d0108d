-- The expert group's own counts of schools per profile (2021, section 5.1.1).
-- No params. Used by: components/skolebidrag_sections.py
-- (the same figures by key: figures.sql, keys r2021_profile_*)
SELECT trinn, n_schools_all_periods, profile, n_schools, source_id, table_no
FROM core.expert_profiles ORDER BY trinn, profile;
