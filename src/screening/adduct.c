/*
 * adduct.c: adduct notation (adduct.h).
 *
 * Grammar (white space allowed around tokens):
 *   adduct := "[" digits? "M" (("+" | "-") digits? part)* "]" charge
 *   part   := abbreviation | formula without charge
 *   charge := digits? ("+" | "-") | ("+" | "-") digits | "++"... | "--"...
 */
#include "adduct.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Abbreviation
{
	const char *name;
	const char *formula;
} Abbreviation;

/* Solvent and modifier abbreviations of the MS-DIAL and MZmine adduct lists. */
static const Abbreviation abbreviations[] = {
	{"ACN", "C2H3N"}, {"DMSO", "C2H6OS"}, {"EtOH", "C2H6O"}, {"FA", "CH2O2"},
	{"Hac", "C2H4O2"}, {"IsoProp", "C3H8O"}, {"MeOH", "CH4O"}, {"TFA", "C2HF3O2"},
};

static bool
adduct_fail(FormulaError *error, FormulaErrorKind kind, size_t at, const char *message)
{
	error->kind = kind;
	error->position = (int) at + 1;
	snprintf(error->message, sizeof(error->message), "%s", message);
	return false;
}

static size_t
skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Digits at s[*i]: their value capped at limit + 1, or `absent` when none. */
static long
read_number(const char *s, size_t len, size_t *i, long absent, long limit)
{
	long		v = 0;

	if (*i >= len || s[*i] < '0' || s[*i] > '9')
		return absent;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9')
	{
		v = v * 10 + (s[(*i)++] - '0');
		if (v > limit)
			v = limit + 1;
	}
	return v;
}

/* One part s[start, end): an abbreviation or a formula. */
static bool
parse_part(const char *s, size_t start, size_t end, Formula *part, FormulaError *error)
{
	while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	for (size_t k = 0; k < sizeof(abbreviations) / sizeof(abbreviations[0]); k++)
		if (strlen(abbreviations[k].name) == end - start &&
			memcmp(abbreviations[k].name, s + start, end - start) == 0)
			return formula_parse(abbreviations[k].formula, strlen(abbreviations[k].formula), part, error);
	if (end == start)
		return adduct_fail(error, FORMULA_ERR_SYNTAX, start, "expected a formula after the sign");
	return formula_parse_part(s + start, end - start, (int) start, part, error);
}

bool
adduct_parse(const char *s, size_t len, Adduct *out, FormulaError *error)
{
	size_t		i = skip_space(s, len, 0);

	memset(error, 0, sizeof(*error));
	memset(out, 0, offsetof(Adduct, delta) + offsetof(Formula, terms));
	if (len > FORMULA_MAX_TEXT)
		return adduct_fail(error, FORMULA_ERR_LIMIT, 0, "adduct text too long");
	if (i >= len)
		return adduct_fail(error, FORMULA_ERR_SYNTAX, i, "empty adduct");
	if (s[i] != '[')
		return adduct_fail(error, FORMULA_ERR_SYNTAX, i, "an adduct starts with \"[\", as in \"[M+H]+\"");
	i = skip_space(s, len, i + 1);
	out->multimer = (int) read_number(s, len, &i, 1, ADDUCT_MAX_MULTIMER);
	if (out->multimer < 1 || out->multimer > ADDUCT_MAX_MULTIMER)
		return adduct_fail(error, out->multimer < 1 ? FORMULA_ERR_SYNTAX : FORMULA_ERR_LIMIT, i - 1,
						   "the multimer count must be between 1 and 10");
	if (i >= len || s[i] != 'M')
		return adduct_fail(error, FORMULA_ERR_SYNTAX, i, "expected \"M\"");
	i = skip_space(s, len, i + 1);
	while (i < len && (s[i] == '+' || s[i] == '-'))
	{
		int			sign = s[i] == '+' ? 1 : -1;
		size_t		end;
		int			depth = 0;
		long		times;
		Formula		part;

		i = skip_space(s, len, i + 1);
		times = read_number(s, len, &i, 1, FORMULA_MAX_ATOMS);
		if (times < 1 || times > FORMULA_MAX_ATOMS)
			return adduct_fail(error, times < 1 ? FORMULA_ERR_SYNTAX : FORMULA_ERR_LIMIT, i - 1,
							   "a part's multiplier must be between 1 and 10000");
		for (end = i; end < len; end++)
		{
			if (s[end] == '(' || s[end] == '[')
				depth++;
			else if ((s[end] == ')' || s[end] == ']') && depth > 0)
				depth--;
			else if (depth == 0 && (s[end] == '+' || s[end] == '-' || s[end] == ']'))
				break;
		}
		if (!parse_part(s, i, end, &part, error))
			return false;
		if (!formula_add(&out->delta, &part, sign * (int) times, error))
		{
			error->position = (int) i + 1;
			return false;
		}
		i = end;
	}
	if (i >= len || s[i] != ']')
		return adduct_fail(error, FORMULA_ERR_SYNTAX, i, "expected \"+\", \"-\" or \"]\"");
	return formula_parse_charge(s, len, i + 1, &out->charge, error);
}

bool
adduct_ion(const Formula *m, const Adduct *adduct, Formula *ion, FormulaError *error)
{
	memset(error, 0, sizeof(*error));
	*ion = adduct->delta;
	ion->charge = adduct->charge;
	if (!formula_add(ion, m, adduct->multimer, error))
		return false;
	for (int i = 0; i < ion->nterms; i++)
		if (ion->terms[i].count < 0)
		{
			char		sym[16];

			formula_term_symbol(&ion->terms[i], sym);
			error->kind = FORMULA_ERR_VALUE;
			snprintf(error->message, sizeof(error->message),
					 "the adduct removes %d more %s than the formula has", -ion->terms[i].count, sym);
			return false;
		}
	if (ion->nterms == 0)
	{
		error->kind = FORMULA_ERR_VALUE;
		snprintf(error->message, sizeof(error->message), "the ion has no atoms");
		return false;
	}
	return true;
}

double
formula_mz(const Formula *ion)
{
	double		m = formula_monoisotopic_mass(ion);

	return ion->charge == 0 ? m : m / abs(ion->charge);
}
