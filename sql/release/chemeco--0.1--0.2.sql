-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

-- stats: quantile sketch aggregates quantiles_approx and impact_summary_approx (issue 20)
-- quantile sketch (approximate, bounded relative error) ----------------
-- A DDSketch (src/stats/quantile_sketch.h): every order statistic within
-- relative_error of its value, state of a few kB whatever the row count,
-- the same state for any split of the rows (parallel workers, shards).
CREATE FUNCTION quantiles_approx_accum(bytea, float8, float8[]) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION quantiles_approx_accum(bytea, float8, float8[], float8) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION impact_summary_approx_accum(bytea, float8) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION impact_summary_approx_accum(bytea, float8, float8) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION quantile_sketch_combine(bytea, bytea) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION quantiles_approx_final(bytea) RETURNS float8[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION impact_summary_approx_final(bytea) RETURNS summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE quantiles_approx(value float8, probs float8[]) (
	SFUNC = quantiles_approx_accum,
	STYPE = bytea,
	COMBINEFUNC = quantile_sketch_combine,
	FINALFUNC = quantiles_approx_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quantiles_approx(float8, float8[]) IS 'approximate quantiles (percentile_cont within 1 % of the values), one per probability: a DDSketch of a few kB, the same in every plan';
CREATE AGGREGATE quantiles_approx(value float8, probs float8[], relative_error float8) (
	SFUNC = quantiles_approx_accum,
	STYPE = bytea,
	COMBINEFUNC = quantile_sketch_combine,
	FINALFUNC = quantiles_approx_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quantiles_approx(float8, float8[], float8) IS 'approximate quantiles (percentile_cont within relative_error of the values, 0.005 to 0.5), one per probability: a DDSketch, the same in every plan';
CREATE AGGREGATE impact_summary_approx(value float8) (
	SFUNC = impact_summary_approx_accum,
	STYPE = bytea,
	COMBINEFUNC = quantile_sketch_combine,
	FINALFUNC = impact_summary_approx_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE impact_summary_approx(float8) IS 'impact_summary with quartiles within 1 % of the exact ones (DDSketch); n, mean, min, max exact';
CREATE AGGREGATE impact_summary_approx(value float8, relative_error float8) (
	SFUNC = impact_summary_approx_accum,
	STYPE = bytea,
	COMBINEFUNC = quantile_sketch_combine,
	FINALFUNC = impact_summary_approx_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE impact_summary_approx(float8, float8) IS 'impact_summary with quartiles within relative_error (0.005 to 0.5) of the exact ones (DDSketch); n, mean, min, max exact';
