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
