-- Provenance of every dataset in the page's language ($lang: 'nb' or 'en'; from data/sources.toml).
-- Used by: components/provenance.py, components/sources_page.py, views/aktorer.py
SELECT source_id, report_id, kind, year, document, url, file,
       CASE WHEN $lang = 'en' THEN publisher_en ELSE publisher_nb END AS publisher,
       CASE WHEN $lang = 'en' THEN report_title_en ELSE report_title_nb END AS report_title,
       report_title_quoted,
       CASE WHEN $lang = 'en' THEN report_title_gloss_en ELSE '' END AS report_title_gloss,
       CASE WHEN $lang = 'en' THEN table_no_en ELSE table_no_nb END AS table_no,
       CASE WHEN $lang = 'en' THEN title_en ELSE title_nb END AS title,
       dataset_title_quoted,
       CASE WHEN $lang = 'en' THEN place_en ELSE place_nb END AS place,
       CASE WHEN $lang = 'en' THEN licence_en ELSE licence_nb END AS licence,
       CASE WHEN $lang = 'en' THEN citation_en ELSE citation_nb END AS citation,
       CASE WHEN $lang = 'en' THEN transformations_en ELSE transformations_nb END AS transformations,
       CASE WHEN $lang = 'en' THEN known_issues_en ELSE known_issues_nb END AS known_issues
FROM core.sources ORDER BY year, source_id;
