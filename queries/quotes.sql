-- Open-comment quotes the 2016 report prints next to a table. Params: $table_no.
-- Used by: views/aktorer.py
SELECT speaker, quote, table_no, source_id FROM core.quotes WHERE table_no = $table_no;
