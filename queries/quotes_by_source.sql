-- Quotations of one quotes dataset in the order they are printed (table_no, speaker, quote).
-- Params: $source_id. Used by: views/dialogmote.py (components/dialog.py)
SELECT table_no, speaker, quote, source_id FROM core.quotes WHERE source_id = $source_id;
