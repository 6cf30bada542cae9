-- new spectra above m/z 2000: they share no peak with the searched ones
INSERT INTO load_library (precursor_mz, spectrum)
SELECT 2500, spectrum(array_agg(2000 + random() * 1000), array_agg(1 + random() * 999))
FROM generate_series(1, 30);
