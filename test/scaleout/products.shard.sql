-- On each shard: its part of the products table.
SET client_min_messages = warning;
DROP TABLE IF EXISTS products_part;
CREATE TABLE products_part (id int PRIMARY KEY, product_type text, mass float8, cotton_share float8,
	country text, ecs float8);
