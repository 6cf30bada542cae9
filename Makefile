# chemeco: PGXS build.  `make && make install` is all a server needs;
# `make test` and `make demo` also set up a fresh Debian machine (see README).

EXTENSION  = chemeco
EXTVERSION = 0.2
MODULE_big = chemeco

PG_CONFIG ?= pg_config

# Every src/<capability>/*.c is built into the module.  Files named pg_*.c are
# PostgreSQL glue; all others are pure C kernels (no postgres.h), which are
# also linked into the unit tests, fuzzers and benchmarks.
SRCS         = $(sort $(wildcard src/*/*.c))
OBJS         = $(SRCS:.c=.o)
KERNEL_SRCS  = $(foreach f,$(SRCS),$(if $(findstring /pg_,$(f)),,$(f)))

# SQL scripts (docs/architecture.md, "SQL scripts and versions"):
# - the current version's install script is assembled from the capabilities'
#   pieces, in this order (a piece may use what earlier pieces create);
# - sql/release/ holds scripts as released: they never change once shipped;
# - the upgrade from the last release is sql/release/chemeco--0.1--0.2.sql
#   (changes to objects 0.1 had) followed by the pieces of capabilities new
#   in 0.2, whole.
SQL_PIECES = \
	src/common/chemeco.sql \
	src/spectrum/spectrum.sql \
	src/spectrum/spectrum_import.sql \
	src/spectrum_search/search.sql \
	src/pmf/pmf.sql \
	src/stats/impact_category.sql \
	src/stats/stats.sql \
	src/model/model.sql \
	src/common/operations.sql \
	src/plot/plot.sql \
	src/screening/element_isotope.sql \
	src/screening/screening.sql \
	src/screening/screen.sql
SQL_PIECES_NEW_IN_0.2 = \
	src/common/operations.sql \
	src/plot/plot.sql \
	src/screening/element_isotope.sql \
	src/screening/screening.sql \
	src/screening/screen.sql
UPGRADE_0.1_0.2 = sql/release/chemeco--0.1--0.2.sql $(SQL_PIECES_NEW_IN_0.2)

DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--0.1--0.2.sql
DATA       = sql/release/chemeco--0.1.sql

REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=$(EXTENSION)

INCLUDES    = $(patsubst %/,-I%,$(sort $(dir $(wildcard src/*/*.h))))
PG_CPPFLAGS = $(INCLUDES)
SHLIB_LINK  = -lgsl -lgslcblas -ljansson -lm

EXTRA_CLEAN = .pg_build_id test/unit/run_unit test/unit/run_unit_asan test/kernels test/libchemeco_kernels.a $(DATA_built) test/fuzz/bin

# `make test|demo|bench` must start on a machine without PostgreSQL yet:
# test/run.sh installs it, then calls make again.
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
SETUP_GOALS_ONLY := $(if $(MAKECMDGOALS),$(if $(filter-out test test-matrix werror demo bench load faults fuzz indent indent-diff,$(MAKECMDGOALS)),,yes))
ifneq ($(PGXS),)
include $(PGXS)
else ifneq ($(SETUP_GOALS_ONLY),yes)
$(error $(PG_CONFIG) not found: install postgresql-server-dev-15 (or set PG_CONFIG), or run `make test` as root)
endif

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PIECES) Makefile
	@unlisted="$(filter-out $(SQL_PIECES),$(wildcard src/*/*.sql))"; \
	if [ -n "$$unlisted" ]; then echo "SQL pieces missing from SQL_PIECES in the Makefile: $$unlisted" >&2; exit 1; fi
	cat $(SQL_PIECES) > $@

$(EXTENSION)--0.1--0.2.sql: $(UPGRADE_0.1_0.2) Makefile
	cat $(UPGRADE_0.1_0.2) > $@

# PGXS does not track headers; rebuild on any header change.
$(OBJS): $(wildcard src/*/*.h)

# Objects built for another PostgreSQL (another PG_CONFIG: version or build)
# are rebuilt: .pg_build_id names the one they were built for.
ifneq ($(PGXS),)
PG_BUILD_ID := $(shell $(PG_CONFIG) --version --configure | cksum)
$(shell echo '$(PG_BUILD_ID)' | cmp -s - .pg_build_id || echo '$(PG_BUILD_ID)' > .pg_build_id)
$(OBJS): .pg_build_id
endif

# ---------------------------------------------------------------- kernels
# The pure kernels as a static library, for unit tests, fuzzers and
# benchmarks: link with  -Ltest -lchemeco_kernels $(KERNEL_LIBS).
KERNEL_CFLAGS = -O2 -g -std=gnu99 -Wall -Wextra -Wno-unused-parameter $(INCLUDES)
KERNEL_LIBS   = -lgsl -lgslcblas -ljansson -lm
KERNEL_OBJS   = $(patsubst src/%.c,test/kernels/%.o,$(KERNEL_SRCS))
UNIT_SRCS     = $(sort $(wildcard test/unit/*.c))

test/kernels/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

test/libchemeco_kernels.a: $(KERNEL_OBJS)
	rm -f $@
	ar rcs $@ $^

test/unit/run_unit: $(UNIT_SRCS) test/unit/unit.h test/libchemeco_kernels.a
	$(CC) $(KERNEL_CFLAGS) -Itest/unit -o $@ $(UNIT_SRCS) -Ltest -lchemeco_kernels $(KERNEL_LIBS)

kernels: test/libchemeco_kernels.a

# The same unit tests built with AddressSanitizer + UBSan (kernels compiled
# from source with the sanitizers), the plain build under valgrind, then the
# regression suite against a server under valgrind (docs/memory.md).
SANITIZE_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
test/unit/run_unit_asan: $(UNIT_SRCS) test/unit/unit.h $(KERNEL_SRCS) $(wildcard src/*/*.h)
	$(CC) $(KERNEL_CFLAGS) $(SANITIZE_FLAGS) -Itest/unit -o $@ $(UNIT_SRCS) $(KERNEL_SRCS) $(KERNEL_LIBS)

unit-asan: check-kernels test/unit/run_unit_asan
	ASAN_OPTIONS=detect_leaks=1 test/unit/run_unit_asan

check-memory: unit-asan test/unit/run_unit all
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=1 test/unit/run_unit
	test/memory/server_valgrind.sh

# Guard the kernel/glue split: no kernel may include a PostgreSQL header.
check-kernels:
	@bad=$$(grep -lE '#include "(postgres|fmgr|utils/|catalog/|access/|executor/|nodes/|funcapi|miscadmin)' $(KERNEL_SRCS) $(filter-out $(wildcard src/*/pg_*.h),$(wildcard src/*/*.h)) || true); \
	if [ -n "$$bad" ]; then echo "kernel files include PostgreSQL headers: $$bad"; exit 1; fi

unit: check-kernels test/unit/run_unit
	test/unit/run_unit

# ---------------------------------------------------------------- fuzzing
# libFuzzer targets test/fuzz/fuzz_*.c (clang-14 + libclang-rt-14-dev, installed
# when missing) against the kernels, FUZZ_SECONDS each; fails on any crash,
# sanitizer report or leak.
FUZZ_SECONDS ?= 60
fuzz:
	test/fuzz/run.sh $(FUZZ_SECONDS)

# ---------------------------------------------------------------- style
# pgindent (PostgreSQL 15's, with pg_bsd_indent and the typedefs of
# PostgreSQL plus test/indent/typedefs.list, regenerated from the tree);
# fetched once into a cache outside the tree (test/indent/run.sh).
# `make indent` rewrites the C files, `make indent-diff` only shows the diff.
indent:
	test/indent/run.sh

indent-diff:
	test/indent/run.sh --diff

# ---------------------------------------------------------------- workflows
test:
	PG_CONFIG=$(PG_CONFIG) test/run.sh test

demo:
	PG_CONFIG=$(PG_CONFIG) test/run.sh demo

bench:
	PG_CONFIG=$(PG_CONFIG) test/run.sh bench

load:
	PG_CONFIG=$(PG_CONFIG) test/run.sh load

# The PMF quality sweep (issue 19): 3 EPA data sets x k = 3..9 x 2 methods
# against the published EPA PMF 5.0 / ESAT figures; kernels only, about 10
# CPU minutes, so not part of test or bench.
pmf-sweep: kernels
	test/bench/pmf_sweep.sh

faults:
	PG_CONFIG=$(PG_CONFIG) test/run.sh faults

# `make test` on PostgreSQL 15 (Debian's), 17 and 18 (built from Debian's
# source packages into /var/cache/chemeco-pg when missing); docs/versions.md.
PG_MATRIX ?= 15 17 18
test-matrix:
	test/matrix.sh $(PG_MATRIX)

# Every C file compiled with -Werror by gcc and clang against each
# PostgreSQL of the matrix that is there (nothing is built).
werror:
	test/werror.sh

.PHONY: unit unit-asan check-memory kernels check-kernels fuzz indent indent-diff test test-matrix werror demo bench load faults pmf-sweep
