/*
 * pg_model_parse_document.c: model_parse_document(), parsing model documents
 * with jansson; the SQL function model_document() that validates an import
 * is in pg_model_document.c.  (jansson.h and PostgreSQL's fmgrprotos.h both
 * declare json_object, so this file keeps away from utils/builtins.h.)
 */
#include "postgres.h"

#include <jansson.h>
#include <string.h>

#include "json_fields.h"
#include "model_json.h"
#include "pg_model.h"

/*
 * jansson allocates with malloc here.  We do not route it to palloc with
 * json_set_alloc_funcs: that setting is process-wide, and switching it while
 * other code holds jansson values would free them with the wrong allocator.
 * Instead the parsed tree is always released with json_decref in PG_FINALLY,
 * so an ERROR (or a cancel inside the kernel) leaks nothing.
 */
Model *
model_parse_document(const char *format, const char *data, size_t len)
{
	json_error_t json_error;
	json_t	   *root;
	Model	   *volatile model = NULL;
	char		error[MODEL_ERROR_LEN];
	int			xgboost;

	if (strcmp(format, "xgboost-json") == 0)
		xgboost = 1;
	else if (strcmp(format, "chemeco-json") == 0)
		xgboost = 0;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown model format \"%s\"", format),
				 errhint("Supported formats are 'xgboost-json' and 'chemeco-json'.")));

	root = json_loadb(data, len, MODEL_JSON_DECODE_FLAGS, &json_error);
	if (root == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JSON in %s model document at line %d, column %d: %s",
						format, json_error.line, json_error.column, json_error.text)));
	PG_TRY();
	{
		model = xgboost ? model_from_xgboost_json(root, error) : model_from_chemeco_json(root, error);
	}
	PG_FINALLY();
	{
		json_decref(root);
	}
	PG_END_TRY();
	if (model == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("%s model document: %s", format, error),
				 errhint("The message starts with the JSON path of the problem.")));
	return model;
}
