-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

-- pmf stability report (issue 19): how many runs reached the kept run's Q,
-- and whether their profiles agree
ALTER TABLE @extschema@.pmf_run ADD COLUMN near_best_runs int, ADD COLUMN other_solutions int;
COMMENT ON COLUMN @extschema@.pmf_run.near_best_runs IS 'runs whose ranking Q is within 0.5% of the kept run''s (the kept run included)';
COMMENT ON COLUMN @extschema@.pmf_run.other_solutions IS 'of those, runs whose matched factor profiles differ from the kept run''s (some r < 0.9): rotational ambiguity';
GRANT INSERT (near_best_runs, other_solutions) ON @extschema@.pmf_run TO PUBLIC;
ALTER TABLE @extschema@.pmf_model ADD COLUMN profile_match float8;
COMMENT ON COLUMN @extschema@.pmf_model.profile_match IS 'lowest Pearson r of this model''s factor profiles with the kept model''s, factors matched greedily';
CREATE OR REPLACE FUNCTION @extschema@.pmf_fit(data text, factors int, runs int DEFAULT 20, seed bigint DEFAULT 42,
		method text DEFAULT 'ls-nmf', robust boolean DEFAULT true, max_iter int DEFAULT 20000,
		converge_delta float8 DEFAULT 0.1, converge_n int DEFAULT 50, reweight_after int DEFAULT 0) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pmf_fit_0_2' LANGUAGE C VOLATILE STRICT SECURITY INVOKER PARALLEL UNSAFE;
-- ------------------------------------------------------------------
-- spectrum: equality, order and hashing of chemeco.spectrum (issue 14)
-- ------------------------------------------------------------------
CREATE FUNCTION spectrum_cmp(spectrum, spectrum) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION spectrum_cmp(spectrum, spectrum) IS 'btree order of spectra: -1, 0 or 1';
CREATE FUNCTION spectrum_eq(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_ne(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_lt(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_le(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_gt(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_ge(spectrum, spectrum) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_hash(spectrum) RETURNS int
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION spectrum_hash(spectrum) IS 'hash of a spectrum, consistent with =';

CREATE OPERATOR = (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_eq,
	COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
COMMENT ON OPERATOR = (spectrum, spectrum) IS 'same peaks: equal m/z and intensity doubles, in order';
CREATE OPERATOR <> (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_ne,
	COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR <> (spectrum, spectrum) IS 'not the same peaks';
CREATE OPERATOR < (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_lt,
	COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
COMMENT ON OPERATOR < (spectrum, spectrum) IS 'before in the order of spectrum_cmp';
CREATE OPERATOR <= (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_le,
	COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
COMMENT ON OPERATOR <= (spectrum, spectrum) IS 'before or equal in the order of spectrum_cmp';
CREATE OPERATOR > (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_gt,
	COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
COMMENT ON OPERATOR > (spectrum, spectrum) IS 'after in the order of spectrum_cmp';
CREATE OPERATOR >= (LEFTARG = spectrum, RIGHTARG = spectrum, FUNCTION = spectrum_ge,
	COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR >= (spectrum, spectrum) IS 'after or equal in the order of spectrum_cmp';

CREATE OPERATOR CLASS spectrum_ops DEFAULT FOR TYPE spectrum USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 spectrum_cmp(spectrum, spectrum);
CREATE OPERATOR CLASS spectrum_hash_ops DEFAULT FOR TYPE spectrum USING hash AS
	OPERATOR 1 =,
	FUNCTION 1 spectrum_hash(spectrum);

-- ------------------------------------------------------------------
-- spectrum: tolerances in ppm (tolerance_unit / merge_tolerance_unit),
-- modified_cosine_matches, clean's min_mz, max_peak_num and precursor
-- removal (issue 14).  New trailing parameters change the signatures:
-- drop the 0.1 functions and create the new ones (same C symbols, which
-- read the added arguments only when passed).
-- ------------------------------------------------------------------
DROP FUNCTION cosine(spectrum, spectrum, float8, float8, float8);
DROP FUNCTION cosine_matches(spectrum, spectrum, float8, float8, float8);
DROP FUNCTION modified_cosine(spectrum, spectrum, float8, float8, float8, float8, float8);
DROP FUNCTION entropy_similarity(spectrum, spectrum, float8, boolean, boolean);
DROP FUNCTION clean(spectrum, float8, float8, float8, text);
CREATE FUNCTION cosine(a spectrum, b spectrum, tolerance float8 DEFAULT 0.1,
		mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1, tolerance_unit text DEFAULT 'Da') RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_cosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine(spectrum, spectrum, float8, float8, float8, text) IS 'greedy cosine similarity (matchms 0.33.0 CosineGreedy); tolerance in Da or ppm';

CREATE FUNCTION cosine_matches(a spectrum, b spectrum, tolerance float8 DEFAULT 0.1,
		mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1, tolerance_unit text DEFAULT 'Da') RETURNS int
	AS 'MODULE_PATHNAME', 'spectrum_cosine_matches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine_matches(spectrum, spectrum, float8, float8, float8, text) IS 'number of peak pairs used by cosine()';

CREATE FUNCTION modified_cosine(a spectrum, b spectrum, precursor_a float8, precursor_b float8,
		tolerance float8 DEFAULT 0.1, mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1,
		tolerance_unit text DEFAULT 'Da') RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_modified_cosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION modified_cosine(spectrum, spectrum, float8, float8, float8, float8, float8, text) IS 'modified cosine similarity (matchms 0.33.0 ModifiedCosineGreedy)';

CREATE FUNCTION modified_cosine_matches(a spectrum, b spectrum, precursor_a float8, precursor_b float8,
		tolerance float8 DEFAULT 0.1, mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1,
		tolerance_unit text DEFAULT 'Da') RETURNS int
	AS 'MODULE_PATHNAME', 'spectrum_modified_cosine_matches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION modified_cosine_matches(spectrum, spectrum, float8, float8, float8, float8, float8, text) IS 'number of peak pairs used by modified_cosine()';

CREATE FUNCTION entropy_similarity(a spectrum, b spectrum, tolerance float8 DEFAULT 0.02,
		weighted boolean DEFAULT true, clean boolean DEFAULT true, tolerance_unit text DEFAULT 'Da') RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_entropy_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entropy_similarity(spectrum, spectrum, float8, boolean, boolean, text) IS 'spectral entropy similarity (Li et al. 2021, ms_entropy pipeline); tolerance in Da or ppm';

CREATE FUNCTION clean(s spectrum, min_intensity_ratio float8 DEFAULT 0.01, merge_tolerance float8 DEFAULT 0.05,
		max_mz float8 DEFAULT NULL, "normalize" text DEFAULT 'sum', merge_tolerance_unit text DEFAULT 'Da',
		min_mz float8 DEFAULT NULL, max_peak_num int DEFAULT NULL, precursor_mz float8 DEFAULT NULL,
		precursor_removal float8 DEFAULT 1.6) RETURNS spectrum
	AS 'MODULE_PATHNAME', 'spectrum_clean' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clean(spectrum, float8, float8, float8, text, text, float8, int, float8, float8) IS 'drop noise and peaks outside [min_mz, max_mz) or at/above precursor_mz - precursor_removal, merge close peaks, keep the max_peak_num most intense, normalise';
-- search: identify gains ms2_tolerance_ppm, precursor_removal, merge_tolerance,
-- key_column (views), mode 'neutral_loss' and the output column key; NULL in the
-- 0.1 arguments still gives no rows (no longer STRICT, so the new NULL defaults work)
DROP FUNCTION @extschema@.identify(spectrum, float8, regclass, int, float8, text);
CREATE FUNCTION @extschema@.identify(query spectrum, query_precursor float8, library regclass, k int DEFAULT 5,
		precursor_tolerance float8 DEFAULT 0.01, mode text DEFAULT 'identity',
		ms2_tolerance_ppm float8 DEFAULT NULL, precursor_removal float8 DEFAULT NULL,
		merge_tolerance float8 DEFAULT 0.04, key_column text DEFAULT NULL)
	RETURNS TABLE (ctid tid, score float8, matched_peaks int, key text)
	AS 'MODULE_PATHNAME', 'spectrum_identify' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED;
COMMENT ON FUNCTION @extschema@.identify(spectrum, float8, regclass, int, float8, text, float8, float8, float8, text) IS
	'k best library rows by entropy similarity; mode identity (precursor within tolerance), open, hybrid or neutral_loss; optional ppm window, precursor removal, merge distance, key column (views)';
-- robust: model names checked before training and documents on register (issue 14)
CREATE FUNCTION model_check_name(name text) RETURNS void
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF char_length($1) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'model name must have 1 to 200 characters, got %', char_length($1)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;
COMMENT ON FUNCTION model_check_name(text) IS 'raises 22023 unless a model name has 1 to 200 characters';

CREATE OR REPLACE FUNCTION model_register(name text, document jsonb) RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	next_version int;
BEGIN
	PERFORM chemeco.model_check_name($1);
	-- a document predict() could not read is refused now, not at the first prediction
	PERFORM chemeco.model_document('chemeco-json', $2::text);
	-- serialize concurrent registrations of one name by one role
	PERFORM pg_advisory_xact_lock(hashtext('chemeco.model'), hashtext(current_user || '/' || $1));
	SELECT coalesce(max(m.version), 0) + 1 INTO next_version
	FROM chemeco.model m WHERE m.name = $1 AND m.owner = current_user;
	INSERT INTO chemeco.model (name, version, algorithm, features, metrics, document)
	VALUES ($1, next_version, $2 ->> 'algorithm', $2 -> 'features', coalesce($2 -> 'metrics', '{}'), $2);
	RETURN next_version;
END
$$;
COMMENT ON FUNCTION model_register(text, jsonb) IS 'stores a chemeco-json document as the next version of a model; returns the version';

CREATE OR REPLACE FUNCTION train(name text, algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	AS $$
BEGIN
	PERFORM chemeco.model_check_name($1);  -- before training, not after
	RETURN chemeco.model_register($1, chemeco.train_document($2, $3, $4, $5));
END
$$;

-- robust: predict() -- unknown keys are an error unless allow_extra_keys; JSON text overloads so that
-- an untyped literal is not ambiguous (issue 14).  The 0.1 C symbol model_predict_jsonb stays in the module.
DROP FUNCTION predict(text, jsonb);
DROP FUNCTION predict(text, int, jsonb);
CREATE FUNCTION predict(model text, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, jsonb, boolean) IS 'prediction of the latest version of a model from named features (absent or null = missing; unknown keys are an error unless allow_extra_keys)';

-- JSON text: an untyped literal ('{"mass": 0.3}', a client's string parameter) resolves to
-- this form, not ambiguously to float8[] or jsonb; inlined into the jsonb call
CREATE FUNCTION predict(model text, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2::jsonb, $3) $$;
COMMENT ON FUNCTION predict(text, text, boolean) IS 'predict(model, features::jsonb, allow_extra_keys): named features as JSON text';

CREATE FUNCTION predict(model text, version int, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, jsonb, boolean) IS 'prediction of a given version of a model from named features';

CREATE FUNCTION predict(model text, version int, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2, $3::jsonb, $4) $$;
COMMENT ON FUNCTION predict(text, int, text, boolean) IS 'predict(model, version, features::jsonb, allow_extra_keys): named features as JSON text';
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
-- screenrun: chemeco.train learns 'logistic' (binary logistic regression)
COMMENT ON FUNCTION train(text, text, text, text, jsonb) IS 'trains linear, logistic, gradient_boosting or random_forest on a query (run as the caller) and registers the next version';
