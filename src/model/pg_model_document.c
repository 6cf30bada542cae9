/*
 * pg_model_document.c: chemeco.model_document(), which validates an
 * imported document and returns the chemeco-json that the catalogue stores.
 * The parser it calls, model_parse_document(), is pg_model_parse_document.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "model_json.h"
#include "pg_model.h"

PG_FUNCTION_INFO_V1(model_document);

/* model_document(format text, document text) RETURNS jsonb */
Datum
model_document(PG_FUNCTION_ARGS)
{
	char	   *format = text_to_cstring(PG_GETARG_TEXT_PP(0));
	text	   *document = PG_GETARG_TEXT_PP(1);
	Model	   *model = model_parse_document(format, VARDATA_ANY(document), VARSIZE_ANY_EXHDR(document));

	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(model_to_chemeco_json(model, NULL))));
}
