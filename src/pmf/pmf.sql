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
	seconds float8,
	near_best_runs int,
	other_solutions int
);
COMMENT ON TABLE pmf_run IS 'one row per pmf_fit call: parameters and the best model''s figures';
COMMENT ON COLUMN pmf_run.near_best_runs IS 'runs whose ranking Q is within 0.5% of the kept run''s (the kept run included)';
COMMENT ON COLUMN pmf_run.other_solutions IS 'of those, runs whose matched factor profiles differ from the kept run''s (some r < 0.9): rotational ambiguity';

CREATE TABLE pmf_model (
	run_id bigint NOT NULL REFERENCES pmf_run ON DELETE CASCADE,
	model int NOT NULL,
	seed bigint NOT NULL,
	q_true float8,
	q_robust float8,
	converged boolean,
	profile_match float8,
	PRIMARY KEY (run_id, model)
);
COMMENT ON TABLE pmf_model IS 'every random start of a pmf_fit call (model 1..runs) and its Q';
COMMENT ON COLUMN pmf_model.profile_match IS 'lowest Pearson r of this model''s factor profiles with the kept model''s, factors matched greedily';

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
GRANT INSERT (parameters, q_true, q_robust, q_expected, converged, iterations, seconds,
	near_best_runs, other_solutions) ON pmf_run TO PUBLIC;
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
	AS 'MODULE_PATHNAME', 'pmf_fit_0_2' LANGUAGE C VOLATILE STRICT SECURITY INVOKER PARALLEL UNSAFE;
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
