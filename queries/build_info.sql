-- When the database was built. No params. Used by: app.py (footer)
SELECT built_on, built_at_unix FROM core.build_info;
