-- On each shard: its part of the spectral library.
SET client_min_messages = warning;
DROP TABLE IF EXISTS library_part;
CREATE TABLE library_part (id int PRIMARY KEY, name text, precursor_mz float8, spectrum chemeco.spectrum);
CREATE INDEX library_part_flash ON library_part USING chemeco_flash (spectrum);
