-- ------------------------------------------------------------------
-- Pictures: standalone SVG 1.1 documents as text (src/plot/)
-- ------------------------------------------------------------------
CREATE FUNCTION plot_mirror(query spectrum, hit spectrum, tolerance float8 DEFAULT 0.02,
		title text DEFAULT 'query (top) against library hit (bottom)',
		query_label text DEFAULT 'query', hit_label text DEFAULT 'library hit') RETURNS text
	AS 'MODULE_PATHNAME', 'plot_mirror_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION plot_mirror(spectrum, spectrum, float8, text, text, text) IS
	'SVG mirror plot: query peaks up, hit peaks down, peaks matched within tolerance (Da) in red';

CREATE FUNCTION plot_isotope_pattern(observed spectrum, theoretical spectrum, tolerance float8 DEFAULT 0.005,
		title text DEFAULT 'isotope pattern: observed (top) against theoretical (bottom)',
		observed_label text DEFAULT 'observed', theoretical_label text DEFAULT 'theoretical') RETURNS text
	AS 'MODULE_PATHNAME', 'plot_mirror_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION plot_isotope_pattern(spectrum, spectrum, float8, text, text, text) IS
	'SVG mirror plot of a measured MS1 isotope cluster against a theoretical pattern (isotope_pattern)';

CREATE FUNCTION plot_distribution("values" float8[], title text DEFAULT 'distribution') RETURNS text
	AS 'MODULE_PATHNAME', 'plot_distribution_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION plot_distribution(float8[], text) IS
	'SVG box plot: quartiles, median, whiskers to the Tukey fences, outliers beyond them';

CREATE FUNCTION plot_pmf_profiles(run_id bigint, title text DEFAULT NULL) RETURNS text
	AS 'MODULE_PATHNAME', 'plot_pmf_profiles_sql' LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER;
COMMENT ON FUNCTION plot_pmf_profiles(bigint, text) IS
	'SVG of a pmf_fit run''s factor profiles: one panel per factor, species bars and percent of species';

CREATE FUNCTION plot_pmf_contributions(run_id bigint, title text DEFAULT NULL) RETURNS text
	AS 'MODULE_PATHNAME', 'plot_pmf_contributions_sql' LANGUAGE C STABLE PARALLEL RESTRICTED SECURITY INVOKER;
COMMENT ON FUNCTION plot_pmf_contributions(bigint, text) IS
	'SVG of a pmf_fit run''s factor contributions over its samples (byte order of the sample names)';
