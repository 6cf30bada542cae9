-- Every user-callable SQL entry point of schema chemeco (functions, aggregates
-- and the aggregates' bytea/float8[] support functions, which anyone can call
-- with any bytes) against hostile arguments: NULL in each position and all
-- NULL, NaN/Infinity for every float8, empty / NULL-element / wrong-shape /
-- mismatched-length arrays, one 10^7-element array in each array position,
-- empty text, odd JSON, garbage states.  The calls are generated from
-- pg_proc; each result (SQLSTATE or ok) is recorded and summarised.  Passing
-- means: no XX000 (internal error), every valid base call is ok, and the
-- backend survived (a crash would abort the rest of this file).
-- Skipped: type I/O (spectrum_in/out/recv/send, covered by spectrum_type) and
-- flash_handler (index AM handler, takes internal).
--
-- Memory bounds reached by the 10^7 cases (stated by the code, checked here
-- by not running out): a spectrum holds at most 16,777,216 peaks (16 bytes
-- each, 256 MB); arrays and aggregate states are palloc'd and so bounded by
-- MaxAllocSize (1 GB) per object: quantiles accepts at most
-- MaxAllocSize / 32 probabilities, the value buffer of impact_summary and
-- quantiles at most (MaxAllocSize - header) / 8 values per flat state,
-- pmf_fit at most MaxAllocSize / 8 cells.  A 10^7-element float8 array
-- is 80 MB.
SET search_path = chemeco, public;
SET client_min_messages = warning;
-- a runaway call must fail this file, not hang it (a guard against hangs, not a timing
-- assertion: the whole file takes 2-3 minutes on a loaded 2-core machine)
SET statement_timeout = '900s';

-- ---------------------------------------------------------------- fixtures
CREATE TABLE trust_lib (name text, precursor_mz float8, spectrum spectrum);
INSERT INTO trust_lib VALUES ('a', 300, '100:1 200:2'), ('b', 300.005, '100:1 250:2'), ('c', 500, '90:1');
CREATE TABLE trust_train AS SELECT g::float8 AS x, (2 * g + 1)::float8 AS y FROM generate_series(1, 20) g;
-- 6 samples x 3 species from 2 sources, for pmf_fit
CREATE TABLE trust_pmf AS
SELECT 'd' || i AS sample, 's' || j AS species,
       (i % 3 + 1) * (CASE WHEN j = 1 THEN 1 ELSE 0.2 END) + (i % 2 + 1) * (CASE WHEN j = 3 THEN 1 ELSE 0.3 END) AS conc,
       0.1::float8 AS unc
FROM generate_series(1, 6) i, generate_series(1, 3) j;
CREATE TABLE trust_setup (doc text, run_id bigint);
INSERT INTO trust_setup (doc) VALUES
	('{"format": "chemeco-json", "algorithm": "linear", "link": "identity", "features": [{"name": "x", "type": "numeric"}],
	   "linear": {"intercept": 1, "coefficients": [2], "column_means": [0]}}');
SELECT model_import('trust_m', 'chemeco-json', doc) AS model_version FROM trust_setup;
UPDATE trust_setup SET run_id = pmf_fit('SELECT sample, species, conc, unc FROM trust_pmf', 2, runs => 1, max_iter => 200);
-- the 10^7-element arrays, built once: increasing m/z and intensities
CREATE TEMP TABLE trust_big AS
SELECT ARRAY(SELECT g::float8 / 10 FROM generate_series(1, 10000000) g) AS mz,
       array_fill(1::float8, ARRAY[10000000]) AS ones;
-- and the 10^7-peak spectrum, built once (uncompressed: each call only reads it)
CREATE TEMP TABLE trust_big_spectrum (s spectrum);
ALTER TABLE trust_big_spectrum ALTER COLUMN s SET STORAGE external;
INSERT INTO trust_big_spectrum SELECT chemeco.spectrum(mz, ones) FROM trust_big;

-- Valid base arguments (SQL expressions) of every entry point, by signature.
-- A function missing here shows up as 'no base' in the summary.
CREATE TABLE trust_base (signature text PRIMARY KEY, args text[] NOT NULL);
INSERT INTO trust_base VALUES
	('spectrum(double precision[],double precision[])', '{"''{100,200,300}''::float8[]","''{1,2,3}''::float8[]"}'),
	('mz(spectrum)', '{"''100:1 200:2''::chemeco.spectrum"}'),
	('intensities(spectrum)', '{"''100:1 200:2''::chemeco.spectrum"}'),
	('npeaks(spectrum)', '{"''100:1 200:2''::chemeco.spectrum"}'),
	('spectral_entropy(spectrum)', '{"''100:1 200:2''::chemeco.spectrum"}'),
	('spectrum_cmp(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_eq(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_ne(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_lt(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_le(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_gt(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_ge(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200:3''::chemeco.spectrum"}'),
	('spectrum_hash(spectrum)', '{"''100:1 200:2''::chemeco.spectrum"}'),
	('cosine(spectrum,spectrum,double precision,double precision,double precision,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 200.05:3''::chemeco.spectrum",0.1::float8,0::float8,1::float8,"''Da''::text"}'),
	('cosine_matches(spectrum,spectrum,double precision,double precision,double precision,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 200.05:3''::chemeco.spectrum",0.1::float8,0::float8,1::float8,"''Da''::text"}'),
	('modified_cosine(spectrum,spectrum,double precision,double precision,double precision,double precision,double precision,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 210:3''::chemeco.spectrum",300::float8,310::float8,0.1::float8,0::float8,1::float8,"''Da''::text"}'),
	('modified_cosine_matches(spectrum,spectrum,double precision,double precision,double precision,double precision,double precision,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 210:3''::chemeco.spectrum",300::float8,310::float8,0.1::float8,0::float8,1::float8,"''ppm''::text"}'),
	('entropy_similarity(spectrum,spectrum,double precision,boolean,boolean,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 200.01:3''::chemeco.spectrum",0.02::float8,true,true,"''Da''::text"}'),
	('entropy_distance(spectrum,spectrum)', '{"''100:1 200:2''::chemeco.spectrum","''100:1 200.01:3''::chemeco.spectrum"}'),
	('clean(spectrum,double precision,double precision,double precision,text,text,double precision,integer,double precision,double precision)',
	 '{"''100:1 100.01:2 200:50''::chemeco.spectrum",0.01::float8,0.05::float8,500::float8,"''sum''::text","''ppm''::text",50::float8,10,400::float8,1.6::float8}'),
	('read_msp(text,text)', '{"E''Name: a\\nNum Peaks: 2\\n100 1\\n200 2\\n''::text","''error''::text"}'),
	('read_mgf(text,text)', '{"E''BEGIN IONS\\nPEPMASS=300\\n100 1\\n200 2\\nEND IONS\\n''::text","''error''::text"}'),
	('identify(spectrum,double precision,regclass,integer,double precision,text,double precision,double precision,double precision,text)',
	 '{"''100:1 200:2''::chemeco.spectrum",300::float8,"''trust_lib''::regclass",5,0.01::float8,"''identity''::text",10::float8,1.6::float8,0.05::float8,"''name''::text"}'),
	('impact_summary_accum(bytea,double precision)', '{"chemeco.impact_summary_accum(NULL, 1)",2::float8}'),
	('value_buffer_combine(bytea,bytea)', '{"chemeco.impact_summary_accum(NULL, 1)","chemeco.impact_summary_accum(NULL, 2)"}'),
	('impact_summary_final(bytea)', '{"chemeco.impact_summary_accum(NULL, 1)"}'),
	('impact_summary(double precision)', '{1::float8}'),
	('quantiles_accum(bytea,double precision,double precision[])',
	 '{"chemeco.quantiles_accum(NULL, 1, ''{0.5}'')",2::float8,"''{0.5}''::float8[]"}'),
	('quantiles_final(bytea)', '{"chemeco.quantiles_accum(NULL, 1, ''{0.5}'')"}'),
	('quantiles(double precision,double precision[])', '{1::float8,"''{0.25,0.5}''::float8[]"}'),
	('quantiles_approx_accum(bytea,double precision,double precision[])',
	 '{"chemeco.quantiles_approx_accum(NULL, 1, ''{0.5}'')",2::float8,"''{0.5}''::float8[]"}'),
	('quantiles_approx_accum(bytea,double precision,double precision[],double precision)',
	 '{"chemeco.quantiles_approx_accum(NULL, 1, ''{0.5}'', 0.05)",2::float8,"''{0.5}''::float8[]",0.05::float8}'),
	('impact_summary_approx_accum(bytea,double precision)', '{"chemeco.impact_summary_approx_accum(NULL, 1)",2::float8}'),
	('impact_summary_approx_accum(bytea,double precision,double precision)',
	 '{"chemeco.impact_summary_approx_accum(NULL, 1, 0.05)",2::float8,0.05::float8}'),
	('quantile_sketch_combine(bytea,bytea)',
	 '{"chemeco.impact_summary_approx_accum(NULL, 1)","chemeco.impact_summary_approx_accum(NULL, -2)"}'),
	('quantiles_approx_final(bytea)', '{"chemeco.quantiles_approx_accum(NULL, 1, ''{0.5}'')"}'),
	('impact_summary_approx_final(bytea)', '{"chemeco.impact_summary_approx_accum(NULL, 1)"}'),
	('quantiles_approx(double precision,double precision[])', '{1::float8,"''{0.25,0.5}''::float8[]"}'),
	('quantiles_approx(double precision,double precision[],double precision)', '{1::float8,"''{0.25,0.5}''::float8[]",0.05::float8}'),
	('impact_summary_approx(double precision)', '{1::float8}'),
	('impact_summary_approx(double precision,double precision)', '{1::float8,0.05::float8}'),
	('weighted_mean_accum(bytea,double precision,double precision)', '{"chemeco.weighted_mean_accum(NULL, 1, 1)",2::float8,3::float8}'),
	('weighted_mean_combine(bytea,bytea)', '{"chemeco.weighted_mean_accum(NULL, 1, 1)","chemeco.weighted_mean_accum(NULL, 2, 3)"}'),
	('weighted_mean_final(bytea)', '{"chemeco.weighted_mean_accum(NULL, 1, 1)"}'),
	('weighted_mean(double precision,double precision)', '{1::float8,2::float8}'),
	('single_score(jsonb,text,boolean)', '{"''{\"cch\": 1, \"acd\": 2}''::jsonb","''pef''::text",false}'),
	('canonical_json(jsonb)', '{"''{\"b\": 1, \"a\": [1.50, 2]}''::jsonb"}'),
	('product_id(jsonb)', '{"''{\"b\": 1, \"a\": [1.50, 2]}''::jsonb"}'),
	('pmf_uncertainty(double precision,double precision,double precision)', '{1::float8,0.1::float8,0.1::float8}'),
	('signal_to_noise_accum(double precision[],double precision,double precision)', '{"''{0,0}''::float8[]",2::float8,0.5::float8}'),
	('signal_to_noise_combine(double precision[],double precision[])', '{"''{1,2}''::float8[]","''{3,4}''::float8[]"}'),
	('signal_to_noise_final(double precision[])', '{"''{3,2}''::float8[]"}'),
	('signal_to_noise(double precision,double precision)', '{2::float8,0.5::float8}'),
	('species_category(double precision)', '{0.7::float8}'),
	('cmb(double precision[],double precision[],double precision[])',
	 '{"''{1,2,3}''::float8[]","''{{1,0,0},{0,1,1}}''::float8[]","''{0.1,0.1,0.1}''::float8[]"}'),
	('profile_similarity(double precision[],double precision[],text)', '{"''{1,2,3}''::float8[]","''{1,2,4}''::float8[]","''cosine''::text"}'),
	('nmf(double precision[],double precision[],integer,integer,bigint,text,boolean,integer,double precision,integer,integer)',
	 '{"''{{1,2,3},{2,1,0.5},{3,3,1},{0.5,2,2}}''::float8[]","''{{0.1,0.1,0.1},{0.1,0.1,0.1},{0.1,0.1,0.1},{0.1,0.1,0.1}}''::float8[]",2,1,42::bigint,"''ls-nmf''::text",true,200,0.1::float8,10,5}'),
	('pmf_fit(text,integer,integer,bigint,text,boolean,integer,double precision,integer,integer)',
	 '{"''SELECT sample, species, conc, unc FROM trust_pmf''::text",2,1,42::bigint,"''ls-nmf''::text",true,200,0.1::float8,10,5}'),
	('pmf_bootstrap(bigint,integer,integer,bigint)', '{"(SELECT run_id FROM trust_setup)",3,2,42::bigint}'),
	('plot_pmf_profiles(bigint,text)', '{"(SELECT run_id FROM trust_setup)","''title''::text"}'),
	('plot_pmf_contributions(bigint,text)', '{"(SELECT run_id FROM trust_setup)","''title''::text"}'),
	('plot_mirror(spectrum,spectrum,double precision,text,text,text)',
	 '{"''100:1 200:2''::chemeco.spectrum","''100:1 250:2''::chemeco.spectrum",0.02::float8,"''t''::text","''a''::text","''b''::text"}'),
	('plot_isotope_pattern(spectrum,spectrum,double precision,text,text,text)',
	 '{"''100:1 101:0.1''::chemeco.spectrum","''100:1 101:0.11''::chemeco.spectrum",0.005::float8,"''t''::text","''a''::text","''b''::text"}'),
	('plot_distribution(double precision[],text)', '{"''{1,2,3,40}''::float8[]","''t''::text"}'),
	('pmf_disp(bigint,integer)', '{"(SELECT run_id FROM trust_setup)",1}'),
	('model_document(text,text)', '{"''chemeco-json''::text","(SELECT doc FROM trust_setup)"}'),
	('model_register(text,jsonb)', '{"''trust_r''::text","(SELECT doc::jsonb FROM trust_setup)"}'),
	('model_import(text,text,text)', '{"''trust_i''::text","''chemeco-json''::text","(SELECT doc FROM trust_setup)"}'),
	('model_export(text,integer)', '{"''trust_m''::text",1}'),
	('predict(text,double precision[])', '{"''trust_m''::text","''{1}''::float8[]"}'),
	('predict(text,jsonb,boolean)', '{"''trust_m''::text","''{\"x\": 1}''::jsonb",false}'),
	('predict(text,text,boolean)', '{"''trust_m''::text","''{\"x\": 1}''::text",false}'),
	('predict(text,integer,double precision[])', '{"''trust_m''::text",1,"''{1}''::float8[]"}'),
	('predict(text,integer,jsonb,boolean)', '{"''trust_m''::text",1,"''{\"x\": 1}''::jsonb",false}'),
	('predict(text,integer,text,boolean)', '{"''trust_m''::text",1,"''{\"x\": 1}''::text",false}'),
	('model_check_name(text)', '{"''trust_n''::text"}'),
	('train_document(text,text,text,jsonb)', '{"''linear''::text","''SELECT x, y FROM trust_train''::text","''y''::text","''{}''::jsonb"}'),
	('train(text,text,text,text,jsonb)', '{"''trust_t''::text","''linear''::text","''SELECT x, y FROM trust_train''::text","''y''::text","''{}''::jsonb"}'),
	('formula_mass(text,boolean)', '{"''C8H10N4O2''::text",true}'),
	('formula_hill(text)', '{"''C8H10N4O2''::text"}'),
	('formula_elements(text)', '{"''C8H10N4O2''::text"}'),
	('adduct_mz(text,text)', '{"''C8H10N4O2''::text","''[M+H]+''::text"}'),
	('adduct_charge(text)', '{"''[M+H]+''::text"}'),
	('isotope_pattern(text,text,double precision,double precision)',
	 '{"''C8H10N4O2''::text","''[M+H]+''::text",0.005::float8,0.0001::float8}'),
	('isotope_score(spectrum,spectrum,double precision,double precision)',
	 '{"''195.0877:1 196.091:0.1''::chemeco.spectrum","''195.0877:1 196.091:0.1''::chemeco.spectrum",5::float8,0.2::float8}'),
	('ppm_error(double precision,double precision)', '{100.001::float8,100::float8}'),
	('screen(text,text,text[],double precision,text,double precision,text,double precision,double precision,double precision,double precision,double precision)',
	 '{"$q$SELECT 1, 195.0877::float8, 5::float8, 1::float8, ''100:1''::chemeco.spectrum, NULL::chemeco.spectrum$q$::text","$q$SELECT 1, ''caffeine'', ''C8H10N4O2'', 5::float8, NULL::chemeco.spectrum$q$::text","''{[M+H]+}''::text[]",5::float8,"''positive''::text",1::float8,"NULL::text",0.7::float8,0.3::float8,0.5::float8,0.2::float8,0.02::float8}');

-- Hostile replacements for one argument, by argument type.  base is the
-- valid expression it replaces (to pick the wrong shape of an array).
CREATE FUNCTION pg_temp.hostile(argtype regtype, base text) RETURNS TABLE (label text, expr text)
LANGUAGE sql IMMUTABLE AS $$
	SELECT * FROM (VALUES
		('nan', '''NaN''::float8'), ('inf', '''Infinity''::float8'), ('-inf', '''-Infinity''::float8')) v
	WHERE argtype = 'float8'::regtype
	UNION ALL
	SELECT * FROM (VALUES
		('empty', '''{}''::float8[]'),
		('null element', '''{1,NULL,3}''::float8[]'),
		('nan element', '''{1,NaN,Infinity}''::float8[]'),
		('one element', '''{1}''::float8[]'),
		-- a 2-D argument gets 1-D and 3-D, a 1-D one gets 2-D
		('wrong shape', CASE WHEN base LIKE '%{{%' THEN '''{1,2,3}''::float8[]' ELSE '''{{1,2},{3,4}}''::float8[]' END),
		('3-D', '''{{{1,2},{3,4}},{{5,6},{7,8}}}''::float8[]'),
		('lower bound 0', '''[0:2]={1,2,3}''::float8[]'),
		-- 10^7 elements: 1-D increasing values, 2-D as 1000 x 10000 ones
		('10^7 elements', CASE WHEN base LIKE '%{{%' THEN 'array_fill(1::float8, ARRAY[1000, 10000])'
		                       ELSE '(SELECT mz FROM trust_big)' END)) v
	WHERE argtype = 'float8[]'::regtype
	UNION ALL
	SELECT * FROM (VALUES ('empty text', '''''::text'), ('garbage text', '''\x01;''''"]}''::text')) v
	WHERE argtype = 'text'::regtype
	UNION ALL
	SELECT * FROM (VALUES ('json null', '''null''::jsonb'), ('json array', '''[1, "x"]''::jsonb'),
	                      ('json empty', '''{}''::jsonb'), ('json 1e400', '''{"x": 1e400, "cch": 1e400, "b": -1e400}''::jsonb')) v
	WHERE argtype = 'jsonb'::regtype
	UNION ALL
	SELECT * FROM (VALUES ('empty bytea', '''\x''::bytea'), ('short bytea', '''\xdeadbeef''::bytea'),
	                      ('0xff bytea', 'decode(repeat(''ff'', 64), ''hex'')'),
	                      ('0x00 bytea', 'decode(repeat(''00'', 64), ''hex'')'),
	                      ('other state', CASE WHEN base LIKE '%weighted_mean%' THEN 'chemeco.quantiles_accum(NULL, 1, ''{0.5}'')'
	                                           ELSE 'chemeco.weighted_mean_accum(NULL, 1, 1)' END)) v
	WHERE argtype = 'bytea'::regtype
	UNION ALL
	SELECT * FROM (VALUES ('zero', '0'), ('negative', '-1')) v
	WHERE argtype IN ('int4'::regtype, 'int8'::regtype)
	UNION ALL
	SELECT * FROM (VALUES ('empty spectrum', '''''::chemeco.spectrum'),
	                      ('10^7 peaks', '(SELECT s FROM trust_big_spectrum)')) v
	WHERE argtype = 'chemeco.spectrum'::regtype
	UNION ALL
	SELECT * FROM (VALUES ('catalog table', '''pg_class''::regclass'), ('dropped oid', '0::oid::regclass'),
	                      ('sequence', '''chemeco.pmf_run_run_id_seq''::regclass')) v
	WHERE argtype = 'regclass'::regtype
$$;

CREATE TABLE trust_result (signature text, label text, outcome text);

DO $$
DECLARE
	f record;
	h record;
	i int;
	nargs int;
	args text[];
	hostile_args text[];
	call text;
BEGIN
	FOR f IN
		SELECT p.oid::regprocedure::text AS signature, p.proname, p.prokind, p.proretset, ARRAY(SELECT unnest(p.proargtypes::regtype[])) AS types, -- rebased to 1 (oidvector starts at 0)
		       b.args
		FROM pg_proc p LEFT JOIN trust_base b ON b.signature = p.oid::regprocedure::text
		WHERE p.pronamespace = 'chemeco'::regnamespace
		  AND p.proname NOT IN ('spectrum_in', 'spectrum_out', 'spectrum_recv', 'spectrum_send')
		  AND NOT 'internal'::regtype = ANY (p.proargtypes::regtype[])
		  AND p.prorettype <> 'index_am_handler'::regtype
		ORDER BY 1
	LOOP
		IF f.args IS NULL THEN
			INSERT INTO trust_result VALUES (f.signature, 'valid', 'no base');
			CONTINUE;
		END IF;
		nargs := cardinality(f.types);
		-- the cases: valid; all NULL; for each argument NULL and the hostile values of its type
		FOR h IN
			SELECT 'valid' AS label, f.args AS args
			UNION ALL
			SELECT 'all null', array_fill('NULL'::text, ARRAY[nargs])
			UNION ALL
			SELECT format('%s: null', a.i), f.args[:a.i - 1] || 'NULL'::text || f.args[a.i + 1:]
			FROM generate_series(1, nargs) a(i)
			UNION ALL
			SELECT format('%s: %s', a.i, x.label), f.args[:a.i - 1] || x.expr || f.args[a.i + 1:]
			FROM generate_series(1, nargs) a(i), pg_temp.hostile(f.types[a.i], f.args[a.i]) x
		LOOP
			-- typed NULLs keep overloads (predict) unambiguous
			FOR i IN 1 .. nargs LOOP
				IF h.args[i] = 'NULL' THEN
					h.args[i] := format('NULL::%s', f.types[i]);
				END IF;
			END LOOP;
			-- evaluate and render the whole result (output functions included);
			-- a 10^7 result is only checked for NULL
			IF f.prokind = 'a' THEN
				call := format('SELECT chemeco.%I(%s) IS NULL', f.proname, array_to_string(h.args, ', '));
			ELSIF h.label LIKE '%10^7%' THEN
				call := format('SELECT count(*) FROM chemeco.%I(%s) r WHERE r IS NOT NULL', f.proname, array_to_string(h.args, ', '));
			ELSE
				call := format('SELECT sum(length(r::text)) FROM chemeco.%I(%s) r', f.proname, array_to_string(h.args, ', '));
			END IF;
			-- run in a subtransaction that is always rolled back (no catalog rows left behind)
			BEGIN
				EXECUTE call;
				RAISE SQLSTATE 'TRUOK';
			EXCEPTION WHEN OTHERS THEN
				INSERT INTO trust_result VALUES (f.signature, h.label,
					CASE WHEN SQLSTATE = 'TRUOK' THEN 'ok' ELSE SQLSTATE END);
				IF SQLSTATE = 'XX000' THEN
					RAISE WARNING 'internal error from %: %', call, SQLERRM;
				END IF;
			END;
		END LOOP;
	END LOOP;
END
$$;
RESET statement_timeout;

-- ---------------------------------------------------------------- summary
-- the verdict: no internal error, every valid call ok, every entry point covered
SELECT count(DISTINCT signature) AS entry_points, count(*) AS calls,
       count(*) FILTER (WHERE outcome = 'XX000') AS internal_errors,
       count(*) FILTER (WHERE label = 'valid' AND outcome <> 'ok') AS valid_calls_failing,
       count(*) FILTER (WHERE label LIKE '%10^7%') AS calls_with_10_7_elements
FROM trust_result;
-- every outcome, grouped: function, SQLSTATE, the cases that gave it
SELECT signature, outcome, string_agg(label, ', ' ORDER BY label) AS cases
FROM trust_result GROUP BY signature, outcome ORDER BY signature, outcome;

-- the stated bound: one peak over 16,777,216 is refused before any allocation
-- of peaks (54000 program_limit_exceeded)
RESET client_min_messages;
DO $$
BEGIN
	PERFORM chemeco.spectrum(a, a) FROM (SELECT array_fill(1::float8, ARRAY[16777217]) AS a) s;
EXCEPTION WHEN program_limit_exceeded THEN
	RAISE NOTICE 'refused: %', SQLERRM;
END $$;

DROP TABLE trust_lib, trust_train, trust_pmf, trust_setup, trust_big, trust_big_spectrum, trust_base, trust_result;
DELETE FROM pmf_run;
DELETE FROM model;
