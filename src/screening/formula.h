/*
 * formula.h: molecular formulas as element counts, and their masses.
 *
 * API: formula_parse() reads formula text ("C8H10N4O2", "Ca(OH)2",
 * "[13C]2C4H12", "CD3OD", "C5H14NO+", "C2O4 2-") into a Formula: terms
 * (element, mass number; mass number 0 means the natural isotopic
 * composition) sorted by element then mass number, with the counts summed,
 * and a signed charge.  On failure it returns false and fills a
 * FormulaError with a kind (syntax or size limit), the 1-based position of
 * the offending character and a message.  formula_monoisotopic_mass() uses
 * each element's most abundant isotope, formula_average_mass() the natural
 * composition; both subtract charge * ELECTRON_MASS.  formula_hill() writes
 * the Hill-ordered canonical text (which formula_parse() reads back) and
 * formula_hill_order()/formula_term_symbol() give the same order and labels
 * term by term (e.g. for JSON).  formula_add() adds factor * src to dst (the
 * adduct arithmetic).  No allocation: a Formula is a fixed-size value.
 */
#ifndef CHEMECO_FORMULA_H
#define CHEMECO_FORMULA_H

#include <stdbool.h>
#include <stddef.h>

/* Limits: more atoms, distinct terms, nesting or text is a FORMULA_ERR_LIMIT. */
#define FORMULA_MAX_ATOMS 10000		/* total atoms, and any single count */
#define FORMULA_MAX_TERMS 128
#define FORMULA_MAX_DEPTH 16		/* nested parentheses */
#define FORMULA_MAX_CHARGE 100
#define FORMULA_MAX_TEXT 4096		/* input bytes; also bounds formula_hill() */

typedef struct FormulaTerm
{
	short		element;		/* index into chem_elements */
	short		mass_number;	/* 0: natural composition; else that isotope */
	int			count;			/* may be negative only in adduct deltas */
} FormulaTerm;

typedef struct Formula
{
	int			nterms;
	int			charge;
	FormulaTerm terms[FORMULA_MAX_TERMS];
} Formula;

typedef enum FormulaErrorKind
{
	FORMULA_ERR_NONE = 0,
	FORMULA_ERR_SYNTAX,			/* malformed text, unknown element or isotope: 22P02 */
	FORMULA_ERR_LIMIT,			/* over a FORMULA_MAX_* limit: 54000 */
	FORMULA_ERR_VALUE			/* well-formed but impossible (negative counts, no charge): 22023 */
} FormulaErrorKind;

typedef struct FormulaError
{
	FormulaErrorKind kind;
	int			position;		/* 1-based byte offset of the offending character, 0 if none */
	char		message[160];
} FormulaError;

/* Parse len bytes of text.  Leading/trailing white space is ignored. */
extern bool formula_parse(const char *text, size_t len, Formula *out, FormulaError *error);

/* Parse a formula embedded in other text (the adduct parser): positions in
 * errors are offset by base_position; no charge suffix is accepted. */
extern bool formula_parse_part(const char *text, size_t len, int base_position,
							   Formula *out, FormulaError *error);

/* The charge suffix text[start, len) (white space around it allowed):
 * "+", "-", "2+", "+2", "++"; nothing may follow.  Error positions are
 * 1-based offsets into text. */
extern bool formula_parse_charge(const char *text, size_t len, size_t start, int *charge,
								 FormulaError *error);

/* dst += factor * src (counts may become negative; the charge is untouched).
 * False with a FORMULA_ERR_LIMIT error when a count or the term count would
 * exceed the limits. */
extern bool formula_add(Formula *dst, const Formula *src, int factor, FormulaError *error);

/* Total number of atoms (sum of counts). */
extern long formula_atoms(const Formula *f);

/* True when no count is negative. */
extern bool formula_nonnegative(const Formula *f);

/* One atom of a term: the isotope's mass, or for the natural composition the
 * most abundant isotope's (monoisotopic) or the average mass. */
extern double formula_term_mass(const FormulaTerm *t, bool monoisotopic);

extern double formula_monoisotopic_mass(const Formula *f);
extern double formula_average_mass(const Formula *f);

/* Term indices in Hill order (C, H then alphabetical when there is carbon,
 * else alphabetical; natural composition before explicit isotopes); returns
 * the number written to order (f->nterms; terms with count 0 included). */
extern int	formula_hill_order(const Formula *f, int *order);

/* A term's label: "C" or "[13C]" (deuterium is "[2H]").  buf >= 16 bytes. */
extern void formula_term_symbol(const FormulaTerm *t, char *buf);

/* Hill-ordered text, counts of 1 omitted, zero counts skipped, charge as
 * "+", "-", "+2", ...  Returns the length; buf must hold FORMULA_MAX_TEXT. */
extern int	formula_hill(const Formula *f, char *buf);

/* Index of an element symbol in chem_elements, or -1. */
extern int	element_lookup(const char *symbol, size_t len);

#endif
