-- chemeco: environmental-chemistry analytics inside PostgreSQL.
-- The install script is assembled from src/common/chemeco.sql followed by
-- every other src/*/*.sql in path order (see the Makefile).

\echo Use "CREATE EXTENSION chemeco" to load this file. \quit
