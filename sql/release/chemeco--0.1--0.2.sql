-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

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
