/*
 * json_fields.h: typed access to members of a jansson document that reports
 * the JSON path of whatever is missing or malformed ("a.b[3].c: ...").
 */
#ifndef CHEMECO_JSON_FIELDS_H
#define CHEMECO_JSON_FIELDS_H

#include <jansson.h>
#include <stddef.h>

#define JSON_PATH_LEN 160

/*
 * How every model document is parsed.  Numbers are doubles: jsonb keeps
 * 1e19 as the integer 10000000000000000000, which jansson's integers
 * (int64) would reject, so a stored model would no longer load.
 */
#define MODEL_JSON_DECODE_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL)

/*
 * object[key] when it exists and is of the given type (JSON_OBJECT,
 * JSON_ARRAY, JSON_STRING, or JSON_REAL meaning any number); otherwise NULL
 * with error set to "<path>.<key>: ...".  Error buffers are MODEL_ERROR_LEN.
 */
extern json_t *json_field(json_t *object, const char *path, const char *key, json_type type, char *error);

/* Like json_field, but a missing member is not an error (NULL, error untouched). */
extern json_t *json_optional_field(json_t *object, const char *path, const char *key, json_type type,
								   char *error, int *failed);

/*
 * A number, or a string holding one (XGBoost writes its parameters as
 * strings such as "5E-1"); returns 0 and sets error otherwise.
 */
extern int	json_number_value_at(json_t *value, const char *path, double *out, char *error);

/* Whether a number read as a double is stored as a float32 without overflowing; else sets error. */
extern int	json_fits_float32(double value, const char *path, char *error);

/* An array of exactly n numbers into out. */
extern int	json_number_array(json_t *array, const char *path, size_t n, double *out, char *error);

/* path + "." + key, or path + "[index]", into buffer (JSON_PATH_LEN). */
extern void json_path_key(char *buffer, const char *path, const char *key);
extern void json_path_index(char *buffer, const char *path, size_t index);
/* path + "." + key + "[index]" */
extern void json_path_element(char *buffer, const char *path, const char *key, size_t index);

#endif
