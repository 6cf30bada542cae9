-- ------------------------------------------------------------------
-- Screening chemistry: formulas, adducts, isotope patterns
-- (src/screening/; docs/reference/screening.md)
-- ------------------------------------------------------------------
CREATE FUNCTION formula_mass(formula text, monoisotopic boolean DEFAULT true) RETURNS float8
	AS 'MODULE_PATHNAME', 'formula_mass_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION formula_mass(text, boolean) IS 'monoisotopic (most abundant isotopes) or average mass of a formula in u, electrons of a trailing charge included';

CREATE FUNCTION formula_hill(formula text) RETURNS text
	AS 'MODULE_PATHNAME', 'formula_hill_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION formula_hill(text) IS 'the formula in Hill order (C, H, then alphabetical), isotopes as [13C], charge last';

CREATE FUNCTION formula_elements(formula text) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'formula_elements_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION formula_elements(text) IS 'element counts of a formula as jsonb, e.g. {"C": 8, "H": 10, "[13C]": 2}';

CREATE FUNCTION adduct_mz(formula text, adduct text) RETURNS float8
	AS 'MODULE_PATHNAME', 'adduct_mz_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION adduct_mz(text, text) IS 'monoisotopic m/z of an ion such as [M+H]+ or [2M+Na]+, electron mass included';

CREATE FUNCTION adduct_charge(adduct text) RETURNS int
	AS 'MODULE_PATHNAME', 'adduct_charge_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION adduct_charge(text) IS 'signed charge of an adduct notation such as [M+2H]2+';

CREATE FUNCTION isotope_pattern(formula text, adduct text DEFAULT NULL, merge_mz float8 DEFAULT 0.005,
								min_intensity float8 DEFAULT 1e-4) RETURNS spectrum
	AS 'MODULE_PATHNAME', 'isotope_pattern_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isotope_pattern(text, text, float8, float8) IS 'isotope pattern of a formula or ion: intensities are fractions of the total abundance, peaks within merge_mz merged, peaks below min_intensity x base dropped';

CREATE FUNCTION isotope_score(observed spectrum, theoretical spectrum, ppm float8 DEFAULT 5,
							  intensity_error float8 DEFAULT 0.2) RETURNS float8
	AS 'MODULE_PATHNAME', 'isotope_score_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION isotope_score(spectrum, spectrum, float8, float8) IS 'match of a measured isotope cluster to a theoretical pattern in [0, 1]: intensity-weighted mean over the isotope peaks of the Gaussian likelihood of their m/z and relative intensity deviations';

CREATE FUNCTION ppm_error(observed float8, theoretical float8) RETURNS float8
	AS 'MODULE_PATHNAME', 'ppm_error_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ppm_error(float8, float8) IS 'mass error (observed - theoretical) / theoretical x 1e6';

-- adduct: the common ions per ion mode (MS-DIAL and MZmine adduct lists);
-- charge and ion mode derive from the notation, so a row that does not parse
-- is refused.  Users add rows (shipped = false), which pg_dump keeps.
CREATE TABLE adduct (
	adduct text PRIMARY KEY,
	charge int NOT NULL GENERATED ALWAYS AS (adduct_charge(adduct)) STORED,
	ion_mode text NOT NULL GENERATED ALWAYS AS (CASE WHEN adduct_charge(adduct) > 0 THEN 'positive' ELSE 'negative' END) STORED,
	common boolean NOT NULL DEFAULT false,
	shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE adduct IS 'adduct catalogue: the ions of MS-DIAL''s and MZmine''s lists; common marks the default set of an ion mode';
INSERT INTO adduct (adduct, common, shipped) VALUES
	('[M+H]+', true, true), ('[M+Na]+', true, true), ('[M+NH4]+', true, true), ('[M+K]+', true, true),
	('[M]+', false, true), ('[M+Li]+', false, true), ('[M+H-H2O]+', false, true), ('[M+H-2H2O]+', false, true),
	('[M+CH3OH+H]+', false, true), ('[M+ACN+H]+', false, true), ('[M+ACN+Na]+', false, true),
	('[M+2ACN+H]+', false, true), ('[M+IsoProp+H]+', false, true), ('[M+DMSO+H]+', false, true),
	('[M+2Na-H]+', false, true), ('[M+2K-H]+', false, true),
	('[2M+H]+', false, true), ('[2M+NH4]+', false, true), ('[2M+Na]+', false, true), ('[2M+K]+', false, true),
	('[2M+ACN+H]+', false, true), ('[2M+ACN+Na]+', false, true),
	('[M+2H]2+', false, true), ('[M+H+NH4]2+', false, true), ('[M+H+Na]2+', false, true),
	('[M+H+K]2+', false, true), ('[M+ACN+2H]2+', false, true), ('[M+2Na]2+', false, true),
	('[M+2ACN+2H]2+', false, true), ('[M+3ACN+2H]2+', false, true),
	('[M+3H]3+', false, true), ('[M+2H+Na]3+', false, true), ('[M+H+2Na]3+', false, true), ('[M+3Na]3+', false, true),
	('[M-H]-', true, true), ('[M+Cl]-', true, true), ('[M+HCOO]-', true, true), ('[M+CH3COO]-', true, true),
	('[M]-', false, true), ('[M-H2O-H]-', false, true), ('[M+Na-2H]-', false, true), ('[M+K-2H]-', false, true),
	('[M+Br]-', false, true), ('[M+FA-H]-', false, true), ('[M+Hac-H]-', false, true), ('[M+TFA-H]-', false, true),
	('[2M-H]-', false, true), ('[2M+FA-H]-', false, true), ('[2M+Hac-H]-', false, true), ('[3M-H]-', false, true),
	('[M-2H]2-', false, true), ('[M-3H]3-', false, true);
REVOKE ALL ON adduct FROM PUBLIC;
GRANT SELECT ON adduct TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('adduct', 'WHERE NOT shipped');

