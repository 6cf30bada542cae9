-- chemeco: environmental-chemistry analytics inside PostgreSQL.
-- The install script is assembled from src/common/chemeco.sql followed by
-- every other src/*/*.sql in path order (see the Makefile).

\echo Use "CREATE EXTENSION chemeco" to load this file. \quit

-- Every role may use chemeco's functions and types; catalogue tables grant
-- and restrict their rows themselves (row-level security per owner).
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
