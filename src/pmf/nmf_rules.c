/*
 * nmf_rules.c: the table of update rules, indexed by NmfMethod.
 */
#include "nmf_rules.h"

static const NmfRule rules[] = {
	[NMF_LS] = {ls_nmf_arena_doubles, ls_nmf_iterate},
	[NMF_WS] = {ws_nmf_arena_doubles, ws_nmf_iterate},
	[NMF_ANLS] = {anls_nmf_arena_doubles, anls_nmf_iterate},
};

const NmfRule *
nmf_rule(NmfMethod method)
{
	return &rules[method];
}
