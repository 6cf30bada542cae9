/*
 * pg_progress.h: what a long chemeco call is doing, visible from other
 * sessions in pg_stat_activity.query (and the chemeco.progress view).
 *
 * The backend's activity text becomes
 *     / * chemeco pmf_fit: run 7/20, Q(robust) 64102.3 * / <the statement>
 * (without the spaces inside the comment marks), so the statement stays
 * visible after the progress.  Cheap (a write to the backend's own status
 * slot); nothing is shown when track_activities is off.
 */
#ifndef CHEMECO_PG_PROGRESS_H
#define CHEMECO_PG_PROGRESS_H

#include "postgres.h"

/* function: the SQL function's name; the rest: a printf-style progress text (no comment marks). */
extern void chemeco_progress(const char *function, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* The plain statement again, when the call is done. */
extern void chemeco_progress_done(void);

#endif
