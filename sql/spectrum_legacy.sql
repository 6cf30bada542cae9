-- Values stored by chemeco 0.1 (no format version: int32 peak count right
-- after the varlena header, peaks at offset 8) are read by 0.2 as they were;
-- a value of neither layout is an error, never a misread.  The bytes are
-- written through a bytea-like type aligned like chemeco.spectrum (bytea's
-- own I/O) and a binary-coercible cast, in transactions that are rolled
-- back.  Peaks: little-endian float8, 100.0 = 0x4059000000000000.
SET search_path = public, chemeco;
BEGIN;
SET LOCAL client_min_messages = warning;	-- the shell type NOTICEs differ between versions
CREATE TYPE raw_bytes;
CREATE FUNCTION raw_bytes_in(cstring) RETURNS raw_bytes LANGUAGE internal IMMUTABLE STRICT AS 'byteain';
CREATE FUNCTION raw_bytes_out(raw_bytes) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
CREATE TYPE raw_bytes (INPUT = raw_bytes_in, OUTPUT = raw_bytes_out, INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double, STORAGE = extended);
CREATE CAST (raw_bytes AS chemeco.spectrum) WITHOUT FUNCTION;
CREATE TEMP TABLE stored (label text, s chemeco.spectrum);
INSERT INTO stored VALUES
	-- 0.1: 2 peaks, 100:1 200:2
	('0.1, two peaks', '\x020000000000000000005940000000000000f03f00000000000069400000000000000040'::raw_bytes::chemeco.spectrum),
	-- 0.1: no peaks
	('0.1, empty', '\x00000000'::raw_bytes::chemeco.spectrum),
	-- 0.2 (version 1): one peak 100:1
	('0.2, one peak', '\x0100000001000000000000000000000000005940000000000000f03f'::raw_bytes::chemeco.spectrum);
SELECT label, s::text AS spectrum, npeaks(s), round(cosine(s, '100:1 200:2')::numeric, 12) AS cosine,
	s OPERATOR(chemeco.<~>) '100:1 200:2' AS distance, pg_column_size(s) AS stored_bytes
FROM stored ORDER BY label;
-- rewriting through the text form stores the current layout (a header of 16 bytes, not 8)
UPDATE stored SET s = s::text::chemeco.spectrum WHERE label LIKE '0.1%';
SELECT label, s::text AS spectrum, pg_column_size(s) AS stored_bytes FROM stored ORDER BY label;
ROLLBACK;

-- neither layout: a 0.1 size with the wrong count, an unknown version, a wrong size
BEGIN;
SET LOCAL client_min_messages = warning;	-- the shell type NOTICEs differ between versions
CREATE TYPE raw_bytes;
CREATE FUNCTION raw_bytes_in(cstring) RETURNS raw_bytes LANGUAGE internal IMMUTABLE STRICT AS 'byteain';
CREATE FUNCTION raw_bytes_out(raw_bytes) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
CREATE TYPE raw_bytes (INPUT = raw_bytes_in, OUTPUT = raw_bytes_out, INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double, STORAGE = extended);
CREATE CAST (raw_bytes AS chemeco.spectrum) WITHOUT FUNCTION;
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.error_of($$SELECT chemeco.npeaks('\x050000000000000000005940000000000000f03f'::raw_bytes::chemeco.spectrum)$$)
	AS count_5_in_a_0_1_size;
SELECT pg_temp.error_of($$SELECT chemeco.npeaks('\x0200000001000000000000000000000000005940000000000000f03f'::raw_bytes::chemeco.spectrum)$$)
	AS version_2;
SELECT pg_temp.error_of($$SELECT chemeco.npeaks('\x0100000002000000000000000000000000005940000000000000f03f'::raw_bytes::chemeco.spectrum)$$)
	AS count_2_in_a_size_for_1;
ROLLBACK;
