/*
 * Unit tests of the shared kernels of src/common: the splitmix64 helpers
 * that model training draws from (hold-out split, subsamples, bootstrap
 * rows, column picks).  Reference values from splitmix64's published
 * definition computed with Python integers (state 42: outputs
 * 0xbdd732262feb6e95, 0x28efe333b266f103, 0x47526757130f9f52).
 */
#include <stdint.h>

#include "prng.h"
#include "unit.h"

UNIT_TEST(common_splitmix64_helpers)
{
	uint64_t	state = 42;

	/* 0xbdd732262feb6e95 % 10 = 3 */
	CHECK(splitmix64_below(&state, 10) == 3);
	/* 0x28efe333b266f103 % 1000003 = 164266 */
	CHECK(splitmix64_below(&state, 1000003) == 164266);
	/* (0x47526757130f9f52 >> 11) * 2^-53, exact in a double */
	CHECK(splitmix64_uniform(&state) == 0.27860113025513866);
	/* the helpers advance the same stream as splitmix64_next */
	state = 42;
	CHECK(splitmix64_next(&state) == UINT64_C(0xbdd732262feb6e95));
}
