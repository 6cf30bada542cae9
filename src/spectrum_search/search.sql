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
