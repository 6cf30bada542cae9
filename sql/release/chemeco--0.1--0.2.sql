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
