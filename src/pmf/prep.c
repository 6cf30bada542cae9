/*
 * prep.c: EPA PMF 5.0 data-preparation rules.
 */
#include "prep.h"

#include <math.h>
#include <strings.h>

double
pmf_uncertainty(double conc, double mdl, double error_fraction)
{
	double		scaled;

	if (conc <= mdl)
		return 5.0 / 6.0 * mdl;
	scaled = error_fraction * conc;
	return sqrt(scaled * scaled + 0.25 * mdl * mdl);
}

double
pmf_signal_to_noise_term(double conc, double unc)
{
	return conc > unc ? (conc - unc) / unc : 0.0;
}

PmfCategory
pmf_category_of(double signal_to_noise)
{
	if (signal_to_noise < PMF_SN_WEAK)
		return PMF_BAD;
	if (signal_to_noise < PMF_SN_STRONG)
		return PMF_WEAK;
	return PMF_STRONG;
}

static const char *const category_names[] = {"strong", "weak", "bad"};

const char *
pmf_category_name(PmfCategory category)
{
	return category_names[category];
}

int
pmf_category_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcasecmp(name, category_names[i]) == 0)
			return i;
	return -1;
}
