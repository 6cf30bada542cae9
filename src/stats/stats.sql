-- ------------------------------------------------------------------
-- Impact statistics (src/stats): exact, parallel-safe aggregates.
-- States are bytea (concrete, not internal): PostgreSQL parallel query and
-- Citus ship partial states as they are, no serial/deserial functions.
-- ------------------------------------------------------------------
CREATE TYPE summary AS (
	n bigint,
	mean float8,
	stddev float8,
	min float8,
	q1 float8,
	median float8,
	q3 float8,
	max float8,
	iqr float8,
	lower_fence float8,
	upper_fence float8
);
COMMENT ON TYPE summary IS 'distribution summary: count, mean, sample stddev, exact quartiles (percentile_cont), IQR and Tukey fences (1.5 IQR)';

-- impact_summary ---------------------------------------------------
CREATE FUNCTION impact_summary_accum(bytea, float8) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION value_buffer_combine(bytea, bytea) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION impact_summary_final(bytea) RETURNS summary
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- The final functions only permute the stored values (same multiset), so
-- the state stays valid: READ_ONLY, usable as a window aggregate.
CREATE AGGREGATE impact_summary(value float8) (
	SFUNC = impact_summary_accum,
	STYPE = bytea,
	COMBINEFUNC = value_buffer_combine,
	FINALFUNC = impact_summary_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE impact_summary(float8) IS 'n, mean, sample stddev, min, exact quartiles (percentile_cont), max, IQR and Tukey fences; NULLs ignored, NaN/Infinity rejected';

-- quantiles --------------------------------------------------------
CREATE FUNCTION quantiles_accum(bytea, float8, float8[]) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION quantiles_final(bytea) RETURNS float8[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE quantiles(value float8, probs float8[]) (
	SFUNC = quantiles_accum,
	STYPE = bytea,
	COMBINEFUNC = value_buffer_combine,
	FINALFUNC = quantiles_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE quantiles(float8, float8[]) IS 'exact quantiles with linear interpolation (= percentile_cont), one per probability';

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

-- weighted_mean ----------------------------------------------------
CREATE FUNCTION weighted_mean_accum(bytea, float8, float8) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION weighted_mean_combine(bytea, bytea) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION weighted_mean_final(bytea) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE weighted_mean(value float8, weight float8) (
	SFUNC = weighted_mean_accum,
	STYPE = bytea,
	COMBINEFUNC = weighted_mean_combine,
	FINALFUNC = weighted_mean_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE weighted_mean(float8, float8) IS 'sum(weight * value) / sum(weight) with exact sums; weights >= 0';

-- impact_category: shipped rows come from the install script; rows a user
-- adds (shipped = false) are kept by pg_dump.  Reference data, the same for
-- every role: readable by all, writable by the owner only (no RLS needed).
REVOKE ALL ON impact_category FROM PUBLIC;
GRANT SELECT ON impact_category TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('impact_category', 'WHERE NOT shipped');

-- single_score and product ids -------------------------------------
CREATE FUNCTION single_score(impacts jsonb, method text DEFAULT 'pef', strict boolean DEFAULT true) RETURNS float8
	AS 'MODULE_PATHNAME', 'impact_single_score' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION single_score(jsonb, text, boolean) IS 'single score in µPt: 1e6 * sum(value / normalization * weighting) over the method''s categories in impact_category';

CREATE FUNCTION canonical_json(jsonb) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION canonical_json(jsonb) IS 'canonical JSON text: keys sorted bytewise, no whitespace, normalised numbers';

CREATE FUNCTION product_id(inputs jsonb) RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION product_id(jsonb) IS 'md5 of canonical_json(inputs): the same for any key order';
