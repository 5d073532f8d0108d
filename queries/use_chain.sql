-- From knowing to using: each step with its own base (2010, Tabell 2, 4, 5, 6, 7 and text).
-- Params: $respondent ('skoler' | 'skoleeiere'). Used by: views/bruk.py
SELECT respondent, step_order, step_key, base_key, share_pct, share_printed, n_base, n_printed,
       doubtful, note, note_nb, source_id, table_no
FROM core.use_chain
WHERE respondent = $respondent
ORDER BY step_order, base_key;
