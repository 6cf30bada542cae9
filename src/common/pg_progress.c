/*
 * pg_progress.c: progress of long calls in pg_stat_activity (pg_progress.h).
 *
 * PostgreSQL's own progress views (pg_stat_progress_*) serve a fixed set of
 * commands, and a shared-memory table of our own would need
 * shared_preload_libraries; the activity text needs neither, and every
 * monitor already reads it.
 */
#include "pg_progress.h"

#include "lib/stringinfo.h"
#include "tcop/tcopprot.h"
#include "utils/backend_status.h"

void
chemeco_progress(const char *function, const char *fmt,...)
{
	StringInfoData text;

	if (!pgstat_track_activities)
		return;
	initStringInfo(&text);
	appendStringInfo(&text, "/* chemeco %s: ", function);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&text, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&text, needed);
	}
	appendStringInfo(&text, " */ %s", debug_query_string ? debug_query_string : "");
	pgstat_report_activity(STATE_RUNNING, text.data);
	pfree(text.data);
}

void
chemeco_progress_done(void)
{
	if (pgstat_track_activities && debug_query_string != NULL)
		pgstat_report_activity(STATE_RUNNING, debug_query_string);
}
