/*
 * Unit tests of the MSP and MGF readers.  Expected values are read off the
 * inputs written in each test.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mgf.h"
#include "msp.h"
#include "unit.h"

#define MAX_READ 16

/* Everything one pass over a text gives: records and errors, in order. */
typedef struct ReadAll
{
	int			n_records;
	SpectrumRecord records[MAX_READ];
	int			n_errors;
	SpectrumReadError errors[MAX_READ];
} ReadAll;

static void
read_all(const char *text, bool mgf, ReadAll *out)
{
	MspReader	msp;
	MgfReader	mgf_reader;

	memset(out, 0, sizeof(*out));
	if (mgf)
		mgf_reader_init(&mgf_reader, text, strlen(text));
	else
		msp_reader_init(&msp, text, strlen(text));
	for (int guard = 0; guard < 2 * MAX_READ; guard++)
	{
		SpectrumRecord record;
		SpectrumReadError error;
		SpectrumReadStatus status = mgf ? mgf_read_next(&mgf_reader, &record, &error)
			: msp_read_next(&msp, &record, &error);

		if (status == SPECTRUM_READ_END)
			break;
		if (status == SPECTRUM_READ_RECORD && out->n_records < MAX_READ)
			out->records[out->n_records++] = record;
		else if (status == SPECTRUM_READ_ERROR && out->n_errors < MAX_READ)
			out->errors[out->n_errors++] = error;
	}
	if (mgf)
		mgf_reader_free(&mgf_reader);
	else
		msp_reader_free(&msp);
}

static void
free_all(ReadAll *all)
{
	for (int i = 0; i < all->n_records; i++)
		spectrum_record_free(&all->records[i]);
}

static const char *
field(const SpectrumRecord *r, const char *key)
{
	for (int i = 0; i < r->n_fields; i++)
		if (strcmp(r->fields[i].key, key) == 0)
			return r->fields[i].value;
	return NULL;
}

UNIT_TEST(msp_record_fields_and_sorted_peaks)
{
	ReadAll		all;
	const SpectrumRecord *r;

	read_all("Name: Caffeine\nPrecursorMZ: 195.0877\nComment: x: y\nNum Peaks: 3\n"
			 "138.066 100\n110.071 20\n195.088 5\n", false, &all);
	CHECK_INT(all.n_records, 1);
	CHECK_INT(all.n_errors, 0);
	r = &all.records[0];
	CHECK_INT(r->ordinal, 1);
	CHECK(r->name && strcmp(r->name, "Caffeine") == 0);
	CHECK(r->has_precursor_mz);
	CHECK_NEAR(r->precursor_mz, 195.0877, 0);
	CHECK_INT(r->n_fields, 4);
	CHECK(strcmp(field(r, "comment"), "x: y") == 0);	/* split at the first ':' */
	CHECK(strcmp(field(r, "num peaks"), "3") == 0);
	CHECK_INT(r->n_peaks, 3);
	CHECK(r->peaks[0].mz == 110.071 && r->peaks[0].intensity == 20);
	CHECK(r->peaks[2].mz == 195.088 && r->peaks[2].intensity == 5);
	free_all(&all);
}

UNIT_TEST(msp_pair_separators_and_annotations)
{
	ReadAll		all;
	const SpectrumRecord *r;

	read_all("NAME: a\nNUM PEAKS: 6\n10 1; 20 2, 30 3\n40:4 50:5\n60\t6\t\"y1+ (a;b:c)\"\n", false, &all);
	CHECK_INT(all.n_records, 1);
	r = &all.records[0];
	CHECK_INT(r->n_peaks, 6);
	for (int i = 0; i < r->n_peaks; i++)
		CHECK(r->peaks[i].mz == 10 * (i + 1) && r->peaks[i].intensity == i + 1);
	CHECK(!r->has_precursor_mz);
	free_all(&all);
}

UNIT_TEST(msl_parenthesised_pairs)
{
	ReadAll		all;
	const Peak	expected[6] = {{52, 3}, {55, 136}, {56, 14}, {100, 6}, {101.5, 4}, {102, 4}};

	/* the layout of AMDIS/NIST .msl files (JL_2021_V2.msl of matchms' tests) */
	read_all("NAME:G3P\nRW:\nNUM PEAKS:  6 \n( 52    3) ( 55  136) ( 56   14) \n"
			 "(100    6);(101.5,4)(102 4)\n", false, &all);
	CHECK_INT(all.n_records, 1);
	CHECK_INT(all.n_errors, 0);
	CHECK(strcmp(all.records[0].name, "G3P") == 0);
	CHECK(strcmp(field(&all.records[0], "rw"), "") == 0);
	CHECK_INT(all.records[0].n_peaks, 6);
	for (int i = 0; i < 6 && i < all.records[0].n_peaks; i++)
		CHECK(all.records[0].peaks[i].mz == expected[i].mz &&
			  all.records[0].peaks[i].intensity == expected[i].intensity);
	free_all(&all);
}

UNIT_TEST(msl_malformed_groups)
{
	const char *bad[] = {
		"Name: a\nNum Peaks: 2\n( 52 3 55) (136)\n",	/* three numbers, then one */
		"Name: a\nNum Peaks: 1\n( 52 3\n",	/* no ")" */
		"Name: a\nNum Peaks: 2\n( 52 3) 55 136\n",	/* a pair outside "( )" */
		"Name: a\nNum Peaks: 1\n( 52 (3))\n",	/* nested */
		"Name: a\nNum Peaks: 1\n( 52 x)\n",	/* not a number */
	};
	const int	columns[] = {1, 1, 9, 6, 6};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ReadAll		all;

		read_all(bad[i], false, &all);
		CHECK_INT(all.n_records, 0);
		CHECK_INT(all.n_errors, 1);
		CHECK_INT(all.errors[0].line, 3);
		{
			char		expected[32];

			snprintf(expected, sizeof(expected), "at column %d", columns[i]);
			CHECK(strstr(all.errors[0].message, expected) != NULL);
		}
	}
}

UNIT_TEST(msp_line_ends_bom_and_comments)
{
	ReadAll		all;

	/* BOM, CRLF, a lone CR, '#' comments and several blank lines */
	read_all("\xEF\xBB\xBFName: a\r\nNum Peaks: 1\r\n10 1\r\n\r\n\r\n# note\rName: b\rNum Peaks: 1\r20 2\r",
			 false, &all);
	CHECK_INT(all.n_records, 2);
	CHECK_INT(all.n_errors, 0);
	CHECK(strcmp(all.records[0].name, "a") == 0);
	CHECK(strcmp(all.records[1].name, "b") == 0);
	CHECK_INT(all.records[1].ordinal, 2);
	CHECK_INT(all.records[1].first_line, 7);
	CHECK(all.records[1].peaks[0].mz == 20);
	free_all(&all);
}

UNIT_TEST(msp_records_without_blank_lines)
{
	ReadAll		all;

	read_all("Name: a\nNum Peaks: 0\nName: b\nNum Peaks: 1\n10 1\nName: c\nNum Peaks: 1\n20 2", false, &all);
	CHECK_INT(all.n_records, 3);
	CHECK_INT(all.n_errors, 0);
	CHECK_INT(all.records[0].n_peaks, 0);
	CHECK(strcmp(all.records[2].name, "c") == 0);
	free_all(&all);
}

UNIT_TEST(msp_errors_name_record_and_line_then_resume)
{
	ReadAll		all;

	read_all("Name: a\nNum Peaks: 2\n10 1\n\n"	/* 1: count mismatch (line 2) */
			 "Name: b\nNum Peaks: 1\n10 x\n20 2\n\n"	/* 2: bad number (line 7) */
			 "Name: c\nNum Peaks: 1\n30 3\n\n"	/* 3: fine */
			 "Name: d\nbad header\nNum Peaks: 0\n\n"	/* 4: no colon (line 15) */
			 "Name: e\nNum Peaks: 1\n40 4 \"open\n\n"	/* 5: unterminated quote (line 20) */
			 "Name: f\n10 1\n",	/* 6: no Num Peaks (line 22) */
			 false, &all);
	CHECK_INT(all.n_records, 1);
	CHECK(strcmp(all.records[0].name, "c") == 0);
	CHECK_INT(all.records[0].ordinal, 3);
	CHECK_INT(all.n_errors, 5);
	CHECK_INT(all.errors[0].record, 1);
	CHECK_INT(all.errors[0].line, 2);
	CHECK_INT(all.errors[1].record, 2);
	CHECK_INT(all.errors[1].line, 7);
	CHECK(strstr(all.errors[1].message, "not a number") != NULL);
	CHECK_INT(all.errors[2].record, 4);
	CHECK_INT(all.errors[2].line, 15);
	CHECK_INT(all.errors[3].record, 5);
	CHECK_INT(all.errors[3].line, 20);
	CHECK_INT(all.errors[4].record, 6);
	CHECK_INT(all.errors[4].line, 22);
	free_all(&all);
}

UNIT_TEST(msp_rejects_invalid_peaks)
{
	const char *bad[] = {
		"Name: a\nNum Peaks: 1\n0 1\n",
		"Name: a\nNum Peaks: 1\n10 -1\n",
		"Name: a\nNum Peaks: 1\n10 nan\n",
		"Name: a\nNum Peaks: 1\ninf 1\n",
		"Name: a\nNum Peaks: 1\n10 1e400\n",
		"Name: a\nNum Peaks: -1\n",
		"Name: a\nNum Peaks: 99999999999\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		ReadAll		all;

		read_all(bad[i], false, &all);
		CHECK_INT(all.n_records, 0);
		CHECK_INT(all.n_errors, 1);
		free_all(&all);
	}
}

UNIT_TEST(mgf_records_globals_and_charges)
{
	ReadAll		all;
	const SpectrumRecord *r;

	read_all("COM=run 7\nCHARGE=2+\n\nBEGIN IONS\nTITLE=t1\nPEPMASS=500.25 1200\n200 2 1+\n100\t1\nEND IONS\n"
			 "; comment\nBEGIN IONS\nNAME=n2\nTITLE=t2\nCHARGE=1-\nPEPMASS=NaN\nEND IONS\n", true, &all);
	CHECK_INT(all.n_records, 2);
	CHECK_INT(all.n_errors, 0);
	r = &all.records[0];
	CHECK(strcmp(r->name, "t1") == 0);	/* TITLE when there is no NAME */
	CHECK(r->has_precursor_mz);
	CHECK_NEAR(r->precursor_mz, 500.25, 0);
	CHECK(strcmp(field(r, "com"), "run 7") == 0);
	CHECK(strcmp(field(r, "charge"), "2+") == 0);	/* the global */
	CHECK_INT(r->n_peaks, 2);
	CHECK(r->peaks[0].mz == 100 && r->peaks[1].intensity == 2);
	r = &all.records[1];
	CHECK(strcmp(r->name, "n2") == 0);	/* NAME wins over TITLE */
	CHECK(!r->has_precursor_mz);
	CHECK(strcmp(field(r, "charge"), "1-") == 0);	/* its own value */
	CHECK_INT(r->n_fields, 5);	/* name, title, charge, pepmass, com */
	free_all(&all);
}

UNIT_TEST(mgf_errors_name_record_and_line_then_resume)
{
	ReadAll		all;

	read_all("junk\n"			/* line 1: outside a record */
			 "BEGIN IONS\nTITLE=a\n10 1 2 3 4\nEND IONS\n"	/* record 1: odd token count */
			 "BEGIN IONS\nTITLE=b\nBEGIN IONS\nTITLE=c\n30 3\nEND IONS\n"	/* record 2 unterminated */
			 "BEGIN IONS\nTITLE=d\nwhat\nEND IONS\n"	/* record 4: line 14 */
			 "BEGIN IONS\nTITLE=e\n", true, &all);	/* record 5 (line 16): no END IONS */
	CHECK_INT(all.n_records, 1);
	CHECK(strcmp(all.records[0].name, "c") == 0);
	CHECK_INT(all.records[0].ordinal, 3);
	CHECK_INT(all.n_errors, 5);
	CHECK_INT(all.errors[0].record, 0);
	CHECK_INT(all.errors[0].line, 1);
	CHECK_INT(all.errors[1].record, 1);
	CHECK_INT(all.errors[1].line, 4);
	CHECK_INT(all.errors[2].record, 2);
	CHECK_INT(all.errors[2].line, 8);
	CHECK_INT(all.errors[3].record, 4);
	CHECK_INT(all.errors[3].line, 14);
	CHECK_INT(all.errors[4].record, 5);
	CHECK_INT(all.errors[4].line, 16);
	free_all(&all);
}

UNIT_TEST(precursor_forms)
{
	const char *texts[] = {
		"BEGIN IONS\nPEPMASS=(401.5, 77)\nEND IONS\n",
		"Name: x\nPrecursor_MZ: 401.5\nNum Peaks: 0\n",
		"Name: x\nprecursor m/z: 401.5\nNum Peaks: 0\n",
		"Name: x\nPRECURSORMZ: 0\nPEPMASS: 401.5\nNum Peaks: 0\n",	/* 0 is unknown: next key */
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
	{
		ReadAll		all;

		read_all(texts[i], i == 0, &all);
		CHECK_INT(all.n_records, 1);
		CHECK(all.records[0].has_precursor_mz);
		CHECK_NEAR(all.records[0].precursor_mz, 401.5, 0);
		free_all(&all);
	}
}

UNIT_TEST(field_value_number_rule)
{
	CHECK(field_value_is_number("0"));
	CHECK(field_value_is_number("-12.5"));
	CHECK(field_value_is_number("123456789012345678901234567890"));
	CHECK(!field_value_is_number(""));
	CHECK(!field_value_is_number("007"));
	CHECK(!field_value_is_number("1."));
	CHECK(!field_value_is_number(".5"));
	CHECK(!field_value_is_number("+1"));
	CHECK(!field_value_is_number("1e3"));
	CHECK(!field_value_is_number("175,301"));
	CHECK(!field_value_is_number("1+"));
	CHECK(!field_value_is_number("NaN"));
	CHECK(field_key_is("Num_Peaks", "numpeaks"));
	CHECK(field_key_is("PRECURSOR M/Z", "precursormz"));
	CHECK(!field_key_is("precursor mz2", "precursormz"));
}
