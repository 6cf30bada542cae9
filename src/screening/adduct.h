/*
 * adduct.h: ion notation ("[M+H]+", "[2M+Na]+", "[M-H2O+H]+", "[M+2H]2+",
 * "[M+CH3COO]-", "[M]+") applied to formulas.
 *
 * API: adduct_parse() reads the notation into an Adduct: the multimer count
 * n of [nM...], the atoms added minus removed (a Formula whose counts may be
 * negative) and the ion's signed charge (from the suffix after "]": "+",
 * "2-", "+2", "++").  Parts are formulas (with parentheses and isotopes) or
 * the abbreviations ACN, DMSO, EtOH, FA, Hac, IsoProp, MeOH and TFA, each
 * with an optional multiplier ("+2Na").  adduct_ion() builds the ion
 * n*M + delta with the adduct's charge (the formula's own charge is not
 * used) and fails with FORMULA_ERR_VALUE when a count would be negative.
 * formula_mz() is the monoisotopic mass (electrons included through the
 * charge) divided by |charge|, the plain mass for a neutral formula.
 */
#ifndef CHEMECO_ADDUCT_H
#define CHEMECO_ADDUCT_H

#include <stdbool.h>
#include <stddef.h>

#include "formula.h"

#define ADDUCT_MAX_MULTIMER 10

typedef struct Adduct
{
	int			multimer;		/* n in [nM...], 1..ADDUCT_MAX_MULTIMER */
	int			charge;			/* signed, never 0 */
	Formula		delta;			/* added minus removed atoms; delta.charge unused */
} Adduct;

extern bool adduct_parse(const char *text, size_t len, Adduct *out, FormulaError *error);

extern bool adduct_ion(const Formula *m, const Adduct *adduct, Formula *ion, FormulaError *error);

extern double formula_mz(const Formula *ion);

#endif
