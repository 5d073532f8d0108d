-- Læringsmiljøprosjektet survey 2016: one row per item with both groups side by side.
-- Cells printed without a group are placed by their read_as column (see the cell's note);
-- *_read_as flags say so. n per group is the number of respondents in section 1.1 (n per item
-- is not printed).
CREATE TABLE core.rating_items AS
WITH c AS (
    SELECT *, coalesce(read_as, column_label) AS col
    FROM raw.source_cells
    WHERE source_id LIKE 'r2016_tabell_%' AND source_id <> 'r2016_tabell_1_1'
),
n AS (
    SELECT max(value) FILTER (WHERE row_label = 'Skoler' AND column_label = 'Svarte')::INTEGER AS n_leader,
           max(value) FILTER (WHERE row_label = 'Kommuner' AND column_label = 'Svarte')::INTEGER AS n_owner
    FROM raw.source_cells WHERE source_id = 'r2016_tekst'
)
SELECT
    c.table_no,
    c.row_label                                                             AS item,
    min(c.line_no)                                                          AS item_order,
    max(c.value) FILTER (WHERE col = 'Skoleleder Snitt')                    AS mean_leader,
    max(c.value) FILTER (WHERE col = 'Skoleleder SA')                       AS sd_leader,
    max(c.value) FILTER (WHERE col = 'Skoleeier Snitt')                     AS mean_owner,
    max(c.value) FILTER (WHERE col = 'Skoleeier SA')                        AS sd_owner,
    max(c.value) FILTER (WHERE col = 'Cohens d')                            AS d_printed,
    max(c.value_printed) FILTER (WHERE col = 'Skoleleder SA')               AS sd_leader_printed,
    max(c.value_printed) FILTER (WHERE col = 'Skoleeier SA')                AS sd_owner_printed,
    CASE WHEN max(c.value) FILTER (WHERE col = 'Skoleleder Snitt') IS NOT NULL THEN any_value(n.n_leader) END AS n_leader,
    CASE WHEN max(c.value) FILTER (WHERE col = 'Skoleeier Snitt') IS NOT NULL THEN any_value(n.n_owner) END AS n_owner,
    bool_or(c.read_as IS NOT NULL AND col LIKE 'Skoleleder%')               AS leader_read_as,
    bool_or(c.read_as IS NOT NULL AND col LIKE 'Skoleeier%')                AS owner_read_as,
    string_agg(DISTINCT c.note, ' ' ORDER BY c.note)                        AS note,
    string_agg(DISTINCT c.note_nb, ' ' ORDER BY c.note_nb)                  AS note_nb,
    any_value(c.source_id)                                                  AS source_id
FROM c, n
GROUP BY c.table_no, c.row_label;

CREATE TABLE core.quotes AS
SELECT table_no, speaker, quote, source_id FROM raw.quotes;
