-- chemeco.read_msp / read_mgf: malformed records name the record and line;
-- on_error => 'skip' turns them into warnings and keeps the good records.
SET search_path = chemeco, public;

-- MSP: "Num Peaks" disagreeing with the peak lines (record 2, line 6)
SELECT ordinal, name FROM read_msp(E'Name: ok\nNum Peaks: 1\n10 1\n\nName: short\nNum Peaks: 3\n10 1\n20 2\n');
SELECT ordinal, name FROM read_msp(E'Name: ok\nNum Peaks: 1\n10 1\n\nName: short\nNum Peaks: 3\n10 1\n20 2\n',
	on_error => 'skip');
-- more peaks than declared, and no blank line before the next record
SELECT ordinal, name FROM read_msp(E'Name: long\nNum Peaks: 1\n10 1\n20 2\nName: next\nNum Peaks: 1\n5 5\n',
	on_error => 'skip');
-- no "Num Peaks" line
SELECT * FROM read_msp(E'Name: x\n10 1\n');
-- bad peaks: the message gives line and column
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n10 1\n-20 2\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n10 1; 20 nan\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n10 1; 20 -2\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n10 1 20\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 1\n10 1e999\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 1\n10 1 "open annotation\n');
-- AMDIS .msl groups "( mz intensity )" must hold exactly two numbers, closed on the line
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n( 52 3 55) (136)\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 1\n( 52 3\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n( 52 3) 55 136\n');
-- header problems
SELECT * FROM read_msp(E'Name: x\nno colon here\nNum Peaks: 0\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: many\n');
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 1\nNum Peaks: 1\n10 1\n');
SELECT * FROM read_msp(E'10 1\n20 2\n\nName: y\nNum Peaks: 0\n');
-- skip keeps every good record, warns once per bad one, and keeps ordinals of the file
SELECT ordinal, name, spectrum FROM read_msp(
	E'Name: r1\nNum Peaks: 1\n10 1\n\nName: r2\nNum Peaks: 1\n10 x\n20 2\n\nName: r3\nNum Peaks: 1\n30 3\n\n'
	'Name: r4\nNum Peaks: 2\n40 4\n\nName: r5\nNum Peaks: 0\n', 'skip');

-- MGF: missing END IONS, nested BEGIN IONS, junk inside and outside records, bad peaks
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\n10 1\n');
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\n10 1\nBEGIN IONS\nTITLE=b\n20 2\nEND IONS\n');
SELECT ordinal, name FROM read_mgf(E'BEGIN IONS\nTITLE=a\n10 1\nBEGIN IONS\nTITLE=b\n20 2\nEND IONS\n', 'skip');
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\njunk line\n10 1\nEND IONS\n');
SELECT * FROM read_mgf(E'stray text\nBEGIN IONS\nTITLE=a\n10 1\nEND IONS\n');
SELECT ordinal, name FROM read_mgf(E'stray text\nEND IONS\nBEGIN IONS\nTITLE=a\n10 1\nEND IONS\n', 'skip');
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\n10\nEND IONS\n');
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\n0 5\nEND IONS\n');
SELECT * FROM read_mgf(E'BEGIN IONS\nTITLE=a\n10 inf\nEND IONS\n');
SELECT ordinal, name, spectrum FROM read_mgf(
	E'BEGIN IONS\nTITLE=a\n10 1\nEND IONS\nBEGIN IONS\nTITLE=b\n10 -1\n30 3\nEND IONS\nBEGIN IONS\nTITLE=c\n30 3\nEND IONS\n',
	on_error => 'skip');

-- SQLSTATEs: 22P02 for malformed input, 22023 for a bad on_error
\set VERBOSITY sqlstate
SELECT * FROM read_msp(E'Name: x\nNum Peaks: 2\n10 1\n');
SELECT * FROM read_mgf(E'BEGIN IONS\n');
SELECT * FROM read_msp('', on_error => 'ignore');
\set VERBOSITY default
SELECT * FROM read_mgf('', on_error => 'Skip');
