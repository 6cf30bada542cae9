/*
 * kernel.c: allocation and interrupt hooks for the pure C kernels.
 */
#include "kernel.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void *
malloc_or_abort(size_t size)
{
	void	   *ptr = malloc(size ? size : 1);

	if (ptr == NULL)
	{
		fprintf(stderr, "chemeco kernel: out of memory (%zu bytes)\n", size);
		abort();
	}
	return ptr;
}

static void
no_interrupts(void)
{
}

static KernelHooks hooks = {malloc_or_abort, free, no_interrupts};

void
kernel_set_hooks(const KernelHooks *new_hooks)
{
	hooks.alloc = new_hooks->alloc ? new_hooks->alloc : malloc_or_abort;
	hooks.release = new_hooks->release ? new_hooks->release : free;
	hooks.check_interrupts = new_hooks->check_interrupts ?
		new_hooks->check_interrupts : no_interrupts;
}

void *
kernel_alloc(size_t size)
{
	return hooks.alloc(size);
}

/* Overflow-checked count * elem_size; an impossible size goes to the hook, which fails. */
void *
kernel_alloc_array(size_t count, size_t elem_size)
{
	if (elem_size != 0 && count > SIZE_MAX / elem_size)
		return hooks.alloc(SIZE_MAX);
	return hooks.alloc(count * elem_size);
}

void
kernel_free(void *ptr)
{
	if (ptr != NULL)
		hooks.release(ptr);
}

void
kernel_check_interrupts(void)
{
	hooks.check_interrupts();
}
