/*
 * pg_chemeco.c: module entry point; routes the kernels' hooks to PostgreSQL.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "kernel.h"
#include "pg_threads.h"
#include "pg_value_buffer.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Kernel memory lives in the caller's memory context, so an ERROR frees it. */
static void *
kernel_palloc(size_t size)
{
	if (!AllocSizeIsValid(size))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("chemeco: input too large"),
				 errdetail("A working buffer of %zu bytes would exceed the 1 GB allocation limit.", size)));
	return palloc(size);
}

static void
kernel_pfree(void *ptr)
{
	pfree(ptr);
}

static void
kernel_check_for_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
_PG_init(void)
{
	KernelHooks hooks = {kernel_palloc, kernel_pfree, kernel_check_for_interrupts};

	kernel_set_hooks(&hooks);
	chemeco_define_thread_settings();
	value_state_define_guc();
	MarkGUCPrefixReserved("chemeco");
}
