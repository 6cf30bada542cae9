/*
 * Unit tests of the screening kernels (formula.c, adduct.c, isotope.c).
 * Expected values: hand calculation from the isotope masses of
 * element_isotope (caffeine 194.080376 and [M+H]+ 195.087652 as in issue 13),
 * and the binomial distribution for Cl2 (p = abundance of 35Cl).
 */
#include <math.h>
#include <string.h>

#include "adduct.h"
#include "element_table.h"
#include "isotope.h"
#include "kernel.h"
#include "unit.h"

static bool
parse(const char *text, Formula *f, FormulaError *e)
{
	return formula_parse(text, strlen(text), f, e);
}

static double
mono(const char *text)
{
	Formula		f;
	FormulaError e;

	CHECK(parse(text, &f, &e));
	return formula_monoisotopic_mass(&f);
}

static double
ion_mz(const char *formula, const char *adduct)
{
	Formula		m,
				ion;
	Adduct		a;
	FormulaError e;

	CHECK(parse(formula, &m, &e));
	CHECK(adduct_parse(adduct, strlen(adduct), &a, &e));
	CHECK(adduct_ion(&m, &a, &ion, &e));
	return formula_mz(&ion);
}

UNIT_TEST(screening_masses)
{
	CHECK_NEAR(mono("C8H10N4O2"), 194.080376, 5e-7);
	CHECK_NEAR(mono("O2N4C8H10"), 194.080376, 5e-7);
	CHECK_NEAR(mono("H2O"), 2 * 1.00782503227 + 15.99491461957, 1e-9);
	CHECK_NEAR(mono("Ca(OH)2"), mono("CaO2H2"), 1e-12);
	CHECK_NEAR(mono("K4[Fe(CN)6]"), mono("C6FeK4N6"), 1e-12);
	CHECK_NEAR(mono("CD3OD") - mono("CH4O"), 4 * (2.01410177819 - 1.00782503227), 1e-9);
	CHECK_NEAR(mono("[13C]2C4H12") - mono("C6H12"), 2 * 1.0033548352, 1e-9);
	CHECK_NEAR(mono("C5H14NO+"), mono("C5H14NO") - ELECTRON_MASS, 1e-12);
	CHECK_NEAR(mono("C2O4 2-"), mono("C2O4") + 2 * ELECTRON_MASS, 1e-12);
}

UNIT_TEST(screening_adducts)
{
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M+H]+"), 195.087652, 5e-7);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M-H]-"), 194.080376 - 1.00782503227 + ELECTRON_MASS, 5e-7);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M+2H]2+"), (194.080376 + 2 * (1.00782503227 - ELECTRON_MASS)) / 2, 5e-7);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[2M+Na]+"), 2 * 194.080376 + 22.989769282 - ELECTRON_MASS, 1e-6);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M-H2O+H]+"), ion_mz("C8H8N4O", "[M+H]+"), 1e-9);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M+HCOO]-"), ion_mz("C8H10N4O2", "[M+FA-H]-"), 1e-9);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M+CH3COO]-"), ion_mz("C8H10N4O2", "[M+Hac-H]-"), 1e-9);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M]+"), 194.080376 - ELECTRON_MASS, 5e-7);
	CHECK_NEAR(ion_mz("C8H10N4O2", "[M+H]++"), ion_mz("C8H10N4O2", "[M+H]2+"), 1e-12);
}

static void
check_error(const char *text, FormulaErrorKind kind, int position)
{
	Formula		f;
	FormulaError e;

	CHECK(!parse(text, &f, &e));
	CHECK_INT(e.kind, kind);
	CHECK_INT(e.position, position);
	CHECK(e.message[0] != '\0');
}

UNIT_TEST(screening_formula_errors)
{
	check_error("", FORMULA_ERR_SYNTAX, 1);
	check_error("C8H10Xx4", FORMULA_ERR_SYNTAX, 6);
	check_error("C8)", FORMULA_ERR_SYNTAX, 3);
	check_error("Ca(OH", FORMULA_ERR_SYNTAX, 3);
	check_error("[14C]", FORMULA_ERR_SYNTAX, 2);
	check_error("C8+H", FORMULA_ERR_SYNTAX, 4);
	check_error("C100000", FORMULA_ERR_LIMIT, 2);
	check_error("(C5000)3", FORMULA_ERR_LIMIT, 1);
}

UNIT_TEST(screening_adduct_errors)
{
	Formula		m,
				ion;
	Adduct		a;
	FormulaError e;

	CHECK(!adduct_parse("[M+H]", 5, &a, &e) && e.kind == FORMULA_ERR_SYNTAX && e.position == 6);
	CHECK(!adduct_parse("[M+Qq]+", 7, &a, &e) && e.kind == FORMULA_ERR_SYNTAX && e.position == 4);
	CHECK(adduct_parse("[M-2H2O+H]+", 11, &a, &e));
	CHECK(parse("H2O", &m, &e));
	CHECK(!adduct_ion(&m, &a, &ion, &e) && e.kind == FORMULA_ERR_VALUE);
}

UNIT_TEST(screening_hill)
{
	Formula		f;
	FormulaError e;
	char		buf[FORMULA_MAX_TEXT];

	CHECK(parse("OC(H)3[13C]D", &f, &e));
	formula_hill(&f, buf);
	CHECK(strcmp(buf, "C[13C]H3[2H]O") == 0);
	CHECK(parse("H2SO4", &f, &e));
	formula_hill(&f, buf);
	CHECK(strcmp(buf, "H2O4S") == 0);
	CHECK(parse("SO4--", &f, &e));
	formula_hill(&f, buf);
	CHECK(strcmp(buf, "O4S-2") == 0);
}

UNIT_TEST(screening_isotope_cl2)
{
	Formula		f;
	FormulaError e;
	Peak	   *p;
	int			n;
	int			cl = element_lookup("Cl", 2);
	const IsotopeInfo *c35 = &chem_isotopes[chem_elements[cl].first_isotope];
	const IsotopeInfo *c37 = c35 + 1;
	double		q = c35->abundance;

	CHECK(parse("Cl2", &f, &e));
	n = isotope_pattern(&f, 0, 0, &p);
	CHECK_INT(n, 3);
	CHECK_NEAR(p[0].intensity, q * q, 1e-15);
	CHECK_NEAR(p[1].intensity, 2 * q * (1 - q), 1e-15);
	CHECK_NEAR(p[2].intensity, (1 - q) * (1 - q), 1e-15);
	CHECK_NEAR(p[1].mz, c35->mass + c37->mass, 1e-9);
	kernel_free(p);
	/* min_intensity 0.11 drops the 37Cl2 peak ((1 - q)^2 / q^2 = 10.2 % of the base) */
	n = isotope_pattern(&f, 0, 0.11, &p);
	CHECK_INT(n, 2);
	kernel_free(p);
}

UNIT_TEST(screening_isotope_properties)
{
	Formula		f;
	FormulaError e;
	Peak	   *p;
	double		total = 0,
				mean = 0;
	int			n;

	CHECK(parse("C60H100N10O20S3Cl2Br", &f, &e));
	n = isotope_pattern(&f, 0.5, 0, &p);
	for (int i = 0; i < n; i++)
	{
		total += p[i].intensity;
		mean += p[i].intensity * p[i].mz;
		if (i > 0)
			CHECK(p[i].mz - p[i - 1].mz > 0.9);
	}
	CHECK_NEAR(total, 1, 1e-9);
	/* the mean mass of the distribution is the average mass */
	CHECK_NEAR(mean, formula_average_mass(&f), 1e-6);
	kernel_free(p);
}

UNIT_TEST(screening_isotope_score)
{
	Formula		f;
	FormulaError e;
	Peak	   *p;
	Peak		obs[8];
	int			n;

	CHECK(parse("C8H11N4O2+", &f, &e));
	n = isotope_pattern(&f, 0.5, 1e-4, &p);
	CHECK(n >= 3 && n <= 8);
	CHECK_NEAR(isotope_score(p, n, p, n, 5, 0.2), 1, 1e-12);
	memcpy(obs, p, sizeof(Peak) * n);
	for (int i = 0; i < n; i++)
		obs[i].mz *= 1 + 3e-6;	/* 3 ppm calibration error: M+1 is then 0.015 ppm off the shifted M */
	CHECK_NEAR(isotope_score(obs, n, p, n, 5, 0.2), 1, 1e-4);
	obs[1].intensity *= 1.2;	/* M+1 20 % high: 1 sigma, exp(-1/2) */
	CHECK(isotope_score(obs, n, p, n, 5, 0.2) < 0.7);
	CHECK(isotope_score(obs, n, p, n, 5, 0.2) > 0.6);
	CHECK_NEAR(isotope_score(obs, 1, p, n, 5, 0.2), 0, 1e-12);	/* only M */
	CHECK_NEAR(isotope_score(obs + 1, n - 1, p, n, 5, 0.2), 0, 1e-12);	/* no M */
	CHECK_NEAR(mass_error_ppm(100.0001, 100), 1, 1e-9);
	kernel_free(p);
}
