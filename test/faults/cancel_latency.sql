-- Cancel latency at the largest sizes (issue 15.4): nmf on a 2000 x 2000
-- matrix of ones with factors = 2000 and max_iter = 1 spends seconds in
-- single steps (initialisation, Q over the whole matrix, the first update),
-- each of which must poll for interrupts.  statement_timeout = 1 s; run.sh
-- checks that every statement was cancelled and returned within the bound.
SET search_path = public, chemeco;
SET client_min_messages = warning;
-- stored uncompressed: the time measured is chemeco's, not pglz's
CREATE TEMP TABLE big_square (a float8[]);
ALTER TABLE big_square ALTER a SET STORAGE EXTERNAL;
INSERT INTO big_square SELECT array_fill(1::float8, ARRAY[2000, 2000]);
SET statement_timeout = '1s';
\set ON_ERROR_STOP off
\timing on
SET max_parallel_workers_per_gather = 0;
SELECT (nmf(a, a, factors => 2000, max_iter => 1)).q_true FROM big_square;
SELECT (nmf(a, a, factors => 2000, max_iter => 1, method => 'ws-nmf')).q_true FROM big_square;
SET max_parallel_workers_per_gather = 1;
SELECT (nmf(a, a, factors => 2000, max_iter => 1)).q_true FROM big_square;
SELECT (nmf(a, a, factors => 2000, max_iter => 1, method => 'ws-nmf')).q_true FROM big_square;
SELECT (nmf(a, a, factors => 1000, runs => 4, max_iter => 1)).q_true FROM big_square;
\timing off
RESET statement_timeout;
SELECT 'backend still usable' AS status;
