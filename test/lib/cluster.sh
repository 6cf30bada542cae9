# test/lib/cluster.sh: private throw-away PostgreSQL clusters on loopback,
# for test scripts that need servers of their own (sourced, bash).
#
#   cluster_workdir NAME     make $cluster_work (/tmp/chemeco-NAME.XXXXXX) and
#                            remove it, with every cluster started, on exit
#   cluster_init DIR         initdb DIR: trust authentication, superuser postgres
#   cluster_start DIR PORT [SERVER OPTIONS...]
#                            start DIR on 127.0.0.1:PORT, socket in $cluster_work,
#                            log in DIR.log; waits until it accepts connections.
#                            With CHEMECO_DESTDIR set (see test/run.sh) the
#                            server loads the extension from that staging dir.
#   cluster_ctl DIR ARGS...  pg_ctl -D DIR -w ARGS (stop, restart, ...)
#
# The binaries come from $cluster_bindir (default: $PG_CONFIG --bindir).  As
# root the servers run as user postgres ("${cluster_run_as[@]}" prefixes a
# command with that); a script's own EXIT trap should call cluster_cleanup.

cluster_bindir=${cluster_bindir:-$("${PG_CONFIG:-pg_config}" --bindir)}
cluster_run_as=()
cluster_dirs=()

cluster_workdir() {
	cluster_work=$(mktemp -d "/tmp/chemeco-$1.XXXXXX")
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$cluster_work"
		cluster_run_as=(runuser -u postgres --)
	fi
	trap cluster_cleanup EXIT
}

cluster_cleanup() {
	local dir
	for dir in "${cluster_dirs[@]}"; do
		"${cluster_run_as[@]}" "$cluster_bindir/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true
	done
	rm -rf "$cluster_work"
}

cluster_init() {
	"${cluster_run_as[@]}" "$cluster_bindir/initdb" -D "$1" -A trust -U postgres >/dev/null
	cluster_dirs+=("$1")
}

cluster_ctl() {
	local dir=$1
	shift
	"${cluster_run_as[@]}" "$cluster_bindir/pg_ctl" -D "$dir" -w "$@" >/dev/null
}

cluster_start() {
	local dir=$1 port=$2 staging=""
	shift 2
	# pg_ctl hands -o to a shell: quote $libdir
	[ -n "${CHEMECO_DESTDIR:-}" ] && staging="-c extension_destdir=$CHEMECO_DESTDIR \
		-c 'dynamic_library_path=$CHEMECO_DESTDIR$("${PG_CONFIG:-pg_config}" --pkglibdir):\$libdir'"
	cluster_ctl "$dir" -l "$dir.log" -o "-p $port -k $cluster_work -c listen_addresses=127.0.0.1 $staging $*" start
}
