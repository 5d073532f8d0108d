-- One boundary layer as GeoJSON text. Params: $layer ('kommuner' | 'fylker' | 'landsdeler').
-- Used by: components/maps.py via pages
SELECT geojson FROM core.geo WHERE layer = $layer;
