/*
 * pg_screening.h: formula and adduct text to kernel values, with the
 * errors as SQLSTATEs (PostgreSQL glue of src/screening).
 */
#ifndef CHEMECO_PG_SCREENING_H
#define CHEMECO_PG_SCREENING_H

#include "postgres.h"

#include "adduct.h"

/* ERROR (22P02 malformed, 54000 too large) unless the text parses. */
extern void screening_formula(text *formula, Formula *out);
extern void screening_adduct(text *adduct, Adduct *out);

/* The ion of a formula under an adduct (22023 when impossible). */
extern void screening_ion(text *formula, text *adduct, Formula *ion);

#endif
