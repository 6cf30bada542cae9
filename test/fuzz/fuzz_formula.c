/*
 * fuzz_formula.c: libFuzzer target for the formula and adduct parsers
 * (formula.c, adduct.c) and, on small ions, isotope_pattern.  Input:
 * "formula\nadduct" (the adduct part optional).  Checks: a rejection
 * carries a kind, a position inside the text and a message; an accepted
 * formula has finite masses, its Hill text parses back to the same terms and
 * charge; an ion's pattern is sorted with intensities summing to at most 1.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adduct.h"
#include "isotope.h"
#include "kernel.h"

static void
check_error(const FormulaError *e, size_t len)
{
	if (e->kind == FORMULA_ERR_NONE || e->position < 0 || (size_t) e->position > len + 1 || e->message[0] == '\0')
		abort();
}

static void
check_pattern(const Formula *ion)
{
	Peak	   *p = NULL;
	double		total = 0;
	int			n;

	if (formula_atoms(ion) > 300)
		return;
	n = isotope_pattern(ion, 0.005, 1e-4, &p);
	if (n < 0)
	{
		if (p != NULL)
			abort();
		return;
	}
	for (int i = 0; i < n; i++)
	{
		if (!isfinite(p[i].mz) || !(p[i].intensity >= 0) || (i > 0 && p[i].mz < p[i - 1].mz))
			abort();
		total += p[i].intensity;
	}
	if (n < 1 || total > 1 + 1e-9)
		abort();
	kernel_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	const char *nl = memchr(text, '\n', size);
	size_t		flen = nl ? (size_t) (nl - text) : size;
	Formula		f,
				back,
				ion;
	Adduct		a;
	FormulaError e;
	char		hill[FORMULA_MAX_TEXT];

	if (!formula_parse(text, flen, &f, &e))
	{
		check_error(&e, flen);
		return 0;
	}
	if (!isfinite(formula_monoisotopic_mass(&f)) || !isfinite(formula_average_mass(&f)) || !formula_nonnegative(&f))
		abort();
	if (!formula_parse(hill, formula_hill(&f, hill), &back, &e) ||
		back.nterms != f.nterms || back.charge != f.charge ||
		memcmp(back.terms, f.terms, sizeof(FormulaTerm) * f.nterms) != 0)
		abort();
	if (nl == NULL)
		return 0;
	if (!adduct_parse(nl + 1, size - flen - 1, &a, &e))
	{
		check_error(&e, size - flen - 1);
		return 0;
	}
	if (a.charge == 0 || a.multimer < 1)
		abort();
	if (!adduct_ion(&f, &a, &ion, &e))
	{
		if (e.kind == FORMULA_ERR_NONE)
			abort();
		return 0;
	}
	if (!formula_nonnegative(&ion) || !isfinite(formula_mz(&ion)))
		abort();
	check_pattern(&ion);
	return 0;
}
