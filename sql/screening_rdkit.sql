-- RDKit interoperability: suspects given as SMILES, turned into formulas by the RDKit cartridge
-- (mol_formula(mol_from_smiles(...))) inside the suspects query of chemeco.screen.  chemeco does
-- not depend on RDKit: where the cartridge is missing, or cannot be created on this PostgreSQL
-- (Debian's postgresql-15-rdkit 202209 against PostgreSQL >= 15.8, rdkit issue #7459), the
-- test is skipped (expected/screening_rdkit_1.out).
SET search_path = public, chemeco;
SET client_min_messages = warning;
DO $$ BEGIN CREATE EXTENSION rdkit; EXCEPTION WHEN OTHERS THEN NULL; END $$;
RESET client_min_messages;
SELECT count(*) = 1 AS have_rdkit FROM pg_extension WHERE extname = 'rdkit' \gset
\if :have_rdkit
-- formulas as published (PubChem), to check RDKit's
CREATE TABLE suspect_smiles (id int, name text, smiles text, published text);
INSERT INTO suspect_smiles VALUES
	(1, 'caffeine', 'Cn1cnc2c1c(=O)n(C)c(=O)n2C', 'C8H10N4O2'),
	(2, 'atrazine', 'CCNc1nc(Cl)nc(NC(C)C)n1', 'C8H14ClN5'),
	(3, 'carbamazepine', 'NC(=O)N1c2ccccc2C=Cc2ccccc21', 'C15H12N2O'),
	(4, 'diclofenac', 'OC(=O)Cc1ccccc1Nc1c(Cl)cccc1Cl', 'C14H11Cl2NO2'),
	(5, 'sulfamethoxazole', 'Cc1cc(NS(=O)(=O)c2ccc(N)cc2)no1', 'C10H11N3O3S'),
	(6, 'metoprolol', 'CC(C)NCC(O)COc1ccc(CCOC)cc1', 'C15H25NO3'),
	(7, 'not a molecule', 'C1CC(', NULL);
SELECT id, name, mol_formula(mol_from_smiles(smiles::cstring)) AS rdkit_formula,
       formula_hill(mol_formula(mol_from_smiles(smiles::cstring))::text) = formula_hill(published) AS same_as_published
FROM suspect_smiles WHERE published IS NOT NULL ORDER BY id;
-- a run: [M+H]+ of the published formulas, +1.5 ppm; caffeine also as [M+Na]+; one unrelated feature
CREATE TABLE smiles_feature AS
SELECT id AS feature_id, adduct_mz(published, '[M+H]+') * (1 + 1.5e-6) AS mz, NULL::float8 AS rt,
       1e5::float8 AS intensity, isotope_pattern(published, '[M+H]+') AS ms1, NULL::spectrum AS ms2
FROM suspect_smiles WHERE published IS NOT NULL
UNION ALL SELECT 11, adduct_mz('C8H10N4O2', '[M+Na]+'), NULL, 1e5, NULL, NULL
UNION ALL SELECT 12, 300.1234, NULL, 1e5, NULL, NULL;
SELECT feature_id, suspect_id, adduct, round(mz_error_ppm::numeric, 2) AS ppm, level
FROM screen('SELECT feature_id, mz, rt, intensity, ms1, ms2 FROM smiles_feature',
            $$SELECT id, name, mol_formula(mol_from_smiles(smiles::cstring)), NULL::float8, NULL::chemeco.spectrum
              FROM suspect_smiles$$)
ORDER BY feature_id::int, suspect_id::int;
DROP TABLE smiles_feature, suspect_smiles;
DROP EXTENSION rdkit;
\else
\echo rdkit is not available here: screening_rdkit skipped
\endif
