-- chemeco: environmental-chemistry analytics inside PostgreSQL.
-- The install script is assembled from the pieces listed in the Makefile's
-- SQL_PIECES, in that order (docs/architecture.md).

\echo Use "CREATE EXTENSION chemeco" to load this file. \quit

-- Every role may use chemeco's functions and types; catalogue tables grant
-- and restrict their rows themselves (row-level security per owner).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
