/*
 * formula.c: the formula parser, masses and Hill notation (formula.h).
 *
 * Grammar (white space allowed between groups):
 *   formula := group* charge?
 *   group   := (Element | "D" | "[" massnumber Element "]" | "(" group+ ")" | "[" group+ "]") count?
 *   charge  := ("+" | "-") digits? | "++"... | digits ("+" | "-")   (last)
 * Digits right after a group are its count, so "Ca2+" is Ca2 with charge 1+;
 * write "Ca+2" or "Ca 2+" for the doubly charged ion.
 */
#include "formula.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "element_table.h"

typedef struct Parser
{
	const char *s;
	size_t		len;
	size_t		pos;
	int			base;			/* added to 1-based positions in errors */
	FormulaError *error;
} Parser;

static bool fail(Parser *p, FormulaErrorKind kind, size_t at, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

static bool
fail(Parser *p, FormulaErrorKind kind, size_t at, const char *fmt,...)
{
	va_list		ap;

	p->error->kind = kind;
	p->error->position = p->base + (int) at + 1;
	va_start(ap, fmt);
	vsnprintf(p->error->message, sizeof(p->error->message), fmt, ap);
	va_end(ap);
	return false;
}

int
element_lookup(const char *symbol, size_t len)
{
	for (int i = 0; i < chem_nelements; i++)
		if (strlen(chem_elements[i].symbol) == len && memcmp(chem_elements[i].symbol, symbol, len) == 0)
			return i;
	return -1;
}

/* The isotope a term names, or NULL for the natural composition. */
static const IsotopeInfo *
term_isotope(int element, int mass_number)
{
	const ElementInfo *e = &chem_elements[element];

	for (int i = e->first_isotope; i < e->first_isotope + e->nisotopes; i++)
		if (chem_isotopes[i].mass_number == mass_number)
			return &chem_isotopes[i];
	return NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static void
skip_space(Parser *p)
{
	while (p->pos < p->len && is_space(p->s[p->pos]))
		p->pos++;
}

/* Digits at p->pos (at least one), capped at limit + 1 so nothing overflows. */
static long
read_number(Parser *p, long limit)
{
	long		v = 0;

	while (p->pos < p->len && is_digit(p->s[p->pos]))
	{
		v = v * 10 + (p->s[p->pos++] - '0');
		if (v > limit)
			v = limit + 1;
	}
	return v;
}

/* An optional count after a group: 1 when absent. */
static bool
parse_count(Parser *p, long *count)
{
	size_t		start = p->pos;

	*count = 1;
	if (p->pos >= p->len || !is_digit(p->s[p->pos]))
		return true;
	*count = read_number(p, FORMULA_MAX_ATOMS);
	if (*count > FORMULA_MAX_ATOMS)
		return fail(p, FORMULA_ERR_LIMIT, start, "count exceeds the limit of %d atoms", FORMULA_MAX_ATOMS);
	return true;
}

/* An element symbol at p->pos: index into chem_elements, or -1 (error set). */
static int
parse_element(Parser *p)
{
	size_t		start = p->pos;
	size_t		n = 1;
	int			e;

	if (p->pos >= p->len || !is_upper(p->s[p->pos]))
	{
		fail(p, FORMULA_ERR_SYNTAX, start, "expected an element symbol");
		return -1;
	}
	if (start + 1 < p->len && is_lower(p->s[start + 1]))
		n = 2;
	e = element_lookup(p->s + start, n);
	if (e < 0)
	{
		fail(p, FORMULA_ERR_SYNTAX, start, "unknown element \"%.*s\"", (int) n, p->s + start);
		return -1;
	}
	p->pos += n;
	return e;
}

static void
set_single(Formula *f, int element, int mass_number)
{
	f->nterms = 1;
	f->charge = 0;
	f->terms[0].element = (short) element;
	f->terms[0].mass_number = (short) mass_number;
	f->terms[0].count = 1;
}

/* "[13C]": an explicit isotope. */
static bool
parse_isotope(Parser *p, Formula *g)
{
	size_t		start = p->pos++;
	size_t		num = p->pos;
	long		a;
	int			e;

	a = read_number(p, 999);
	if ((e = parse_element(p)) < 0)
		return false;
	if (p->pos >= p->len || p->s[p->pos] != ']')
		return fail(p, FORMULA_ERR_SYNTAX, p->pos, "expected \"]\" to close the isotope opened at position %d",
					p->base + (int) start + 1);
	p->pos++;
	if (a > 999 || term_isotope(e, (int) a) == NULL)
		return fail(p, FORMULA_ERR_SYNTAX, num, "unknown isotope %.*s of %s (not in chemeco.element_isotope)",
					(int) (p->pos - start), p->s + start, chem_elements[e].symbol);
	set_single(g, e, (int) a);
	return true;
}

static bool parse_groups(Parser *p, Formula *f, int depth, bool allow_charge);

/* One group at p->pos (not a charge): element, isotope or parentheses. */
static bool
parse_group(Parser *p, Formula *g, int depth)
{
	size_t		start = p->pos;
	char		c = p->s[p->pos];

	if (c == '(' || (c == '[' && !(p->pos + 1 < p->len && is_digit(p->s[p->pos + 1]))))
	{
		char		close = c == '(' ? ')' : ']';

		if (depth >= FORMULA_MAX_DEPTH)
			return fail(p, FORMULA_ERR_LIMIT, start, "parentheses nested deeper than %d", FORMULA_MAX_DEPTH);
		p->pos++;
		if (!parse_groups(p, g, depth + 1, false))
			return false;
		if (p->pos >= p->len || p->s[p->pos] != close)
			return fail(p, FORMULA_ERR_SYNTAX, start, "unclosed \"%c\"", c);
		if (g->nterms == 0)
			return fail(p, FORMULA_ERR_SYNTAX, start, "parentheses without atoms");
		p->pos++;
		return true;
	}
	if (c == '[')
		return parse_isotope(p, g);
	if (c == 'D' && !(p->pos + 1 < p->len && is_lower(p->s[p->pos + 1])))
	{
		p->pos++;
		set_single(g, element_lookup("H", 1), 2);
		return true;
	}
	if (is_upper(c))
	{
		int			e = parse_element(p);

		if (e < 0)
			return false;
		set_single(g, e, 0);
		return true;
	}
	if (c == ')' || c == ']')
		return fail(p, FORMULA_ERR_SYNTAX, start, "unmatched \"%c\"", c);
	return fail(p, FORMULA_ERR_SYNTAX, start, "unexpected character \"%c\"", c);
}

bool
formula_parse_charge(const char *text, size_t len, size_t start, int *charge, FormulaError *error)
{
	Parser		p = {text, len, start, 0, error};
	long		n = 1;
	int			sign;

	skip_space(&p);
	start = p.pos;
	if (p.pos < len && is_digit(text[p.pos]))
		n = read_number(&p, FORMULA_MAX_CHARGE);
	if (p.pos >= len || (text[p.pos] != '+' && text[p.pos] != '-'))
		return fail(&p, FORMULA_ERR_SYNTAX, p.pos, "expected a charge such as \"+\", \"-\", \"2+\" or \"+2\"");
	sign = text[p.pos++] == '+' ? 1 : -1;
	if (p.pos == start + 1 && p.pos < len && is_digit(text[p.pos]))
		n = read_number(&p, FORMULA_MAX_CHARGE);
	else if (p.pos == start + 1)
		while (p.pos < len && text[p.pos] == text[start])
		{
			n++;
			p.pos++;
		}
	if (n == 0)
		return fail(&p, FORMULA_ERR_SYNTAX, start, "zero charge");
	if (n > FORMULA_MAX_CHARGE)
		return fail(&p, FORMULA_ERR_LIMIT, start, "charge exceeds the limit of %d", FORMULA_MAX_CHARGE);
	skip_space(&p);
	if (p.pos < len)
		return fail(&p, FORMULA_ERR_SYNTAX, p.pos, "unexpected \"%c\" after the charge (the charge comes last)",
					text[p.pos]);
	*charge = sign * (int) n;
	return true;
}

/* Groups until the end, a ")" (left for the caller) or a charge. */
static bool
parse_groups(Parser *p, Formula *f, int depth, bool allow_charge)
{
	memset(f, 0, offsetof(Formula, terms));
	for (;;)
	{
		Formula		g;
		size_t		start;
		long		count;
		char		c;

		skip_space(p);
		if (p->pos >= p->len)
			return true;
		start = p->pos;
		c = p->s[p->pos];
		if ((c == ')' || c == ']') && depth > 0)
			return true;
		if (allow_charge && depth == 0 && (c == '+' || c == '-' || is_digit(c)))
		{
			p->pos = p->len;
			return formula_parse_charge(p->s, p->len, start, &f->charge, p->error);
		}
		if (!parse_group(p, &g, depth) || !parse_count(p, &count))
			return false;
		if (!formula_add(f, &g, (int) count, p->error))
		{
			p->error->position = p->base + (int) start + 1;
			return false;
		}
	}
}

static bool
parse_text(const char *text, size_t len, int base, bool allow_charge, Formula *out, FormulaError *error)
{
	Parser		p = {text, len, 0, base, error};

	memset(error, 0, sizeof(*error));
	if (len > FORMULA_MAX_TEXT)
		return fail(&p, FORMULA_ERR_LIMIT, 0, "formula text longer than %d bytes", FORMULA_MAX_TEXT);
	if (!parse_groups(&p, out, 0, allow_charge))
		return false;
	if (out->nterms == 0)
	{
		size_t		at = 0;

		while (at < len && is_space(text[at]))
			at++;
		return fail(&p, FORMULA_ERR_SYNTAX, at, at < len ? "formula has no atoms" : "empty formula");
	}
	return true;
}

bool
formula_parse(const char *text, size_t len, Formula *out, FormulaError *error)
{
	return parse_text(text, len, 0, true, out, error);
}

bool
formula_parse_part(const char *text, size_t len, int base_position, Formula *out, FormulaError *error)
{
	return parse_text(text, len, base_position, false, out, error);
}

static int
term_cmp(int e1, int a1, int e2, int a2)
{
	return e1 != e2 ? e1 - e2 : a1 - a2;
}

bool
formula_add(Formula *dst, const Formula *src, int factor, FormulaError *error)
{
	long		total = 0;

	for (int k = 0; k < src->nterms; k++)
	{
		const FormulaTerm *t = &src->terms[k];
		long		count;
		int			i = 0;

		while (i < dst->nterms && term_cmp(dst->terms[i].element, dst->terms[i].mass_number,
										   t->element, t->mass_number) < 0)
			i++;
		if (i == dst->nterms || term_cmp(dst->terms[i].element, dst->terms[i].mass_number,
										 t->element, t->mass_number) != 0)
		{
			if (dst->nterms == FORMULA_MAX_TERMS)
			{
				error->kind = FORMULA_ERR_LIMIT;
				snprintf(error->message, sizeof(error->message), "more than %d distinct elements and isotopes",
						 FORMULA_MAX_TERMS);
				return false;
			}
			memmove(&dst->terms[i + 1], &dst->terms[i], sizeof(FormulaTerm) * (dst->nterms - i));
			dst->terms[i] = *t;
			dst->terms[i].count = 0;
			dst->nterms++;
		}
		count = dst->terms[i].count + (long) factor * t->count;
		if (labs(count) > FORMULA_MAX_ATOMS)
			count = FORMULA_MAX_ATOMS + 1;	/* reported below */
		dst->terms[i].count = (int) count;
		if (count == 0)
		{
			memmove(&dst->terms[i], &dst->terms[i + 1], sizeof(FormulaTerm) * (dst->nterms - i - 1));
			dst->nterms--;
		}
	}
	for (int i = 0; i < dst->nterms; i++)
		total += labs((long) dst->terms[i].count);
	if (total > FORMULA_MAX_ATOMS)
	{
		error->kind = FORMULA_ERR_LIMIT;
		snprintf(error->message, sizeof(error->message), "more than %d atoms", FORMULA_MAX_ATOMS);
		return false;
	}
	return true;
}

long
formula_atoms(const Formula *f)
{
	long		n = 0;

	for (int i = 0; i < f->nterms; i++)
		n += f->terms[i].count;
	return n;
}

bool
formula_nonnegative(const Formula *f)
{
	for (int i = 0; i < f->nterms; i++)
		if (f->terms[i].count < 0)
			return false;
	return true;
}

double
formula_term_mass(const FormulaTerm *t, bool monoisotopic)
{
	const ElementInfo *e = &chem_elements[t->element];

	if (t->mass_number != 0)
		return term_isotope(t->element, t->mass_number)->mass;
	return monoisotopic ? chem_isotopes[e->mono].mass : e->average_mass;
}

static double
formula_mass(const Formula *f, bool monoisotopic)
{
	double		m = 0;

	for (int i = 0; i < f->nterms; i++)
		m += f->terms[i].count * formula_term_mass(&f->terms[i], monoisotopic);
	return m - f->charge * ELECTRON_MASS;
}

double
formula_monoisotopic_mass(const Formula *f)
{
	return formula_mass(f, true);
}

double
formula_average_mass(const Formula *f)
{
	return formula_mass(f, false);
}

/* Hill rank: 0 for carbon, 1 for hydrogen (when there is carbon), else 2. */
static int
hill_rank(const FormulaTerm *t, bool carbon)
{
	const char *s = chem_elements[t->element].symbol;

	if (carbon && strcmp(s, "C") == 0)
		return 0;
	if (carbon && strcmp(s, "H") == 0)
		return 1;
	return 2;
}

int
formula_hill_order(const Formula *f, int *order)
{
	bool		carbon = false;

	for (int i = 0; i < f->nterms; i++)
		carbon |= strcmp(chem_elements[f->terms[i].element].symbol, "C") == 0;
	/* insertion sort: at most FORMULA_MAX_TERMS terms */
	for (int i = 0; i < f->nterms; i++)
	{
		const FormulaTerm *t = &f->terms[i];
		int			j = i;

		while (j > 0)
		{
			const FormulaTerm *u = &f->terms[order[j - 1]];
			int			rt = hill_rank(t, carbon),
						ru = hill_rank(u, carbon);
			int			c = rt != ru ? rt - ru : strcmp(chem_elements[t->element].symbol,
													 chem_elements[u->element].symbol);

			if (c > 0 || (c == 0 && t->mass_number >= u->mass_number))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return f->nterms;
}

void
formula_term_symbol(const FormulaTerm *t, char *buf)
{
	const char *s = chem_elements[t->element].symbol;

	if (t->mass_number == 0)
		snprintf(buf, 16, "%s", s);
	else
		snprintf(buf, 16, "[%d%s]", t->mass_number, s);
}

int
formula_hill(const Formula *f, char *buf)
{
	int			order[FORMULA_MAX_TERMS];
	int			n = formula_hill_order(f, order);
	int			len = 0;

	buf[0] = '\0';
	for (int k = 0; k < n; k++)
	{
		const FormulaTerm *t = &f->terms[order[k]];
		char		sym[16];

		if (t->count == 0)
			continue;
		formula_term_symbol(t, sym);
		len += snprintf(buf + len, FORMULA_MAX_TEXT - len, t->count == 1 ? "%s" : "%s%d", sym, t->count);
	}
	if (f->charge != 0)
		len += snprintf(buf + len, FORMULA_MAX_TEXT - len, abs(f->charge) == 1 ? "%c" : "%c%d",
						f->charge > 0 ? '+' : '-', abs(f->charge));
	return len;
}
