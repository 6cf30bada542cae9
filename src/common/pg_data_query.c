/*
 * pg_data_query.c: a caller's query text, checked and run read-only.
 *
 * The statement must be one SELECT without a data-modifying WITH or a row
 * lock: such a query would change data (or lock rows) as a side effect of a
 * function that only means to read.  The check is done on the analysed
 * query for a clear message; SPI's read-only execution checks the plan
 * again.  A function the query calls can still do what that function does:
 * that is the caller's decision (and the nested-call tests rely on it).
 */
#include "pg_data_query.h"

#include "nodes/parsenodes.h"
#include "tcop/cmdtag.h"
#include "utils/plancache.h"

static void
check_read_only(const CachedPlanSource *source, const char *caller)
{
	ListCell   *cell;

	if (source->commandTag != CMDTAG_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the data query must be a SELECT, not %s", caller,
						GetCommandTagName(source->commandTag)),
				 errhint("The data query is run read-only.")));
	foreach(cell, source->query_list)
	{
		Query	   *query = lfirst_node(Query, cell);

		if (query->commandType != CMD_SELECT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the data query must be a plain SELECT", caller),
					 errdetail("SELECT INTO creates a table."),
					 errhint("The data query is run read-only.")));
		if (query->hasModifyingCTE)
			ereport(ERROR,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("%s: the data query must not modify data", caller),
					 errdetail("It has a data-modifying statement in WITH."),
					 errhint("The data query is run read-only.")));
		if (query->rowMarks != NIL)
			ereport(ERROR,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("%s: the data query must not lock rows", caller),
					 errdetail("It has FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE or FOR KEY SHARE."),
					 errhint("The data query is run read-only.")));
	}
}

SPIPlanPtr
chemeco_prepare_data_query(const char *query, const char *caller)
{
	SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);
	List	   *sources;

	if (plan == NULL)
		elog(ERROR, "%s: preparing the data query failed: %s", caller, SPI_result_code_string(SPI_result));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the data query must be one SELECT statement, got %d statements",
						caller, list_length(sources))));
	check_read_only(linitial(sources), caller);
	return plan;
}

void
chemeco_run_data_query(const char *query, const char *caller, long count)
{
	SPIPlanPtr	plan = chemeco_prepare_data_query(query, caller);
	int			ret = SPI_execute_plan(plan, NULL, NULL, true, count);

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "%s: the data query failed: %s", caller, SPI_result_code_string(ret));
}
