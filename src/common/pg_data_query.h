/*
 * pg_data_query.h: running a query a caller passes as text (the data
 * argument of pmf_fit, train, screen ...; the query pmf_bootstrap stored)
 * inside SPI, read-only and with the caller's rights.
 */
#ifndef CHEMECO_PG_DATA_QUERY_H
#define CHEMECO_PG_DATA_QUERY_H

#include "postgres.h"

#include "executor/spi.h"

/*
 * Inside SPI: prepares query and checks that it is one SELECT that modifies
 * nothing: 22023 names any other statement, 25006 a data-modifying WITH or
 * a row lock (FOR UPDATE/SHARE).  caller names the function in the messages.
 * Open a cursor on the plan with read_only = true.
 */
extern SPIPlanPtr chemeco_prepare_data_query(const char *query, const char *caller);

/*
 * chemeco_prepare_data_query, then runs it read-only (SPI read-only
 * execution, in the current snapshot) for up to count rows (0: all); the
 * rows are in SPI_tuptable / SPI_processed.
 */
extern void chemeco_run_data_query(const char *query, const char *caller, long count);

#endif
