SET search_path = chemeco, public;
-- States forged by hand and passed to the support functions (or used as an
-- aggregate's initcond): a bytea can come from anywhere, so every function
-- reading one must reject a bad one with an error, never crash or misread it.
--
-- Flat value state after the varlena header: int32 nprobs, int64 count,
-- nprobs probabilities, count values, all little-endian (this test assumes a
-- little-endian server, like the layout check in stats_aggregates).
CREATE FUNCTION pg_temp.le(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS
$$ SELECT coalesce(string_agg(substr(b, i, 1), ''::bytea ORDER BY i DESC), '')
   FROM generate_series(1, length(b)) i $$;
CREATE FUNCTION pg_temp.state(nprobs int, n bigint, VARIADIC doubles float8[]) RETURNS bytea
LANGUAGE sql IMMUTABLE AS
$$ SELECT pg_temp.le(int4send(nprobs)) || pg_temp.le(int8send(n)) ||
          coalesce((SELECT string_agg(pg_temp.le(float8send(d)), ''::bytea ORDER BY o)
                    FROM unnest(doubles) WITH ORDINALITY u(d, o)), '') $$;
-- SQLSTATE and message of a statement's error, one row per case.
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN EXECUTE statement; RETURN 'no error';
   EXCEPTION WHEN OTHERS THEN RETURN SQLSTATE || ': ' || SQLERRM; END $$;

-- the helper writes what quantiles_accum writes (then zeroed room follows)
SELECT substr(quantiles_accum(quantiles_accum(NULL, 1, '{0.5}'), 2, '{0.5}'), 1, 36)
       = pg_temp.state(1, 2, 0.5, 1, 2) AS helper_matches;
-- well-formed forged states work: {1.5} (1 and 2), {4} (one value, room after it), 2.5 (1 2 3 4)
SELECT quantiles_final(pg_temp.state(1, 2, 0.5, 1, 2)) AS q,
       quantiles_final(pg_temp.state(1, 1, 0.5, 4, 0)) AS q_room,
       (impact_summary_final(pg_temp.state(0, 4, 4, 1, 3, 2))).median AS median;

-- 1. probabilities inside a state must be in [0, 1] (p = 1e15 used to crash quantiles_final)
SELECT pg_temp.error_of($$SELECT chemeco.quantiles_final('\x01000000020000000000000000003426f56b0c43000000000000f03f0000000000000040'::bytea)$$) AS p_1e15;
SELECT pg_temp.error_of(format('SELECT quantiles_final(%L::bytea)', pg_temp.state(2, 2, 0.5, p, 1, 2))) AS bad_p
FROM unnest('{-0.5,1.5,NaN,Infinity,-Infinity}'::float8[]) p;
SELECT pg_temp.error_of(format('SELECT value_buffer_combine(%L::bytea, %L::bytea)',
                               pg_temp.state(1, 1, 2, 5), pg_temp.state(1, 1, 2, 6))) AS combine_both_bad,
       pg_temp.error_of(format('SELECT value_buffer_combine(%L::bytea, %L::bytea)',
                               pg_temp.state(1, 1, 0.5, 5), pg_temp.state(1, 1, -1, 6))) AS combine_second_bad,
       pg_temp.error_of(format('SELECT quantiles_accum(%L::bytea, 3, ''{1e15}'')',
                               pg_temp.state(1, 1, 1e15, 5))) AS accum_bad;
-- the same through an aggregate whose initial state is forged (the in-place path)
CREATE AGGREGATE pg_temp.forged_quantiles(float8, float8[]) (
	SFUNC = chemeco.quantiles_accum, STYPE = bytea, FINALFUNC = chemeco.quantiles_final,
	INITCOND = '\x01000000000000000000000000003426f56b0c43');
SELECT pg_temp.error_of($$SELECT pg_temp.forged_quantiles(x, '{1e15}') FROM (VALUES (1::float8), (2)) z(x)$$) AS forged_initcond;

-- 2. malformed states: 22P03 naming the function (too short, counts beyond the length,
-- negative counts, a weighted_mean state of the wrong size)
SELECT pg_temp.error_of(format('SELECT %s(%L::bytea)', f, s)) AS malformed
FROM (VALUES ('impact_summary_final', '\x0102'::bytea),
             ('quantiles_final', pg_temp.state(0, 2, 1)),
             ('quantiles_final', pg_temp.state(3, 0, 0.5, 0.5)),
             ('impact_summary_final', pg_temp.state(-1, 1, 1)),
             ('impact_summary_final', pg_temp.state(0, -1, 1)),
             ('impact_summary_final', pg_temp.state(0, 1, 1) || '\x00'::bytea),
             ('weighted_mean_final', '\x0102'::bytea)) t(f, s);
SELECT pg_temp.error_of(format('SELECT value_buffer_combine(%L::bytea, %L::bytea)',
                               pg_temp.state(0, 1, 1), pg_temp.state(0, 2, 1))) AS value_combine,
       pg_temp.error_of(format('SELECT weighted_mean_combine(%L::bytea, %L::bytea)',
                               weighted_mean_accum(NULL, 1, 1), '\x00'::bytea)) AS weighted_combine;

-- 3. values inside a state must be finite, as on input (before they were
-- accepted, and selection among NaNs gives an arbitrary answer)
SELECT pg_temp.error_of(format('SELECT %s(%L::bytea)', f, s)) AS bad_value
FROM (VALUES ('quantiles_final', pg_temp.state(1, 3, 0.5, 1, 'NaN', 2)),
             ('impact_summary_final', pg_temp.state(0, 3, 1, 'NaN', 2)),
             ('impact_summary_final', pg_temp.state(0, 2, 1, '-Infinity'))) t(f, s);
-- through an aggregate whose initial state holds a NaN (the in-place path)
CREATE AGGREGATE pg_temp.forged_summary(float8) (
	SFUNC = chemeco.impact_summary_accum, STYPE = bytea, FINALFUNC = chemeco.impact_summary_final,
	INITCOND = '\x000000000100000000000000000000000000f87f');
SELECT pg_temp.error_of($$SELECT pg_temp.forged_summary(x) FROM (VALUES (1::float8), (2)) z(x)$$) AS forged_initcond;
-- a combined state carries the bad value on to the final function
SELECT pg_temp.error_of(format('SELECT quantiles_final(value_buffer_combine(%L::bytea, %L::bytea))',
                               pg_temp.state(1, 1, 0.5, 1), pg_temp.state(1, 1, 0.5, 'NaN'))) AS combined;

-- 4. weighted_mean states (1180 bytes after the header: int32 padding, int64
-- count, then two exact sums, weights and products, each 72 int64 digits and
-- an int64 pending count; digit i of the weights at byte 12 + 8 i).  A forged
-- count or sum that no sequence of rows produces is rejected by combine and final.
CREATE FUNCTION pg_temp.patched(state bytea, byte_offset int, v bigint) RETURNS bytea
LANGUAGE sql IMMUTABLE AS
$$ SELECT overlay(state PLACING pg_temp.le(int8send(v)) FROM byte_offset + 1 FOR 8) $$;
-- the real thing first: 1 (weight 1) and 4 (weight 2) combine to 3
SELECT octet_length(weighted_mean_accum(NULL, 1, 1)) AS state_bytes,
       weighted_mean_final(weighted_mean_combine(weighted_mean_accum(NULL, 1, 1),
                                                 weighted_mean_accum(NULL, 4, 2))) AS mean;
SELECT what, pg_temp.error_of(format('SELECT weighted_mean_final(%L::bytea)', s)) AS final,
       pg_temp.error_of(format('SELECT weighted_mean_combine(%L::bytea, %L::bytea)',
                               weighted_mean_accum(NULL, 1, 1), s)) AS combine
FROM (SELECT weighted_mean_accum(NULL, 2, 1) AS good) g,
LATERAL (VALUES ('count -1', pg_temp.patched(good, 4, -1)),
                ('count 0, sums not 0', pg_temp.patched(good, 4, 0)),
                ('pending -1', pg_temp.patched(good, 12 + 8 * 72, -1)),
                ('digit 2^62', pg_temp.patched(good, 12, 4611686018427387904)),
                ('top digit 1', pg_temp.patched(good, 12 + 8 * 71, 1)),
                ('weights < 0', pg_temp.patched(good, 12 + 8 * 71, -1))) f(what, s);
-- a forged initial state is caught by the final function
DO $$ BEGIN
	EXECUTE format('CREATE AGGREGATE pg_temp.forged_mean(float8, float8) (SFUNC = chemeco.weighted_mean_accum, '
	               'STYPE = bytea, FINALFUNC = chemeco.weighted_mean_final, INITCOND = %L)',
	               pg_temp.patched(chemeco.weighted_mean_accum(NULL, 2, 1), 12, 4611686018427387904));
END $$;
SELECT pg_temp.error_of($$SELECT pg_temp.forged_mean(x, 1) FROM (VALUES (1::float8), (2)) z(x)$$) AS forged_initcond;

-- signal_to_noise's float8[2] state {sum of S/N terms, count}: a forged state
-- with a negative, fractional, non-finite or inconsistent member is 22023
-- (a negative count gave -1 before); states the aggregate makes still work
SELECT s AS state, pg_temp.error_of(format('SELECT chemeco.signal_to_noise_final(%L::float8[])', s)) AS final,
       pg_temp.error_of(format('SELECT chemeco.signal_to_noise_combine(%L::float8[], ''{1,1}'')', s)) AS combine,
       pg_temp.error_of(format('SELECT chemeco.signal_to_noise_accum(%L::float8[], 3, 1)', s)) AS accum
FROM unnest(ARRAY['{1,-1}', '{-5,2}', '{NaN,2}', '{1,NaN}', '{1,Infinity}', '{1,-Infinity}', '{5,2.5}', '{5,0}',
                  '{1,1e300}', '{0,0}', '{Infinity,3}', '{3,2}']) s;
SELECT chemeco.signal_to_noise_final('{3,2}') AS mean_1_5, chemeco.signal_to_noise_final('{0,0}') IS NULL AS empty_is_null;

-- Combining many partial states, as a leader does with its workers' or a
-- coordinator with its shards' (states are appended as sorted runs; past 64
-- runs the state is sorted): 150 states of 1-40 values with ties, every
-- second one accumulated in ascending order (a sorted run), the others in
-- random order, folded one by one.  The quantiles equal percentile_cont of
-- all values, and impact_summary's statistics those of the one-state path.
SELECT setseed(0.7);
CREATE TEMP TABLE part_values AS
SELECT part, floor(random() * 50) / 4 AS x, random() AS shuffle
FROM generate_series(1, 150) part, generate_series(1, 1 + (part * 7) % 40) i;
CREATE FUNCTION pg_temp.folded(fold_summary boolean) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	total bytea;
	part_state bytea;
	v float8;
BEGIN
	FOR p IN 1..150 LOOP
		part_state := NULL;
		FOR v IN EXECUTE format('SELECT x FROM part_values WHERE part = %s ORDER BY %s', p,
		                        CASE WHEN p % 2 = 0 THEN 'x' ELSE 'shuffle' END) LOOP
			part_state := CASE WHEN fold_summary THEN impact_summary_accum(part_state, v)
			                   ELSE quantiles_accum(part_state, v, '{0,0.1,0.25,0.5,0.77,0.9,1}') END;
		END LOOP;
		total := CASE WHEN total IS NULL THEN part_state ELSE value_buffer_combine(total, part_state) END;
	END LOOP;
	RETURN total;
END $$;
SELECT quantiles_final(pg_temp.folded(false))
       = (SELECT percentile_cont('{0,0.1,0.25,0.5,0.77,0.9,1}'::float8[]) WITHIN GROUP (ORDER BY x) FROM part_values)
       AS folded_quantiles_equal_percentile_cont,
       impact_summary_final(pg_temp.folded(true)) = (SELECT impact_summary(x) FROM part_values)
       AS folded_summary_equals_one_state;
