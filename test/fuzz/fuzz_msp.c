/*
 * fuzz_msp.c: libFuzzer target for the MSP reader (src/spectrum/msp.c).
 */
#include <stdint.h>

#include "fuzz_records.h"
#include "msp.h"

FUZZ_SPECTRUM_READER(MspReader, msp)
