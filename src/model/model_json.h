/*
 * model_json.h: reading XGBoost and chemeco-json model documents, writing
 * chemeco-json (the format stored in chemeco.model.document; see
 * docs/reference/model.md).
 *
 * The readers take a parsed jansson root so that the caller owns the
 * jansson tree and can free it however an error unwinds.  On failure they
 * return NULL and put "<json path>: <problem>" in error (MODEL_ERROR_LEN).
 */
#ifndef CHEMECO_MODEL_JSON_H
#define CHEMECO_MODEL_JSON_H

#include "model.h"

/* jansson's json_t, named without jansson.h: its json_object clashes with PostgreSQL's fmgrprotos.h */
struct json_t;

extern Model *model_from_xgboost_json(struct json_t *root, char *error);
extern Model *model_from_chemeco_json(struct json_t *root, char *error);

/*
 * The chemeco-json text of a model (kernel_alloc'd, NUL-terminated).
 * metrics_json, when not NULL, is a JSON object text stored as "metrics".
 */
extern char *model_to_chemeco_json(const Model *model, const char *metrics_json);

/* Builds the feature spec from column names, grouping "feature=category" columns. */
extern int	model_features_from_names(Model *model, char **names, int n_names, const char *path, char *error);

#endif
