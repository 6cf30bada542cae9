/*
 * prep.h: data preparation rules of EPA PMF 5.0 (user guide, section 4):
 * uncertainty from the method detection limit, signal-to-noise, categories.
 */
#ifndef CHEMECO_PMF_PREP_H
#define CHEMECO_PMF_PREP_H

/* Species below this S/N are 'bad' (excluded), below PMF_SN_STRONG 'weak'. */
#define PMF_SN_WEAK		0.5
#define PMF_SN_STRONG	1.0

/* Weak species have their uncertainty multiplied by this in the fit. */
#define PMF_WEAK_FACTOR 3.0

typedef enum PmfCategory
{
	PMF_STRONG,
	PMF_WEAK,
	PMF_BAD
} PmfCategory;

/* conc <= mdl: 5/6 mdl; else sqrt((error_fraction conc)^2 + (mdl/2)^2). */
extern double pmf_uncertainty(double conc, double mdl, double error_fraction);

/* One sample's term of the PMF 5.0 S/N: (conc - unc)/unc when conc > unc, else 0. */
extern double pmf_signal_to_noise_term(double conc, double unc);

extern PmfCategory pmf_category_of(double signal_to_noise);
extern const char *pmf_category_name(PmfCategory category);

/* Parses 'strong', 'weak', 'bad' (any case); returns -1 for anything else. */
extern int	pmf_category_parse(const char *name);

#endif
