-- SVG pictures: the expected number of marks, escaped text, bounded sizes for
-- huge inputs, and clean errors.  Marks are counted in the text (the server
-- may be built without libxml); test/plot/render.sh parses every picture
-- with xmllint and renders it with librsvg.
SET search_path = public, chemeco;
-- marks of one element and class, e.g. marks(svg, 'line', 'peak matched')
CREATE FUNCTION pg_temp.marks(svg text, element text, class text) RETURNS int LANGUAGE sql AS $$
	SELECT regexp_count(svg, '<' || element || ' class="' || class || '"')
$$;
CREATE FUNCTION pg_temp.title(svg text) RETURNS text LANGUAGE sql AS $$
	SELECT substring(svg FROM '<title>(.*)</title>')
$$;
CREATE FUNCTION pg_temp.error_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE statement;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- mirror: 3 query peaks, 3 hit peaks; 100 and 200 match within 0.02 Da, 300 / 310 do not
SELECT plot_mirror('100:10 200:100 300:5', '100.01:50 200:100 310:20') AS svg \gset
SELECT pg_temp.marks(:'svg', 'line', 'peak') AS unmatched,
	pg_temp.marks(:'svg', 'line', 'peak matched') AS matched,
	pg_temp.title(:'svg') AS title,
	:'svg' LIKE '%http://%' AND :'svg' NOT LIKE '%href%' AS no_external_resource;
-- the matched peaks at tolerance 0.005 Da: only 200 on each side
SELECT pg_temp.marks(plot_mirror('100:10 200:100 300:5', '100.01:50 200:100 310:20', 0.005),
	'line', 'peak matched') AS matched_at_5_mda;

-- user text is escaped, control characters replaced (test/plot/render.sh parses such a title)
SELECT plot_mirror('100:1', '100:1', title => E'<script>alert("x")</script> & \x01 ''q''') AS svg \gset
SELECT :'svg' NOT LIKE '%<script>%' AS no_markup,
	pg_temp.title(:'svg') AS title;

-- a huge spectrum draws its 2000 most intense peaks: the size stays bounded
SELECT plot_mirror(spectrum(array_agg(50 + i * 0.01 ORDER BY i), array_agg(1 + (i * 7919) % 1000 ORDER BY i)),
	'100:1') AS svg FROM generate_series(1, 200000) i \gset
SELECT pg_temp.marks(:'svg', 'line', 'peak') + pg_temp.marks(:'svg', 'line', 'peak matched') AS peaks_drawn,
	length(:'svg') < 300000 AS under_300_kb, :'svg' LIKE '%the 2000 most intense of each drawn%' AS says_so;

-- isotope pattern: the same mirror with its own labels
SELECT plot_isotope_pattern('195.0877:100 196.0907:9.7', '195.0876:100 196.0910:10.1 197.0933:1') AS svg \gset
SELECT pg_temp.marks(:'svg', 'line', 'peak matched') AS matched,
	:'svg' LIKE '%>observed<%' AND :'svg' LIKE '%>theoretical<%' AS labelled;

-- box plot of 1..20 and 100: Tukey fences 5.75 -/+ 15 ... one outlier (100)
SELECT plot_distribution(array_append(array_agg(i::float8), 100), 'mass (kg)') AS svg FROM generate_series(1, 20) i \gset
SELECT pg_temp.marks(:'svg', 'circle', 'outlier') AS outliers,
	pg_temp.marks(:'svg', 'rect', 'box') AS boxes, pg_temp.marks(:'svg', 'line', 'whisker') AS whiskers,
	:'svg' LIKE '%n = 21, median 11, IQR 10; 1 outliers%' AS caption;
-- 10^6 heavy-tailed values: at most 1000 outliers drawn
SELECT plot_distribution(array_agg(exp(4 * sin(i * 12.9898) * cos(i * 78.233)))) AS svg FROM generate_series(1, 1000000) i \gset
SELECT pg_temp.marks(:'svg', 'circle', 'outlier') AS outliers_drawn,
	length(:'svg') < 200000 AS under_200_kb, :'svg' LIKE '%(the 1000 farthest drawn)%' AS says_so;

-- PMF: a 2-factor run on 12 samples x 5 species
CREATE TEMP TABLE meas AS
SELECT '2026-01-' || lpad(i::text, 2, '0') AS sample, 'sp' || j AS species,
	abs(sin(i * j)) * 10 + 0.1 AS conc, 0.5 AS unc
FROM generate_series(1, 12) i, generate_series(1, 5) j;
SET client_min_messages = warning;
SELECT pmf_fit('SELECT sample, species, conc, unc FROM meas', 2, runs => 2, max_iter => 200) AS run_id \gset
RESET client_min_messages;
SELECT plot_pmf_profiles(:run_id) AS svg \gset
SELECT pg_temp.marks(:'svg', 'rect', 'bar') AS bars,
	pg_temp.marks(:'svg', 'circle', 'share') AS shares, :'svg' LIKE '%>sp5</text>%' AS species_named;
SELECT plot_pmf_contributions(:run_id, 'sources & days') AS svg \gset
SELECT pg_temp.marks(:'svg', 'polyline', 'series') AS series,
	array_length(regexp_split_to_array(substring(:'svg' FROM 'points="([^"]*)"'), ' '), 1) AS points,
	:'svg' LIKE '%sources &amp; days%' AS title_escaped;

-- errors
SELECT pg_temp.error_of($$SELECT chemeco.plot_mirror('100:1', '100:1', 0)$$) AS zero_tolerance;
SELECT pg_temp.error_of($$SELECT chemeco.plot_mirror('100:1', '100:1', 'NaN')$$) AS nan_tolerance;
SELECT pg_temp.error_of($$SELECT chemeco.plot_distribution('{}')$$) AS no_values;
SELECT pg_temp.error_of($$SELECT chemeco.plot_distribution('{1,NaN}')$$) AS nan_value;
SELECT pg_temp.error_of($$SELECT chemeco.plot_distribution('{1,NULL}')$$) AS null_value;
SELECT pg_temp.error_of($$SELECT chemeco.plot_pmf_profiles(-1)$$) AS unknown_run;
SELECT plot_pmf_profiles(NULL) IS NULL AS null_run, plot_mirror(NULL, '100:1') IS NULL AS null_spectrum;
-- empty spectra still give a picture
SELECT plot_mirror('', '') LIKE '%</svg>%' AS empty_spectra_framed;
-- leave the catalogue as found (pmf_fit's test counts the runs)
DELETE FROM pmf_run WHERE run_id = :run_id;
