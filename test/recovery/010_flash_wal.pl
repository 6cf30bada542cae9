# test/recovery/010_flash_wal.pl: the chemeco_flash index through WAL.
#
# A primary with a streaming standby.  The index is built before the base
# backup; after it, inserts (rows landing on pending pages, one spanning
# several), updates, deletes and VACUUM reach the standby only as WAL.  On
# the standby, and on the primary, an index search must answer as the
# sequential scan does.  Then the primary is killed (immediate stop) with an
# uncommitted batch of inserts in flight, and after crash recovery both
# servers must answer as the sequential scan again.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $extra_conf = $ENV{CHEMECO_NODE_CONF} // '';

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', $extra_conf);
$primary->start;

# spectra with 5-40 peaks, m/z 50-500, deterministic (setseed)
sub random_spectra
{
	my ($first, $count, $seed) = @_;
	my $last = $first + $count - 1;
	return qq{SELECT setseed($seed);
	INSERT INTO library
	SELECT g, chemeco.spectrum(array_agg(round((50 + random() * 450)::numeric, 4)::float8),
		array_agg(1 + random() * 999))
	FROM generate_series($first, $last) g, generate_series(1, 5 + g % 36) p GROUP BY g;};
}

$primary->safe_psql('postgres', 'CREATE EXTENSION chemeco');
$primary->safe_psql('postgres',
	'CREATE TABLE library (id int PRIMARY KEY, spectrum chemeco.spectrum)');
$primary->safe_psql('postgres', random_spectra(1, 3000, 0.1));
$primary->safe_psql('postgres',
	'CREATE INDEX library_flash ON library USING chemeco_flash (spectrum)');

$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

# after the backup: WAL only
$primary->safe_psql('postgres', random_spectra(3001, 400, 0.2));
$primary->safe_psql('postgres',
	q{INSERT INTO library SELECT 9000, chemeco.spectrum(array_agg(50 + g * 0.0001), array_agg(1 + g % 97))
	  FROM generate_series(1, 20000) g});	# one row over several pending pages
$primary->safe_psql('postgres',
	q{UPDATE library SET spectrum = chemeco.spectrum(chemeco.mz(spectrum), array_fill(1::float8, ARRAY[chemeco.npeaks(spectrum)]))
	  WHERE id % 50 = 0});
$primary->safe_psql('postgres', 'DELETE FROM library WHERE id % 7 = 0');
$primary->safe_psql('postgres', 'VACUUM library');

# the top 10 of 25 queries, through the index and by a sequential scan
my $queries = q{SELECT id AS query_id, spectrum AS q FROM library WHERE id % 97 = 1 ORDER BY id LIMIT 25};

sub top10
{
	my ($node, $plan) = @_;
	my $settings =
	  $plan eq 'index'
	  ? 'SET enable_seqscan = off; SET enable_bitmapscan = off;'
	  : 'SET enable_indexscan = off; SET enable_bitmapscan = off;';
	return $node->safe_psql(
		'postgres', qq{$settings
		SELECT query_id, string_agg(id || ':' || round(d::numeric, 10), ' ' ORDER BY d, id)
		FROM ($queries) queries,
		     LATERAL (SELECT id, spectrum OPERATOR(chemeco.<~>) q AS d FROM library
		              ORDER BY spectrum OPERATOR(chemeco.<~>) q LIMIT 10) hits
		GROUP BY query_id ORDER BY query_id});
}

sub index_used
{
	my ($node) = @_;
	my $plan = $node->safe_psql('postgres',
		q{SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT id FROM library
		  ORDER BY spectrum OPERATOR(chemeco.<~>) (SELECT spectrum FROM library WHERE id = 1) LIMIT 10});
	return $plan =~ /Index Scan using library_flash/;
}

sub check_node
{
	my ($node, $when) = @_;
	my $by_index = top10($node, 'index');
	my $by_scan = top10($node, 'scan');
	ok(index_used($node), "$when, " . $node->name . ": the search uses library_flash");
	is($by_index, $by_scan, "$when, " . $node->name . ": index results equal the sequential scan");
	my $queries_answered = () = $by_index =~ /^\d+\|/mg;
	is($queries_answered, 25, "$when, " . $node->name . ": 25 queries answered");
}

$primary->wait_for_catchup($standby);
check_node($standby, 'after WAL replay');
check_node($primary, 'after WAL replay');
is($standby->safe_psql('postgres', 'SELECT count(*) FROM library'),
	$primary->safe_psql('postgres', 'SELECT count(*) FROM library'), 'the standby has every row');

# crash with a batch in flight: committed rows stay, uncommitted ones vanish
$primary->safe_psql('postgres', random_spectra(4001, 200, 0.3));
my $in_flight = $primary->background_psql('postgres');
$in_flight->query_safe('BEGIN');
$in_flight->query_safe(random_spectra(5001, 300, 0.4));
$primary->stop('immediate');
$in_flight->quit;
$primary->start;
is($primary->safe_psql('postgres', 'SELECT count(*) FROM library WHERE id BETWEEN 4001 AND 5300'),
	'200', 'after the crash: committed rows kept, the uncommitted batch gone');
$primary->safe_psql('postgres', random_spectra(6001, 100, 0.5));
$primary->wait_for_catchup($standby);
check_node($primary, 'after crash recovery');
check_node($standby, 'after crash recovery');

done_testing();
