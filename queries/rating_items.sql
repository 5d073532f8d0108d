-- One battery of the 2016 survey: mean and SD per group, printed Cohen's d, n per group.
-- Params: $table_no ('Tabell 4.1' …). Used by: views/aktorer.py, views/oversikt.py
SELECT table_no, item, item_order, mean_leader, sd_leader, n_leader, mean_owner, sd_owner, n_owner,
       d_printed, sd_leader_printed, sd_owner_printed, leader_read_as, owner_read_as, note, note_nb, source_id
FROM core.rating_items
WHERE table_no = $table_no
ORDER BY item_order;
