/*
 * pg_model_cache.c: the per-backend cache of parsed models.
 *
 * Each lookup reads the catalogue row's identity (owner, version, xmin, ctid)
 * with one small SPI query, and parses the document only when no cached
 * model has that identity.  Any change of the row (a new version, an UPDATE,
 * a DROP and re-import) gives a new identity, so the cache never serves a
 * stale model.  predict() keeps the result in fn_extra for the rest of the
 * query, so bulk scoring does one lookup per query, not per row.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "pg_model.h"

/* the catalogue's CHECK on model.name, in characters */
#define MODEL_NAME_MAX_CHARS 200

/* "owner/version/name": room for the longest name in any server encoding */
#define MODEL_KEY_LEN (NAMEDATALEN + 16 + MODEL_NAME_MAX_CHARS * MAX_MULTIBYTE_CHAR_LEN)

typedef struct CachedModel
{
	char		key[MODEL_KEY_LEN]; /* owner, version and name */
	char		xmin[64];		/* xmin:ctid of the row the model was parsed from */
	MemoryContext context;
	Model	   *model;
} CachedModel;

static HTAB *model_cache = NULL;

static HTAB *
cache(void)
{
	if (model_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = MODEL_KEY_LEN;
		ctl.entrysize = sizeof(CachedModel);
		model_cache = hash_create("chemeco models", 16, &ctl, HASH_ELEM | HASH_STRINGS);
	}
	return model_cache;
}

static Model *
parse_into_context(const char *document, MemoryContext context)
{
	MemoryContext old = MemoryContextSwitchTo(context);
	Model	   *model = model_parse_document("chemeco-json", document, strlen(document));

	MemoryContextSwitchTo(old);
	return model;
}

const Model *
model_lookup(text *name, int32 version_wanted)
{
	Oid			types[2] = {TEXTOID, INT4OID};
	Datum		values[2] = {PointerGetDatum(name), Int32GetDatum(version_wanted)};
	char		key[MODEL_KEY_LEN];
	char	   *owner,
			   *version,
			   *xmin,
			   *document;
	CachedModel *entry;
	bool		found;
	MemoryContext context;
	Model	   *model;

	if (pg_mbstrlen_with_len(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name)) > MODEL_NAME_MAX_CHARS)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("model \"%s\" does not exist", text_to_cstring(name))));

	SPI_connect();
	/* a role sees its own models (row-level security); a superuser prefers its own */
	if (SPI_execute_with_args("SELECT owner::text, version::text, xmin::text || ':' || ctid::text FROM chemeco.model "
							  "WHERE name = $1 AND ($2 = 0 OR version = $2) "
							  "ORDER BY owner = current_user DESC, version DESC LIMIT 1",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "chemeco: model lookup failed");
	if (SPI_processed == 0 && version_wanted != 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("model \"%s\" version %d does not exist", text_to_cstring(name), version_wanted)));
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("model \"%s\" does not exist", text_to_cstring(name)),
				 errhint("Register it with chemeco.model_import() or chemeco.train().")));
	owner = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	version = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	xmin = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	snprintf(key, sizeof(key), "%s/%s/%s", owner, version, text_to_cstring(name));

	entry = hash_search(cache(), key, HASH_FIND, NULL);
	if (entry != NULL && strcmp(entry->xmin, xmin) == 0)
	{
		SPI_finish();
		return entry->model;
	}

	if (SPI_execute_with_args("SELECT document::text FROM chemeco.model m "
							  "WHERE name = $1 AND owner::text = $2 AND version::text = $3",
							  3, (Oid[]) {TEXTOID, TEXTOID, TEXTOID},
							  (Datum[]) {PointerGetDatum(name), CStringGetTextDatum(owner),
							  CStringGetTextDatum(version)}, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "chemeco: model document lookup failed");
	document = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

	/*
	 * Parse into a child of the current (SPI) context, so that an ERROR frees
	 * it; only a complete model moves under CacheMemoryContext.
	 */
	context = AllocSetContextCreate(CurrentMemoryContext, "chemeco model", ALLOCSET_DEFAULT_SIZES);
	model = parse_into_context(document, context);
	entry = hash_search(cache(), key, HASH_ENTER, &found);
	/* a running query may still score with the old model: free it when the transaction ends */
	if (found)
		MemoryContextSetParent(entry->context, TopTransactionContext);
	MemoryContextSetParent(context, CacheMemoryContext);
	entry->context = context;
	entry->model = model;
	strlcpy(entry->xmin, xmin, sizeof(entry->xmin));
	SPI_finish();
	return model;
}
