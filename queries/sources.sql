-- Provenance of every dataset (rendered from data/sources.toml at build time).
-- No params. Used by: components/provenance.py, views/kilder.py
SELECT source_id, report_id, kind, publisher, report_title, year, table_no, title, place, document,
       url, licence, citation_nb, citation_en, file, transformations, known_issues
FROM core.sources ORDER BY year, source_id;
