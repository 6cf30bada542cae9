-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

-- screenrun: chemeco.train learns 'logistic' (binary logistic regression)
COMMENT ON FUNCTION train(text, text, text, text, jsonb) IS 'trains linear, logistic, gradient_boosting or random_forest on a query (run as the caller) and registers the next version';
