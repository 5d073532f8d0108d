-- Every report and statistics source, with or without datasets, in the page's language ($lang).
-- Used by: components/sources_page.py (Kilder og metode: what each source contributes)
SELECT r.report_id, r.year, r.role, r.pages, r.document, r.url,
       CASE WHEN $lang = 'en' THEN r.publisher_en ELSE r.publisher_nb END AS publisher,
       CASE WHEN $lang = 'en' THEN r.title_en ELSE r.title_nb END AS title,
       r.title_quoted,
       CASE WHEN $lang = 'en' THEN r.title_gloss_en ELSE '' END AS title_gloss,
       CASE WHEN $lang = 'en' THEN r.data_from_en ELSE r.data_from_nb END AS data_from,
       CASE WHEN $lang = 'en' THEN r.contributes_en ELSE r.contributes_nb END AS contributes,
       CASE WHEN $lang = 'en' THEN r.licence_en ELSE r.licence_nb END AS licence,
       CASE WHEN $lang = 'en' THEN r.citation_en ELSE r.citation_nb END AS citation,
       (SELECT count(*) FROM core.sources s WHERE s.report_id = r.report_id AND s.kind <> 'import')
           AS n_datasets
FROM core.reports r
ORDER BY r.role = 'reference', r.year, r.report_id;
