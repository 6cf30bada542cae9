-- Multiplicative updates leave unused cells at 1e-200 and below; PostgreSQL
-- raises "value out of range: underflow" on the product of two of them
-- (numpy flushes silently).  pmf_fit stores values below 1e-150 as 0, so
-- the products users compute (contribution x profile = mass per factor)
-- stay in range.  EPA PMF 5.0 St. Louis, 6 factors, 10 runs (the demo's fit,
-- which has such cells).
BEGIN;
SET search_path = public, chemeco;
SELECT plan(3);
\ir lib/stlouis.sql
SET client_min_messages = warning;
SELECT pmf_fit($$SELECT sample, species, conc, unc, CASE WHEN species = 'Mass' THEN 'weak' END FROM stl$$,
	6, runs => 10) AS run_id \gset
RESET client_min_messages;

SELECT is((SELECT count(*) FROM pmf_profile WHERE run_id = :run_id AND value <> 0 AND abs(value) < 1e-150)
	+ (SELECT count(*) FROM pmf_contribution WHERE run_id = :run_id AND value <> 0 AND abs(value) < 1e-150)
	+ (SELECT count(*) FROM pmf_profile WHERE run_id = :run_id AND percent <> 0 AND abs(percent) < 1e-150),
	0::bigint, 'no stored value between 0 and 1e-150');
SELECT ok((SELECT count(*) FROM pmf_contribution WHERE run_id = :run_id AND value = 0) > 0,
	'some contributions were flushed to 0 (this fit has cells that decayed below 1e-150)');
SELECT lives_ok(format($$SELECT c.factor, avg(c.value * p.value) FROM chemeco.pmf_contribution c
	JOIN chemeco.pmf_profile p USING (run_id, factor) WHERE c.run_id = %s GROUP BY c.factor$$, :run_id),
	'contribution x profile over every cell stays in float8 range');

SELECT * FROM finish();
ROLLBACK;
