-- chemeco: environmental-chemistry analytics inside PostgreSQL.
-- The install script is assembled from src/common/chemeco.sql followed by
-- every other src/*/*.sql in path order (see the Makefile).

\echo Use "CREATE EXTENSION chemeco" to load this file. \quit

-- Every role may use chemeco's functions and types; catalogue tables grant
-- and restrict their rows themselves (row-level security per owner).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
-- ------------------------------------------------------------------
-- Models: catalogue, import/export, scoring, training (src/model/)
-- ------------------------------------------------------------------
CREATE TABLE model (
	name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	version int NOT NULL CHECK (version >= 1),
	algorithm text NOT NULL,
	features jsonb NOT NULL,
	metrics jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	owner name NOT NULL DEFAULT current_user,
	document jsonb NOT NULL,
	-- (name, version) is unique among the models a role can see (its own)
	PRIMARY KEY (owner, name, version)
);
COMMENT ON TABLE model IS 'model catalogue: one row per (owner, name, version); document is chemeco-json';

-- Each role sees and changes only its own models.
ALTER TABLE model ENABLE ROW LEVEL SECURITY;
CREATE POLICY model_owner ON model
	USING (owner = current_user) WITH CHECK (owner = current_user);
GRANT SELECT, INSERT, UPDATE, DELETE ON model TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('model', '');

CREATE FUNCTION model_document(format text, document text) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_document(text, text) IS 'validates an xgboost-json or chemeco-json document and returns its chemeco-json form';

CREATE FUNCTION model_register(name text, document jsonb) RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	next_version int;
BEGIN
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

CREATE FUNCTION model_import(name text, format text, document text) RETURNS int
	LANGUAGE sql VOLATILE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
	-- a chemeco-json document keeps its metrics (e.g. a model exported from another database)
	SELECT chemeco.model_register($1, chemeco.model_document($2, $3) ||
		CASE WHEN $2 = 'chemeco-json' AND jsonb_typeof($3::jsonb -> 'metrics') = 'object'
		     THEN jsonb_build_object('metrics', $3::jsonb -> 'metrics') ELSE '{}' END)
	$$;
COMMENT ON FUNCTION model_import(text, text, text) IS 'imports an xgboost-json or chemeco-json model as the next version; returns the version';

CREATE FUNCTION model_export(name text, version int DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	result jsonb;
BEGIN
	SELECT m.document INTO result FROM chemeco.model m
	WHERE m.name = $1 AND ($2 IS NULL OR m.version = $2)
	ORDER BY m.owner = current_user DESC, m.version DESC LIMIT 1;
	IF result IS NULL THEN
		RAISE EXCEPTION 'model "%" version % does not exist', $1, coalesce($2::text, '(latest)')
			USING ERRCODE = 'undefined_object';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION model_export(text, int) IS 'the chemeco-json document of a model version (latest when version is NULL)';

-- COST: a call walks every tree of the model (microseconds), which makes parallel plans worth it
CREATE FUNCTION predict(model text, features float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_array' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, float8[]) IS 'prediction of the latest version of a model from its encoded columns (NULL or NaN = missing)';

CREATE FUNCTION predict(model text, features jsonb) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_jsonb' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, jsonb) IS 'prediction of the latest version of a model from named features (absent or null = missing)';

CREATE FUNCTION predict(model text, version int, features float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_array' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, float8[]) IS 'prediction of a given version of a model from its encoded columns';

CREATE FUNCTION predict(model text, version int, features jsonb) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_jsonb' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, jsonb) IS 'prediction of a given version of a model from named features';

CREATE FUNCTION train_document(algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS jsonb
	AS 'MODULE_PATHNAME', 'model_train_document' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION train_document(text, text, text, jsonb) IS 'trains a model on the rows of a query and returns its chemeco-json document with hold-out metrics';

-- no SET search_path here: the data query runs with the caller's settings
CREATE FUNCTION train(name text, algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS int
	LANGUAGE sql VOLATILE STRICT
	AS $$ SELECT chemeco.model_register($1, chemeco.train_document($2, $3, $4, $5)) $$;
COMMENT ON FUNCTION train(text, text, text, text, jsonb) IS 'trains linear, gradient_boosting or random_forest on a query (run as the caller) and registers the next version';
-- ------------------------------------------------------------------
-- Source apportionment (src/pmf): EPA PMF-style data preparation,
-- factorisation, chemical mass balance, profile matching.
-- ------------------------------------------------------------------

-- Data preparation (src/pmf/prep.c, pg_pmf_prep.c)
CREATE FUNCTION pmf_uncertainty(conc float8, mdl float8, error_fraction float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'pmf_uncertainty_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pmf_uncertainty(float8, float8, float8) IS
	'EPA PMF 5.0 uncertainty: 5/6 mdl at or below the MDL, else sqrt((error_fraction conc)^2 + (mdl/2)^2)';

CREATE FUNCTION signal_to_noise_accum(state float8[], conc float8, unc float8) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'pmf_signal_to_noise_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION signal_to_noise_combine(a float8[], b float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'pmf_signal_to_noise_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION signal_to_noise_final(state float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'pmf_signal_to_noise_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE signal_to_noise(conc float8, unc float8) (
	SFUNC = signal_to_noise_accum,
	STYPE = float8[],
	INITCOND = '{0,0}',
	COMBINEFUNC = signal_to_noise_combine,
	FINALFUNC = signal_to_noise_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE signal_to_noise(float8, float8) IS
	'EPA PMF 5.0 signal-to-noise of a species: mean over samples of (conc - unc)/unc where conc > unc, else 0';

CREATE FUNCTION species_category(sn float8) RETURNS text
	AS 'MODULE_PATHNAME', 'pmf_species_category' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION species_category(float8) IS
	'EPA PMF 5.0 species category from S/N: bad below 0.5, weak below 1, else strong';

-- Chemical mass balance and profile matching (src/pmf/nnls.c, cmb.c, similarity.c)
CREATE FUNCTION cmb(sample float8[], profiles float8[][], sample_unc float8[] DEFAULT NULL,
		OUT contribution float8[], OUT residual_norm float8, OUT r2 float8)
	AS 'MODULE_PATHNAME', 'pmf_cmb' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cmb(float8[], float8[], float8[]) IS
	'chemical mass balance: non-negative (weighted) least squares of a sample on source profiles (one row per source)';

CREATE FUNCTION profile_similarity(a float8[], b float8[], method text DEFAULT 'cosine') RETURNS float8
	AS 'MODULE_PATHNAME', 'pmf_profile_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION profile_similarity(float8[], float8[], text) IS
	'cosine, pearson (similarities) or euclidean (distance) between two species profiles';

-- Factorisation, array form (src/pmf/nmf.c, ls_nmf.c, ws_nmf.c, pg_nmf.c)
CREATE FUNCTION nmf(x float8[][], u float8[][], factors int, runs int DEFAULT 20, seed bigint DEFAULT 42,
		method text DEFAULT 'ls-nmf', robust boolean DEFAULT true, max_iter int DEFAULT 20000,
		converge_delta float8 DEFAULT 0.1, converge_n int DEFAULT 50, reweight_after int DEFAULT 0,
		OUT w float8[][], OUT h float8[][], OUT q_true float8, OUT q_robust float8)
	AS 'MODULE_PATHNAME', 'pmf_nmf' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nmf(float8[], float8[], int, int, bigint, text, boolean, int, float8, int, int) IS
	'positive matrix factorisation x ~ w h weighted by 1/u^2; best of runs seeded random starts';

-- Factorisation from a query, with results in catalog tables (src/pmf/pg_pmf_fit.c)
CREATE TABLE pmf_run (
	run_id bigserial PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	owner name NOT NULL DEFAULT current_user,
	parameters jsonb NOT NULL,
	q_true float8,
	q_robust float8,
	q_expected float8,
	converged boolean,
	iterations int,
	seconds float8
);
COMMENT ON TABLE pmf_run IS 'one row per pmf_fit call: parameters and the best model''s figures';

CREATE TABLE pmf_model (
	run_id bigint NOT NULL REFERENCES pmf_run ON DELETE CASCADE,
	model int NOT NULL,
	seed bigint NOT NULL,
	q_true float8,
	q_robust float8,
	converged boolean,
	PRIMARY KEY (run_id, model)
);
COMMENT ON TABLE pmf_model IS 'every random start of a pmf_fit call (model 1..runs) and its Q';

CREATE TABLE pmf_profile (
	run_id bigint NOT NULL REFERENCES pmf_run ON DELETE CASCADE,
	factor int NOT NULL,
	species text NOT NULL,
	value float8 NOT NULL,
	percent float8,
	PRIMARY KEY (run_id, factor, species)
);
COMMENT ON TABLE pmf_profile IS 'best model''s factor profiles (H); percent = share of the species'' modelled total';

CREATE TABLE pmf_contribution (
	run_id bigint NOT NULL REFERENCES pmf_run ON DELETE CASCADE,
	factor int NOT NULL,
	sample text NOT NULL,
	value float8 NOT NULL,
	PRIMARY KEY (run_id, factor, sample)
);
COMMENT ON TABLE pmf_contribution IS 'best model''s factor contributions (W) per sample';

CREATE TABLE pmf_residual (
	run_id bigint NOT NULL REFERENCES pmf_run ON DELETE CASCADE,
	sample text NOT NULL,
	species text NOT NULL,
	scaled_residual float8 NOT NULL,
	PRIMARY KEY (run_id, sample, species)
);
COMMENT ON TABLE pmf_residual IS 'best model''s residuals scaled by the uncertainty used in the fit, (x - wh)/u';

-- Every role sees, adds and deletes only its own runs (and their rows).
ALTER TABLE pmf_run ENABLE ROW LEVEL SECURITY;
CREATE POLICY pmf_run_owner ON pmf_run
	USING (owner = current_user) WITH CHECK (owner = current_user);
ALTER TABLE pmf_model ENABLE ROW LEVEL SECURITY;
CREATE POLICY pmf_model_owner ON pmf_model
	USING (EXISTS (SELECT 1 FROM @extschema@.pmf_run r WHERE r.run_id = pmf_model.run_id));
ALTER TABLE pmf_profile ENABLE ROW LEVEL SECURITY;
CREATE POLICY pmf_profile_owner ON pmf_profile
	USING (EXISTS (SELECT 1 FROM @extschema@.pmf_run r WHERE r.run_id = pmf_profile.run_id));
ALTER TABLE pmf_contribution ENABLE ROW LEVEL SECURITY;
CREATE POLICY pmf_contribution_owner ON pmf_contribution
	USING (EXISTS (SELECT 1 FROM @extschema@.pmf_run r WHERE r.run_id = pmf_contribution.run_id));
ALTER TABLE pmf_residual ENABLE ROW LEVEL SECURITY;
CREATE POLICY pmf_residual_owner ON pmf_residual
	USING (EXISTS (SELECT 1 FROM @extschema@.pmf_run r WHERE r.run_id = pmf_residual.run_id));

-- pmf_run: only the columns pmf_fit writes; run_id (from the sequence) and
-- owner (current_user) are not insertable, so no role can take a future
-- run_id or pose as another.  The other tables' policies (USING, also the
-- WITH CHECK) admit rows only for a run the role sees, i.e. owns.
GRANT SELECT, DELETE ON pmf_run TO PUBLIC;
GRANT INSERT (parameters, q_true, q_robust, q_expected, converged, iterations, seconds) ON pmf_run TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON pmf_model, pmf_profile, pmf_contribution, pmf_residual TO PUBLIC;
GRANT USAGE, SELECT ON SEQUENCE pmf_run_run_id_seq TO PUBLIC;

-- pg_dump keeps the rows users created (the tables themselves belong to the extension).
SELECT pg_catalog.pg_extension_config_dump('pmf_run', '');
SELECT pg_catalog.pg_extension_config_dump('pmf_run_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('pmf_model', '');
SELECT pg_catalog.pg_extension_config_dump('pmf_profile', '');
SELECT pg_catalog.pg_extension_config_dump('pmf_contribution', '');
SELECT pg_catalog.pg_extension_config_dump('pmf_residual', '');

CREATE FUNCTION pmf_fit(data text, factors int, runs int DEFAULT 20, seed bigint DEFAULT 42,
		method text DEFAULT 'ls-nmf', robust boolean DEFAULT true, max_iter int DEFAULT 20000,
		converge_delta float8 DEFAULT 0.1, converge_n int DEFAULT 50, reweight_after int DEFAULT 0) RETURNS bigint
	AS 'MODULE_PATHNAME', 'pmf_fit' LANGUAGE C VOLATILE STRICT SECURITY INVOKER PARALLEL UNSAFE;
COMMENT ON FUNCTION pmf_fit(text, int, int, bigint, text, boolean, int, float8, int, int) IS
	'PMF of the long-format rows (sample, species, conc, unc[, category]) returned by the query data; returns the run_id';

CREATE FUNCTION pmf_bootstrap(run_id bigint, resamples int DEFAULT 100, block_size int DEFAULT NULL,
		seed bigint DEFAULT 42)
	RETURNS TABLE (factor int, species text, base float8, p05 float8, p25 float8, p50 float8,
		p75 float8, p95 float8, mapped int)
	AS 'MODULE_PATHNAME', 'pmf_bootstrap_sql' LANGUAGE C VOLATILE SECURITY INVOKER PARALLEL UNSAFE;
COMMENT ON FUNCTION pmf_bootstrap(bigint, int, int, bigint) IS
	'block-bootstrap percentiles of a pmf_fit run''s profiles; mapped = resamples in which the factor was matched (r >= 0.6)';

CREATE FUNCTION pmf_disp(run_id bigint, max_refits int DEFAULT 12)
	RETURNS TABLE (factor int, species text, dq_max float8, base float8, low float8, high float8,
		swap_low boolean, swap_high boolean, q_drop float8)
	AS 'MODULE_PATHNAME', 'pmf_disp_sql' LANGUAGE C VOLATILE STRICT SECURITY INVOKER PARALLEL UNSAFE;
COMMENT ON FUNCTION pmf_disp(bigint, int) IS
	'DISP intervals of a pmf_fit run''s profiles: how far each value moves before Q rises by dq_max (4, 8, 15, 25), refitting the rest';
-- ------------------------------------------------------------------
-- Spectrum type: centroid peaks sorted by m/z (src/spectrum/pg_spectrum.c)
-- ------------------------------------------------------------------
CREATE TYPE spectrum;

CREATE FUNCTION spectrum_in(cstring) RETURNS spectrum
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_out(spectrum) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_recv(internal) RETURNS spectrum
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION spectrum_send(spectrum) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE spectrum (
	INPUT = spectrum_in,
	OUTPUT = spectrum_out,
	RECEIVE = spectrum_recv,
	SEND = spectrum_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE spectrum IS 'mass spectrum: centroid peaks (m/z > 0, intensity >= 0) sorted by m/z';

CREATE FUNCTION spectrum(mz float8[], intensity float8[]) RETURNS spectrum
	AS 'MODULE_PATHNAME', 'spectrum_from_arrays' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION spectrum(float8[], float8[]) IS 'spectrum from parallel m/z and intensity arrays';

CREATE FUNCTION mz(spectrum) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'spectrum_mz' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mz(spectrum) IS 'peak m/z values in ascending order';

CREATE FUNCTION intensities(spectrum) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'spectrum_intensities' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION intensities(spectrum) IS 'peak intensities, in the order of mz()';

CREATE FUNCTION npeaks(spectrum) RETURNS int
	AS 'MODULE_PATHNAME', 'spectrum_npeaks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION npeaks(spectrum) IS 'number of peaks';

-- ------------------------------------------------------------------
-- Similarity (src/spectrum/cosine.c, entropy.c, clean.c)
-- ------------------------------------------------------------------
CREATE FUNCTION cosine(a spectrum, b spectrum, tolerance float8 DEFAULT 0.1,
		mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_cosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine(spectrum, spectrum, float8, float8, float8) IS 'greedy cosine similarity (matchms CosineGreedy)';

CREATE FUNCTION cosine_matches(a spectrum, b spectrum, tolerance float8 DEFAULT 0.1,
		mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1) RETURNS int
	AS 'MODULE_PATHNAME', 'spectrum_cosine_matches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine_matches(spectrum, spectrum, float8, float8, float8) IS 'number of peak pairs used by cosine()';

CREATE FUNCTION modified_cosine(a spectrum, b spectrum, precursor_a float8, precursor_b float8,
		tolerance float8 DEFAULT 0.1, mz_power float8 DEFAULT 0, intensity_power float8 DEFAULT 1) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_modified_cosine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION modified_cosine(spectrum, spectrum, float8, float8, float8, float8, float8) IS 'modified cosine similarity (matchms ModifiedCosine)';

CREATE FUNCTION entropy_similarity(a spectrum, b spectrum, tolerance float8 DEFAULT 0.02,
		weighted boolean DEFAULT true, clean boolean DEFAULT true) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_entropy_similarity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION entropy_similarity(spectrum, spectrum, float8, boolean, boolean) IS 'spectral entropy similarity (Li et al. 2021, ms_entropy pipeline)';

CREATE FUNCTION spectral_entropy(spectrum) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_spectral_entropy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION spectral_entropy(spectrum) IS 'Shannon entropy (natural log) of the normalised intensities';

CREATE FUNCTION clean(s spectrum, min_intensity_ratio float8 DEFAULT 0.01, merge_tolerance float8 DEFAULT 0.05,
		max_mz float8 DEFAULT NULL, "normalize" text DEFAULT 'sum') RETURNS spectrum
	AS 'MODULE_PATHNAME', 'spectrum_clean' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clean(spectrum, float8, float8, float8, text) IS 'drop noise and peaks at or above max_mz, merge close peaks, normalise';
-- ------------------------------------------------------------------
-- Import of spectral libraries (src/spectrum/msp.c, mgf.c, pg_import.c)
-- ------------------------------------------------------------------
CREATE FUNCTION read_msp(content text, on_error text DEFAULT 'error')
	RETURNS TABLE(ordinal int, name text, precursor_mz float8, metadata jsonb, spectrum spectrum)
	AS 'MODULE_PATHNAME', 'spectrum_read_msp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION read_msp(text, text) IS 'spectra of an MSP library (NIST, MassBank, RIKEN, GOLM): one row per record';

CREATE FUNCTION read_mgf(content text, on_error text DEFAULT 'error')
	RETURNS TABLE(ordinal int, name text, precursor_mz float8, metadata jsonb, spectrum spectrum)
	AS 'MODULE_PATHNAME', 'spectrum_read_mgf' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION read_mgf(text, text) IS 'spectra of an MGF file: one row per BEGIN IONS ... END IONS record';
-- ------------------------------------------------------------------
-- Spectral library search (src/spectrum_search)
-- ------------------------------------------------------------------
CREATE FUNCTION entropy_distance(a spectrum, b spectrum) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_entropy_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
	COST 100;
COMMENT ON FUNCTION entropy_distance(spectrum, spectrum) IS
	'1 - entropy_similarity(a, b, 0.02, true, true): the distance behind <~> and the chemeco_flash index';

CREATE OPERATOR <~> (
	LEFTARG = spectrum,
	RIGHTARG = spectrum,
	FUNCTION = entropy_distance,
	COMMUTATOR = <~>
);
COMMENT ON OPERATOR <~> (spectrum, spectrum) IS 'entropy distance (1 - entropy similarity at 0.02 Da)';

-- The chemeco_flash index (src/spectrum_search/pg_flash*.c)
CREATE FUNCTION flash_handler(internal) RETURNS index_am_handler
	AS 'MODULE_PATHNAME' LANGUAGE C;
CREATE ACCESS METHOD chemeco_flash TYPE INDEX HANDLER flash_handler;
COMMENT ON ACCESS METHOD chemeco_flash IS 'exact Flash-entropy index: ORDER BY spectrum <~> query';

CREATE OPERATOR CLASS spectrum_flash_ops DEFAULT FOR TYPE spectrum USING chemeco_flash AS
	OPERATOR 1 <~> (spectrum, spectrum) FOR ORDER BY float_ops;

CREATE FUNCTION identify(query spectrum, query_precursor float8, library regclass, k int DEFAULT 5,
		precursor_tolerance float8 DEFAULT 0.01, mode text DEFAULT 'identity')
	RETURNS TABLE (ctid tid, score float8, matched_peaks int)
	AS 'MODULE_PATHNAME', 'spectrum_identify' LANGUAGE C STABLE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION identify(spectrum, float8, regclass, int, float8, text) IS
	'k best library rows by entropy similarity; mode identity (precursor within tolerance), open or hybrid';
-- ------------------------------------------------------------------
-- Impact categories with PEF and Ecobalyse (ecs) normalisation and weighting.
-- GENERATED by test/reference/impact_category.py from Ecobalyse impacts.json
-- (MTES-MCT/ecobalyse-data @ 27d0d00e, MIT licence, Copyright (c) 2025
-- Fabrique Numerique du ministere de la Transition ecologique).  Do not edit.
-- ------------------------------------------------------------------
CREATE TABLE impact_category (
	method text NOT NULL,
	code text NOT NULL,
	label text NOT NULL,
	unit text NOT NULL,
	normalization float8 NOT NULL CHECK (normalization > 0 AND normalization < 'Infinity'),
	weighting float8 NOT NULL CHECK (weighting >= 0 AND weighting < 'Infinity'),
	shipped boolean NOT NULL DEFAULT false,
	PRIMARY KEY (method, code)
);
COMMENT ON TABLE impact_category IS
	'normalisation and weighting per method and impact category (Ecobalyse impacts.json, MIT); read by single_score()';

INSERT INTO impact_category (method, code, label, unit, normalization, weighting, shipped) VALUES
	('pef', 'acd', 'Acidification', 'mol H+ eq', 55.5695, 0.062, true),
	('pef', 'cch', 'Climate change', 'kg CO₂ eq', 7553.08, 0.2106, true),
	('pef', 'etf', 'Ecotoxicity, freshwater', 'CTUe', 56716.6, 0.0192, true),
	('pef', 'fru', 'Resource use, fossils', 'MJ', 65004.3, 0.0832, true),
	('pef', 'fwe', 'Eutrophication, freshwater', 'kg P eq', 1.60685, 0.028, true),
	('pef', 'htc', 'Human toxicity, cancer', 'CTUh', 1.72529e-05, 0.0213, true),
	('pef', 'htn', 'Human toxicity, non-cancer', 'CTUh', 0.000128736, 0.0184, true),
	('pef', 'ior', 'Ionising radiation', 'kBq U-235 eq', 4220.16, 0.0501, true),
	('pef', 'ldu', 'Land use', 'Pt', 819498.0, 0.0794, true),
	('pef', 'mru', 'Resource use, minerals and metals', 'kg Sb eq', 0.0636226, 0.0755, true),
	('pef', 'ozd', 'Ozone depletion', 'kg CFC11 eq', 0.053648, 0.0631, true),
	('pef', 'pco', 'Photochemical ozone formation', 'kg NMVOC eq', 40.8592, 0.0478, true),
	('pef', 'pma', 'Particulate matter', 'disease inc.', 0.000595367, 0.0896, true),
	('pef', 'swe', 'Eutrophication, marine', 'kg N eq', 19.5452, 0.0296, true),
	('pef', 'tre', 'Eutrophication, terrestrial', 'mol N eq', 176.755, 0.0371, true),
	('pef', 'wtu', 'Water use', 'm³', 11468.7, 0.0851, true),
	('ecs', 'acd', 'Acidification', 'mol H+ eq', 55.5695, 0.0491, true),
	('ecs', 'cch', 'Climate change', 'kg CO₂ eq', 7553.08, 0.2106, true),
	('ecs', 'etf-c', 'Ecotoxicity, freshwater, corrected', 'CTUe', 98120.0, 0.2106, true),
	('ecs', 'fru', 'Resource use, fossils', 'MJ', 65004.3, 0.0659, true),
	('ecs', 'fwe', 'Eutrophication, freshwater', 'kg P eq', 1.60685, 0.0222, true),
	('ecs', 'htc-c', 'Human toxicity, cancer, corrected', 'CTUh', 1.72529e-05, 0.0, true),
	('ecs', 'htn-c', 'Human toxicity, non-cancer, corrected', 'CTUh', 0.000128736, 0.0, true),
	('ecs', 'ior', 'Ionising radiation', 'kBq U-235 eq', 4220.16, 0.0397, true),
	('ecs', 'ldu', 'Land use', 'Pt', 819498.0, 0.0629, true),
	('ecs', 'mru', 'Resource use, minerals and metals', 'kg Sb eq', 0.0636226, 0.0598, true),
	('ecs', 'ozd', 'Ozone depletion', 'kg CFC11 eq', 0.053648, 0.05, true),
	('ecs', 'pco', 'Photochemical ozone formation', 'kg NMVOC eq', 40.8592, 0.0379, true),
	('ecs', 'pma', 'Particulate matter', 'disease inc.', 0.000595367, 0.071, true),
	('ecs', 'swe', 'Eutrophication, marine', 'kg N eq', 19.5452, 0.0235, true),
	('ecs', 'tre', 'Eutrophication, terrestrial', 'mol N eq', 176.755, 0.0294, true),
	('ecs', 'wtu', 'Water use', 'm³', 11468.7, 0.0674, true);
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
