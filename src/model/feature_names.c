/*
 * feature_names.c: a feature spec from flat column names, where adjacent
 * columns named "<feature>=<category>" form one one-hot categorical feature
 * (how test/reference/xgboost_model.py names XGBoost's columns).
 */
#include <stdio.h>
#include <string.h>

#include "json_fields.h"
#include "kernel.h"
#include "model_json.h"

static char *
copy_text(const char *text, size_t len)
{
	char	   *copy = kernel_alloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

int
model_features_from_names(Model *model, char **names, int n_names, const char *path, char *error)
{
	model->features = kernel_alloc_array(n_names > 0 ? n_names : 1, sizeof(ModelFeature));
	model->n_features = 0;
	model->n_columns = n_names;
	for (int column = 0; column < n_names; column++)
	{
		const char *name = names[column];
		const char *equals = strchr(name, '=');
		size_t		name_len = equals ? (size_t) (equals - name) : strlen(name);
		ModelFeature *last = model->n_features > 0 ? &model->features[model->n_features - 1] : NULL;
		char		where[JSON_PATH_LEN];

		if (equals && last && last->kind == FEATURE_CATEGORICAL &&
			strlen(last->name) == name_len && memcmp(last->name, name, name_len) == 0)
		{
			last->categories[last->n_categories++] = copy_text(equals + 1, strlen(equals + 1));
			continue;
		}
		/* a chemeco-json document needs a name for every feature */
		if (name_len == 0)
		{
			json_path_index(where, path, column);
			snprintf(error, MODEL_ERROR_LEN, "%s: \"%.60s\" has an empty feature name", where, name);
			return 0;
		}
		for (int f = 0; f < model->n_features; f++)
			if (strlen(model->features[f].name) == name_len &&
				memcmp(model->features[f].name, name, name_len) == 0)
			{
				json_path_index(where, path, column);
				snprintf(error, MODEL_ERROR_LEN, "%s: feature \"%.60s\" appears twice or in non-adjacent columns",
						 where, model->features[f].name);
				return 0;
			}
		last = &model->features[model->n_features++];
		last->name = copy_text(name, name_len);
		last->first_column = column;
		if (equals)
		{
			last->kind = FEATURE_CATEGORICAL;
			/* room for every remaining column; the spec is small */
			last->categories = kernel_alloc_array(n_names - column, sizeof(char *));
			last->categories[0] = copy_text(equals + 1, strlen(equals + 1));
			last->n_categories = 1;
		}
		else
		{
			last->kind = FEATURE_NUMERIC;
			last->n_categories = 0;
			last->categories = NULL;
		}
	}
	return 1;
}
