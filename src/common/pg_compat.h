/*
 * pg_compat.h: the differences between the PostgreSQL APIs of the supported
 * major versions (15, 17, 18) that chemeco meets, bridged here so that the
 * glue stays free of version tests (docs/versions.md lists them).
 */
#ifndef CHEMECO_PG_COMPAT_H
#define CHEMECO_PG_COMPAT_H

#include "postgres.h"

/* 16 moved VARSIZE, SET_VARSIZE and the other varlena macros to varatt.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/* 18 gave vacuum_delay_point() an is_analyze argument (commands/vacuum.h). */
#if PG_VERSION_NUM >= 180000
#define chemeco_vacuum_delay_point() vacuum_delay_point(false)
#else
#define chemeco_vacuum_delay_point() vacuum_delay_point()
#endif

#endif
