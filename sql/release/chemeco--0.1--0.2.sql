-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

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
