/*
 * json_fields.c: typed member access with JSON-path error messages.
 */
#include "json_fields.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

static const char *
type_name(json_type type)
{
	switch (type)
	{
		case JSON_OBJECT:
			return "an object";
		case JSON_ARRAY:
			return "an array";
		case JSON_STRING:
			return "a string";
		default:
			return "a number";
	}
}

static int
has_type(json_t *value, json_type type)
{
	return type == JSON_REAL ? json_is_number(value) : json_typeof(value) == type;
}

void
json_path_key(char *buffer, const char *path, const char *key)
{
	snprintf(buffer, JSON_PATH_LEN, "%s%s%s", path, *path ? "." : "", key);
}

void
json_path_index(char *buffer, const char *path, size_t index)
{
	snprintf(buffer, JSON_PATH_LEN, "%s[%zu]", path, index);
}

void
json_path_element(char *buffer, const char *path, const char *key, size_t index)
{
	snprintf(buffer, JSON_PATH_LEN, "%s%s%s[%zu]", path, *path ? "." : "", key, index);
}

json_t *
json_optional_field(json_t *object, const char *path, const char *key, json_type type,
					char *error, int *failed)
{
	json_t	   *value = json_object_get(object, key);
	char		where[JSON_PATH_LEN];

	*failed = 0;
	if (value == NULL || json_is_null(value))
		return NULL;
	if (!has_type(value, type))
	{
		json_path_key(where, path, key);
		snprintf(error, MODEL_ERROR_LEN, "%s: expected %s", where, type_name(type));
		*failed = 1;
		return NULL;
	}
	return value;
}

json_t *
json_field(json_t *object, const char *path, const char *key, json_type type, char *error)
{
	int			failed;
	json_t	   *value = json_optional_field(object, path, key, type, error, &failed);
	char		where[JSON_PATH_LEN];

	if (value == NULL && !failed)
	{
		json_path_key(where, path, key);
		snprintf(error, MODEL_ERROR_LEN, "%s: missing", where);
	}
	return value;
}

int
json_number_value_at(json_t *value, const char *path, double *out, char *error)
{
	if (json_is_number(value))
		*out = json_number_value(value);
	else if (json_is_string(value))
	{
		const char *text = json_string_value(value);
		char	   *end;

		errno = 0;
		*out = strtod(text, &end);
		if (end == text || *end != '\0' || errno == ERANGE)
		{
			snprintf(error, MODEL_ERROR_LEN, "%s: \"%.40s\" is not a number", path, text);
			return 0;
		}
	}
	else
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: expected a number", path);
		return 0;
	}
	if (!isfinite(*out))
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: number is not finite", path);
		return 0;
	}
	return 1;
}

int
json_fits_float32(double value, const char *path, char *error)
{
	/* below FLT_MAX + half an ulp a value rounds to FLT_MAX (which is written as 3.40282347e+38) */
	if (fabs(value) >= (double) FLT_MAX + ldexp(1.0, 103))
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: %g is out of the float32 range", path, value);
		return 0;
	}
	return 1;
}

int
json_number_array(json_t *array, const char *path, size_t n, double *out, char *error)
{
	char		where[JSON_PATH_LEN];

	if (json_array_size(array) != n)
	{
		snprintf(error, MODEL_ERROR_LEN, "%s: expected %zu elements, found %zu", path, n, json_array_size(array));
		return 0;
	}
	for (size_t i = 0; i < n; i++)
	{
		json_t	   *item = json_array_get(array, i);

		json_path_index(where, path, i);
		if (!json_is_number(item))
		{
			snprintf(error, MODEL_ERROR_LEN, "%s: expected a number", where);
			return 0;
		}
		if (!json_number_value_at(item, where, &out[i], error))
			return 0;
	}
	return 1;
}
