-- screen: suspect screening of LC-HRMS features (src/screening/pg_screen.c;
-- docs/reference/screening.md).  Not STRICT: adducts, rt_window and model may
-- be NULL (the other arguments are checked in C).  The two queries run with
-- the caller's rights and settings, hence no SET search_path.
CREATE FUNCTION screen(features text, suspects text, adducts text[] DEFAULT NULL, ppm float8 DEFAULT 5,
		ion_mode text DEFAULT 'positive', rt_window float8 DEFAULT NULL, model text DEFAULT NULL,
		ms2_match float8 DEFAULT 0.7, ms2_evidence float8 DEFAULT 0.3, isotope_threshold float8 DEFAULT 0.5,
		intensity_error float8 DEFAULT 0.2, ms2_tolerance float8 DEFAULT 0.02)
	RETURNS TABLE (feature_id text, suspect_id text, adduct text, mz float8, mz_error_ppm float8, rt_error float8,
		isotope_score float8, ms2_score float8, level text, probability float8)
	AS 'MODULE_PATHNAME', 'screen_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION screen(text, text, text[], float8, text, float8, text, float8, float8, float8, float8, float8) IS
	'suspect screening: features within ppm of the suspects'' ions, with mass, retention time, isotope and MS/MS evidence, Schymanski level and model probability';
