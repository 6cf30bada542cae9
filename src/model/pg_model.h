/*
 * pg_model.h: PostgreSQL glue shared by the model functions.
 */
#ifndef CHEMECO_PG_MODEL_H
#define CHEMECO_PG_MODEL_H

#include "postgres.h"

#include "model.h"

/*
 * Parses a document in the given format ('xgboost-json' or 'chemeco-json')
 * into a Model allocated in CurrentMemoryContext; ERROR with the JSON path
 * of the problem when it is malformed or unsupported.
 */
extern Model *model_parse_document(const char *format, const char *data, size_t len);

/*
 * A version (0: the latest) of the named model visible to the current role,
 * parsed once per backend and reused while its catalogue row is unchanged.
 * ERROR if there is no such model.
 */
extern const Model *model_lookup(text *name, int32 version);

#endif
