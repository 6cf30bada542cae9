-- Deterministic generator of a realistic sample of textile products
-- (no third-party data): 3000 products with Ecobalyse-style jsonb inputs
-- and impacts.  Product types, reference masses and days of wear follow the
-- public Ecobalyse product list (MIT); every impact value is synthetic:
-- mass x material factor x country factor x log-normal noise.
-- Pseudo-random numbers come from md5(row, salt), so every run is identical.
CREATE TEMP TABLE product_type (product text, mass float8, days_of_wear float8, knitted boolean) ON COMMIT PRESERVE ROWS;
INSERT INTO product_type VALUES
	('tshirt', 0.17, 45, true), ('chemise', 0.25, 40, false), ('jean', 0.45, 70, false),
	('jupe', 0.30, 70, false), ('pantalon', 0.45, 70, false), ('pull', 0.50, 85, true),
	('manteau', 0.95, 100, false), ('chaussettes', 0.043, 50, true);

-- material: share of the mix and kg CO2e per kg of fibre (synthetic, order of magnitude)
CREATE TEMP TABLE material (id text, cch_per_kg float8, water_per_kg float8, land_per_kg float8) ON COMMIT PRESERVE ROWS;
INSERT INTO material VALUES
	('ei-coton', 6.0, 1.8, 600), ('ei-coton-organic', 4.5, 1.2, 500), ('ei-pet', 4.0, 0.05, 5),
	('ei-laine-par-defaut', 20.0, 0.6, 900), ('ei-viscose', 5.0, 0.3, 150), ('ei-lin', 3.0, 0.1, 250);

-- country: weight in the sample and an electricity/process intensity factor
CREATE TEMP TABLE country (code text, weight int, intensity float8) ON COMMIT PRESERVE ROWS;
INSERT INTO country VALUES
	('CN', 30, 1.35), ('IN', 15, 1.45), ('BD', 12, 1.40), ('TR', 10, 1.10), ('VN', 8, 1.25),
	('PK', 6, 1.40), ('PT', 7, 0.85), ('FR', 5, 0.55), ('MA', 4, 1.05), ('IT', 3, 0.80);

CREATE FUNCTION pg_temp.u(i int, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(i || '/' || salt), 1, 12))::bit(48)::bigint / 281474976710656.0 $$;
-- standard normal (Box-Muller)
CREATE FUNCTION pg_temp.n(i int, salt text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT sqrt(-2 * ln(1 - pg_temp.u(i, salt || 'a'))) * cos(2 * pi() * pg_temp.u(i, salt || 'b')) $$;
-- 6 significant digits, like Ecobalyse's published values
CREATE FUNCTION pg_temp.sig(x float8) RETURNS numeric LANGUAGE sql IMMUTABLE AS
$$ SELECT round(x::numeric, (5 - floor(log(abs(x))))::int) $$;
-- cumulative weights in [0, 1): a uniform number picks a country
CREATE TEMP TABLE country_pick ON COMMIT PRESERVE ROWS AS
SELECT c AS country, (sum(weight) OVER w - weight)::float8 / sum(weight) OVER () AS lo,
       sum(weight) OVER w::float8 / sum(weight) OVER () AS hi
FROM country c WINDOW w AS (ORDER BY code);

CREATE TABLE textile_products AS
WITH draw AS (
	SELECT i, t.*, m.*,
	       f.country AS fabric, mk.country AS making,
	       round((t.mass * exp(0.15 * pg_temp.n(i, 'mass')))::numeric, 3)::float8 AS item_mass,
	       CASE WHEN m.id IN ('ei-pet', 'ei-viscose') THEN 1.0 ELSE round((0.6 + 0.4 * pg_temp.u(i, 'share'))::numeric, 2)::float8 END AS share
	FROM generate_series(1, 3000) i
	CROSS JOIN LATERAL (SELECT * FROM product_type ORDER BY product OFFSET floor(pg_temp.u(i, 'type') * 8) LIMIT 1) t
	CROSS JOIN LATERAL (SELECT * FROM material ORDER BY id OFFSET floor(pg_temp.u(i, 'material') * 6) LIMIT 1) m
	JOIN country_pick f ON pg_temp.u(i, 'fabric') >= f.lo AND pg_temp.u(i, 'fabric') < f.hi
	JOIN country_pick mk ON pg_temp.u(i, 'making') >= mk.lo AND pg_temp.u(i, 'making') < mk.hi
), inputs AS (
	SELECT d.*,
	       jsonb_build_object(
	           'product', product, 'mass', item_mass,
	           'countryFabric', (fabric).code, 'countryDyeing', (fabric).code, 'countryMaking', (making).code,
	           'fabricProcess', CASE WHEN knitted THEN 'knitting-mix' ELSE 'weaving' END,
	           'materials', CASE WHEN share < 1
	               THEN jsonb_build_array(jsonb_build_object('id', id, 'share', share),
	                                      jsonb_build_object('id', 'ei-pet', 'share', round((1 - share)::numeric, 2)))
	               ELSE jsonb_build_array(jsonb_build_object('id', id, 'share', 1)) END) AS inputs,
	       -- kg CO2e: fibre + energy-intensive fabric/dyeing + making, with noise
	       item_mass * (share * cch_per_kg + (1 - share) * 4.0 + 14 * (fabric).intensity + 2 * (making).intensity)
	           * exp(0.2 * pg_temp.n(i, 'cch')) AS cch,
	       days_of_wear * exp(0.25 * pg_temp.n(i, 'wear')) AS wear
	FROM draw d
)
SELECT chemeco.product_id(inputs) AS id, inputs,
       jsonb_strip_nulls(jsonb_build_object(
	       'acd', pg_temp.sig(cch * 0.0068 * exp(0.1 * pg_temp.n(i, 'acd'))),
	       'cch', pg_temp.sig(cch),
	       'etf', pg_temp.sig(cch * 14 * exp(0.5 * pg_temp.n(i, 'etf'))),
	       'etf-c', pg_temp.sig(cch * 30 * exp(0.5 * pg_temp.n(i, 'etf'))),
	       'fru', pg_temp.sig(cch * 21 * exp(0.1 * pg_temp.n(i, 'fru'))),
	       'fwe', pg_temp.sig(cch * 0.00045 * exp(0.3 * pg_temp.n(i, 'fwe'))),
	       'htc', pg_temp.sig(cch * 5e-10 * exp(0.4 * pg_temp.n(i, 'htc'))),
	       'htc-c', pg_temp.sig(cch * 2.5e-10 * exp(0.4 * pg_temp.n(i, 'htc'))),
	       'htn', pg_temp.sig(cch * 6e-9 * exp(0.4 * pg_temp.n(i, 'htn'))),
	       'htn-c', pg_temp.sig(cch * 4e-9 * exp(0.4 * pg_temp.n(i, 'htn'))),
	       'ior', pg_temp.sig(cch * (0.6 + 2 * (1.5 - (fabric).intensity)) * exp(0.2 * pg_temp.n(i, 'ior'))),
	       'ldu', pg_temp.sig(item_mass * share * land_per_kg * exp(0.3 * pg_temp.n(i, 'ldu'))),
	       'mru', pg_temp.sig(cch * 2.4e-6 * exp(0.3 * pg_temp.n(i, 'mru'))),
	       'ozd', pg_temp.sig(cch * 2.6e-8 * exp(0.3 * pg_temp.n(i, 'ozd'))),
	       'pco', pg_temp.sig(cch * 0.0036 * exp(0.15 * pg_temp.n(i, 'pco'))),
	       'pma', pg_temp.sig(cch * 5.5e-8 * exp(0.2 * pg_temp.n(i, 'pma'))),
	       'swe', pg_temp.sig(cch * (0.001 + 0.004 * share * water_per_kg) * exp(0.3 * pg_temp.n(i, 'swe'))),
	       'tre', pg_temp.sig(cch * 0.025 * exp(0.15 * pg_temp.n(i, 'tre'))),
	       'wtu', pg_temp.sig(item_mass * share * water_per_kg * 8 * exp(0.3 * pg_temp.n(i, 'wtu')))
	   )) AS impacts,
       round(wear::numeric, 1)::float8 AS days_of_wear
FROM inputs;
-- identical inputs are the same product (same product_id): keep one
DELETE FROM textile_products a USING textile_products b WHERE a.id = b.id AND a.ctid > b.ctid;
ALTER TABLE textile_products ADD PRIMARY KEY (id);
-- the single scores beside the categories, to 6 significant digits as Ecobalyse reports them
UPDATE textile_products SET impacts = impacts || jsonb_build_object(
	'pef', pg_temp.sig(chemeco.single_score(impacts, 'pef')),
	'ecs', pg_temp.sig(chemeco.single_score(impacts, 'ecs')));
ANALYZE textile_products;
