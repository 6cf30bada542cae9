#!/bin/bash
# test/fuzz/run.sh [seconds] [target...]
#
# Builds every libFuzzer target test/fuzz/fuzz_<target>.c (or the ones named)
# with clang-14 and -fsanitize=fuzzer,address,undefined against the pure C
# kernels (every src/*/*.c not named pg_*), then runs each for the given
# number of seconds (default 60), starting from the seeds in
# test/fuzz/corpus/<target>/ with the dictionary test/fuzz/<target>.dict.
# Fails on any crash, sanitizer report, leak or timeout; the reproducer is
# left in test/fuzz/bin/.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
CLANG=${CLANG:-clang-14}

if ! command -v "$CLANG" >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'install ok installed'; then
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz: needs clang-14 and libclang-rt-14-dev (apt-get install clang-14 libclang-rt-14-dev)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for f in test/fuzz/fuzz_*.c; do
		t=${f#test/fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi

kernel_sources=()
for f in src/*/*.c; do
	case $(basename "$f") in pg_*) ;; *) kernel_sources+=("$f") ;; esac
done
includes=()
for d in src/*/; do includes+=("-I${d%/}"); done

mkdir -p test/fuzz/bin
failed=()
for t in "${targets[@]}"; do
	echo "== fuzz_$t: building"
	bin=test/fuzz/bin/fuzz_$t
	"$CLANG" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-std=gnu99 "${includes[@]}" -Itest/fuzz -o "$bin" "test/fuzz/fuzz_$t.c" "${kernel_sources[@]}" \
		-lgsl -lgslcblas -ljansson -lm
	# new inputs go to a scratch corpus, so the committed seeds stay as they are
	work=test/fuzz/bin/corpus_$t
	mkdir -p "$work"
	dict=()
	[ -f "test/fuzz/$t.dict" ] && dict=(-dict="test/fuzz/$t.dict")
	echo "== fuzz_$t: running ${seconds}s"
	if ! "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
			-print_final_stats=1 -artifact_prefix="test/fuzz/bin/${t}_" \
			"$work" "test/fuzz/corpus/$t" >"test/fuzz/bin/$t.log" 2>&1; then
		tail -n 40 "test/fuzz/bin/$t.log"
		failed+=("$t")
		continue
	fi
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "test/fuzz/bin/$t.log" | tr '\n' ' '
	echo
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed (${failed[*]}); see test/fuzz/bin/"
	exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a finding"
