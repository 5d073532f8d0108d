-- Skolebidrag values only (actual and expected results stay in core.skolebidrag), kommune level,
-- each unit with its 2020 kommune(s) through the bridge: a former kommune that was split has
-- one row per successor in core.kommune_bridge, joined into one name here («Narvik; Hamarøy»).
CREATE VIEW core.skolebidrag_values AS
SELECT s.kommune_code,
       CASE WHEN u.is_former THEN u.kommune_name || ' (utgått)' ELSE u.kommune_name END AS kommune_name,
       u.is_former,
       (SELECT string_agg(b.successor_code, '; ' ORDER BY b.successor_code)
        FROM core.kommune_bridge b WHERE b.kommune_code = s.kommune_code) AS successor_2020_code,
       (SELECT string_agg(k.kommune_name, '; ' ORDER BY b.successor_code)
        FROM core.kommune_bridge b JOIN core.kommune k ON k.kommune_code = b.successor_code
        WHERE b.kommune_code = s.kommune_code) AS successor_2020_name,
       s.listing_fylke, s.trinn, s.period, s.value AS skolebidrag_points, s.source_id,
       s.source_file AS imported_from
FROM core.skolebidrag s
JOIN core.kommune_units u ON u.kommune_code = s.kommune_code
WHERE s.indicator = 'skolebidrag' AND s.unit_level = 'kommune';
