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
-- Equality, order and hashing (src/spectrum/pg_spectrum_ops.c): number of
-- peaks, then m/z values, then intensities; 0 and -0 are equal
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
-- Similarity (src/spectrum/cosine.c, entropy.c, clean.c)
-- ------------------------------------------------------------------
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

CREATE FUNCTION spectral_entropy(spectrum) RETURNS float8
	AS 'MODULE_PATHNAME', 'spectrum_spectral_entropy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION spectral_entropy(spectrum) IS 'Shannon entropy (natural log) of the normalised intensities';

CREATE FUNCTION clean(s spectrum, min_intensity_ratio float8 DEFAULT 0.01, merge_tolerance float8 DEFAULT 0.05,
		max_mz float8 DEFAULT NULL, "normalize" text DEFAULT 'sum', merge_tolerance_unit text DEFAULT 'Da',
		min_mz float8 DEFAULT NULL, max_peak_num int DEFAULT NULL, precursor_mz float8 DEFAULT NULL,
		precursor_removal float8 DEFAULT 1.6) RETURNS spectrum
	AS 'MODULE_PATHNAME', 'spectrum_clean' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION clean(spectrum, float8, float8, float8, text, text, float8, int, float8, float8) IS 'drop noise and peaks outside [min_mz, max_mz) or at/above precursor_mz - precursor_removal, merge close peaks, keep the max_peak_num most intense, normalise';
