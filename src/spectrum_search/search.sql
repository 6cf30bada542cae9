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
		precursor_tolerance float8 DEFAULT 0.01, mode text DEFAULT 'identity',
		ms2_tolerance_ppm float8 DEFAULT NULL, precursor_removal float8 DEFAULT NULL,
		merge_tolerance float8 DEFAULT 0.04, key_column text DEFAULT NULL)
	RETURNS TABLE (ctid tid, score float8, matched_peaks int, key text)
	AS 'MODULE_PATHNAME', 'spectrum_identify' LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL RESTRICTED;
COMMENT ON FUNCTION identify(spectrum, float8, regclass, int, float8, text, float8, float8, float8, text) IS
	'k best library rows by entropy similarity; mode identity (precursor within tolerance), open, hybrid or neutral_loss; optional ppm window, precursor removal, merge distance, key column (views)';
