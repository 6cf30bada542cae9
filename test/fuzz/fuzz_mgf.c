/*
 * fuzz_mgf.c: libFuzzer target for the MGF reader (src/spectrum/mgf.c).
 */
#include <stdint.h>

#include "fuzz_records.h"
#include "mgf.h"

FUZZ_SPECTRUM_READER(MgfReader, mgf)
