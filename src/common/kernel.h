/*
 * kernel.h: the environment of chemeco's pure C kernels.
 *
 * Kernels include no PostgreSQL header.  They allocate through
 * kernel_alloc() and poll kernel_check_interrupts() in long loops; inside the
 * server these are routed to palloc and CHECK_FOR_INTERRUPTS (see
 * pg_chemeco.c), so an ERROR or a cancel unwinds without leaking, while unit
 * tests, fuzzers and benchmarks get malloc and a no-op.
 */
#ifndef CHEMECO_KERNEL_H
#define CHEMECO_KERNEL_H

#include <stddef.h>

typedef struct KernelHooks
{
	void	   *(*alloc) (size_t size);	/* never returns NULL */
	void		(*release) (void *ptr);
	void		(*check_interrupts) (void);
} KernelHooks;

/* Replace the hooks; NULL members keep the malloc-based defaults. */
extern void kernel_set_hooks(const KernelHooks *hooks);

extern void *kernel_alloc(size_t size);
extern void *kernel_alloc_array(size_t count, size_t elem_size);
extern void kernel_free(void *ptr);
extern void kernel_check_interrupts(void);

#endif
