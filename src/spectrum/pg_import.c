/*
 * pg_import.c: chemeco.read_msp() and chemeco.read_mgf(), set-returning
 * functions turning a spectral library file's text into rows.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "mgf.h"
#include "msp.h"
#include "pg_spectrum.h"

PG_FUNCTION_INFO_V1(spectrum_read_msp);
PG_FUNCTION_INFO_V1(spectrum_read_mgf);

/* Records between progress NOTICEs. */
#define IMPORT_PROGRESS_INTERVAL 100000

typedef enum LibraryFormat
{
	LIBRARY_MSP,
	LIBRARY_MGF
} LibraryFormat;

typedef struct LibraryReader
{
	LibraryFormat format;
	MspReader	msp;
	MgfReader	mgf;
} LibraryReader;

static const char *
format_name(LibraryFormat format)
{
	return format == LIBRARY_MSP ? "MSP" : "MGF";
}

static SpectrumReadStatus
read_next(LibraryReader *reader, SpectrumRecord *record, SpectrumReadError *error)
{
	if (reader->format == LIBRARY_MSP)
		return msp_read_next(&reader->msp, record, error);
	return mgf_read_next(&reader->mgf, record, error);
}

typedef struct FieldRef
{
	const SpectrumField *field;
	int			position;
} FieldRef;

/* By key, then by position in the record, so repeated keys keep file order. */
static int
compare_field_refs(const void *a, const void *b)
{
	const FieldRef *x = a;
	const FieldRef *y = b;
	int			c = strcmp(x->field->key, y->field->key);

	if (c != 0)
		return c;
	return (x->position > y->position) - (x->position < y->position);
}

static void
append_json_value(StringInfo buf, const char *value)
{
	if (field_value_is_number(value))
		appendStringInfoString(buf, value);
	else
		escape_json(buf, value);
}

/*
 * The header fields as a jsonb object: plain decimal numbers become JSON
 * numbers, everything else strings; a key given more than once maps to the
 * array of its values in file order.
 */
static Datum
metadata_jsonb(const SpectrumRecord *record)
{
	FieldRef   *refs = palloc(sizeof(FieldRef) * (record->n_fields > 0 ? record->n_fields : 1));
	StringInfoData buf;

	for (int i = 0; i < record->n_fields; i++)
	{
		refs[i].field = &record->fields[i];
		refs[i].position = i;
	}
	qsort(refs, record->n_fields, sizeof(FieldRef), compare_field_refs);
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < record->n_fields;)
	{
		int			group_end = i + 1;

		while (group_end < record->n_fields &&
			   strcmp(refs[group_end].field->key, refs[i].field->key) == 0)
			group_end++;
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		escape_json(&buf, refs[i].field->key);
		appendStringInfoChar(&buf, ':');
		if (group_end - i == 1)
			append_json_value(&buf, refs[i].field->value);
		else
		{
			appendStringInfoChar(&buf, '[');
			for (int j = i; j < group_end; j++)
			{
				if (j > i)
					appendStringInfoChar(&buf, ',');
				append_json_value(&buf, refs[j].field->value);
			}
			appendStringInfoChar(&buf, ']');
		}
		i = group_end;
	}
	appendStringInfoChar(&buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}

static void
report_bad_record(LibraryFormat format, const SpectrumReadError *error, bool skip)
{
	if (error->record > 0)
		ereport(skip ? WARNING : ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s record %d at line %d: %s",
						format_name(format), error->record, error->line, error->message),
				 skip ? errdetail("The record was skipped.") :
				 errhint("Fix the record, or pass on_error => 'skip' to skip malformed records with a warning.")));
	else
		ereport(skip ? WARNING : ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s input at line %d, between records: %s",
						format_name(format), error->line, error->message),
				 skip ? errdetail("The line was skipped.") :
				 errhint("Fix the line, or pass on_error => 'skip' to skip malformed input with a warning.")));
}

static Datum
read_library(FunctionCallInfo fcinfo, LibraryFormat format)
{
	text	   *content = PG_GETARG_TEXT_PP(0);
	char	   *on_error = text_to_cstring(PG_GETARG_TEXT_PP(1));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LibraryReader reader;
	MemoryContext row_context;
	bool		skip;
	int			rows = 0;

	if (strcmp(on_error, "error") == 0)
		skip = false;
	else if (strcmp(on_error, "skip") == 0)
		skip = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("on_error must be 'error' or 'skip', not '%s'", on_error)));

	InitMaterializedSRF(fcinfo, 0);
	row_context = AllocSetContextCreate(CurrentMemoryContext, "chemeco import row",
										ALLOCSET_DEFAULT_SIZES);
	reader.format = format;
	if (format == LIBRARY_MSP)
		msp_reader_init(&reader.msp, VARDATA_ANY(content), VARSIZE_ANY_EXHDR(content));
	else
		mgf_reader_init(&reader.mgf, VARDATA_ANY(content), VARSIZE_ANY_EXHDR(content));

	for (;;)
	{
		SpectrumRecord record;
		SpectrumReadError error;
		SpectrumReadStatus status = read_next(&reader, &record, &error);
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		MemoryContext old_context;

		if (status == SPECTRUM_READ_END)
			break;
		if (status == SPECTRUM_READ_ERROR)
		{
			report_bad_record(format, &error, skip);
			continue;
		}
		old_context = MemoryContextSwitchTo(row_context);
		values[0] = Int32GetDatum(record.ordinal);
		if (record.name != NULL)
			values[1] = CStringGetTextDatum(record.name);
		else
			nulls[1] = true;
		values[2] = Float8GetDatum(record.precursor_mz);
		nulls[2] = !record.has_precursor_mz;
		values[3] = metadata_jsonb(&record);
		values[4] = PointerGetDatum(spectrum_from_sorted_peaks(record.peaks, record.n_peaks));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		MemoryContextSwitchTo(old_context);
		MemoryContextReset(row_context);
		spectrum_record_free(&record);
		if (++rows % IMPORT_PROGRESS_INTERVAL == 0)
			ereport(NOTICE,
					(errmsg("read_%s: %d spectra read", format == LIBRARY_MSP ? "msp" : "mgf", rows)));
	}
	if (format == LIBRARY_MSP)
		msp_reader_free(&reader.msp);
	else
		mgf_reader_free(&reader.mgf);
	MemoryContextDelete(row_context);
	return (Datum) 0;
}

Datum
spectrum_read_msp(PG_FUNCTION_ARGS)
{
	return read_library(fcinfo, LIBRARY_MSP);
}

Datum
spectrum_read_mgf(PG_FUNCTION_ARGS)
{
	return read_library(fcinfo, LIBRARY_MGF);
}
