/*
 * pg_formula.c: formula_mass, formula_hill, formula_elements, adduct_mz and
 * adduct_charge; the parsing and arithmetic are formula.c and adduct.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "pg_compat.h"
#include "pg_screening.h"

PG_FUNCTION_INFO_V1(formula_mass_sql);
PG_FUNCTION_INFO_V1(formula_hill_sql);
PG_FUNCTION_INFO_V1(formula_elements_sql);
PG_FUNCTION_INFO_V1(adduct_mz_sql);
PG_FUNCTION_INFO_V1(adduct_charge_sql);

/* The text for a message: at most 64 characters. */
static char *
shown(text *value)
{
	char	   *s = text_to_cstring(value);

	return strlen(s) <= 64 ? s : psprintf("%.*s...", pg_mbcliplen(s, strlen(s), 61), s);
}

static void
report(const FormulaError *error, const char *what, text *value)
{
	int			code = error->kind == FORMULA_ERR_LIMIT ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
		error->kind == FORMULA_ERR_VALUE ? ERRCODE_INVALID_PARAMETER_VALUE :
		ERRCODE_INVALID_TEXT_REPRESENTATION;

	if (error->position > 0)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s \"%s\": %s at character %d", what, shown(value),
						error->message, error->position),
				 error->kind != FORMULA_ERR_SYNTAX ? 0 : errhint("Formulas look like \"C8H10N4O2\", \"Ca(OH)2\", \"[13C]2C4H12\" or \"C5H14NO+\"; "
						 "adducts like \"[M+H]+\", \"[2M+Na]+\" or \"[M-H2O+H]+\".")));
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid %s \"%s\": %s", what, shown(value), error->message)));
}

void
screening_formula(text *formula, Formula *out)
{
	FormulaError error;

	if (!formula_parse(VARDATA_ANY(formula), VARSIZE_ANY_EXHDR(formula), out, &error))
		report(&error, "formula", formula);
}

void
screening_adduct(text *adduct, Adduct *out)
{
	FormulaError error;

	if (!adduct_parse(VARDATA_ANY(adduct), VARSIZE_ANY_EXHDR(adduct), out, &error))
		report(&error, "adduct", adduct);
}

void
screening_ion(text *formula, text *adduct, Formula *ion)
{
	Formula		m;
	Adduct		a;
	FormulaError error;

	screening_formula(formula, &m);
	screening_adduct(adduct, &a);
	if (!adduct_ion(&m, &a, ion, &error))
		ereport(ERROR,
				(errcode(error.kind == FORMULA_ERR_LIMIT ? ERRCODE_PROGRAM_LIMIT_EXCEEDED :
						 ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("adduct \"%s\" cannot apply to formula \"%s\": %s", shown(adduct),
						shown(formula), error.message)));
}

/* formula_mass(formula text, monoisotopic boolean) */
Datum
formula_mass_sql(PG_FUNCTION_ARGS)
{
	Formula		f;

	screening_formula(PG_GETARG_TEXT_PP(0), &f);
	PG_RETURN_FLOAT8(PG_GETARG_BOOL(1) ? formula_monoisotopic_mass(&f) : formula_average_mass(&f));
}

/* formula_hill(formula text) */
Datum
formula_hill_sql(PG_FUNCTION_ARGS)
{
	Formula		f;
	char	   *buf = palloc(FORMULA_MAX_TEXT);

	screening_formula(PG_GETARG_TEXT_PP(0), &f);
	formula_hill(&f, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}

/* formula_elements(formula text): {"C": 8, "H": 10, "[13C]": 2, ...} in Hill order */
Datum
formula_elements_sql(PG_FUNCTION_ARGS)
{
	Formula		f;
	int			order[FORMULA_MAX_TERMS];
	int			n;
	StringInfoData json;

	screening_formula(PG_GETARG_TEXT_PP(0), &f);
	n = formula_hill_order(&f, order);
	initStringInfo(&json);
	appendStringInfoChar(&json, '{');
	for (int k = 0; k < n; k++)
	{
		char		sym[16];

		formula_term_symbol(&f.terms[order[k]], sym);
		appendStringInfo(&json, "%s\"%s\": %d", k > 0 ? ", " : "", sym, f.terms[order[k]].count);
	}
	appendStringInfoChar(&json, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data)));
}

/* adduct_mz(formula text, adduct text) */
Datum
adduct_mz_sql(PG_FUNCTION_ARGS)
{
	Formula		ion;

	screening_ion(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1), &ion);
	PG_RETURN_FLOAT8(formula_mz(&ion));
}

/* adduct_charge(adduct text) */
Datum
adduct_charge_sql(PG_FUNCTION_ARGS)
{
	Adduct		a;

	screening_adduct(PG_GETARG_TEXT_PP(0), &a);
	PG_RETURN_INT32(a.charge);
}
