/*
 * chemeco_json_write.c: a Model as chemeco-json text.  Float32 tree values
 * are written with 9 significant digits and doubles with 17, so reading the
 * text back gives the same bits (and the same predictions).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "model_json.h"

typedef struct TextBuffer
{
	char	   *data;
	size_t		length;
	size_t		capacity;
} TextBuffer;

static void
reserve(TextBuffer *buffer, size_t extra)
{
	if (buffer->length + extra + 1 > buffer->capacity)
	{
		size_t		capacity = (buffer->capacity + extra + 1) * 2;
		char	   *data = kernel_alloc(capacity);

		if (buffer->length > 0)
			memcpy(data, buffer->data, buffer->length);
		kernel_free(buffer->data);
		buffer->data = data;
		buffer->capacity = capacity;
	}
}

static void append(TextBuffer *buffer, const char *format,...) __attribute__((format(printf, 2, 3)));

static void
append(TextBuffer *buffer, const char *format,...)
{
	va_list		args;
	char		small[64];
	int			n;

	va_start(args, format);
	n = vsnprintf(small, sizeof(small), format, args);
	va_end(args);
	reserve(buffer, (size_t) n);
	va_start(args, format);
	vsnprintf(buffer->data + buffer->length, (size_t) n + 1, format, args);
	va_end(args);
	buffer->length += (size_t) n;
}

static void
append_string(TextBuffer *buffer, const char *text)
{
	append(buffer, "\"");
	for (const unsigned char *c = (const unsigned char *) text; *c; c++)
	{
		if (*c == '"' || *c == '\\')
			append(buffer, "\\%c", *c);
		else if (*c < 0x20)
			append(buffer, "\\u%04x", *c);
		else
		{
			reserve(buffer, 1);
			buffer->data[buffer->length++] = (char) *c;
		}
	}
	append(buffer, "\"");
}

static void
append_features(TextBuffer *buffer, const Model *model)
{
	append(buffer, "\"features\": [");
	for (int i = 0; i < model->n_features; i++)
	{
		const ModelFeature *f = &model->features[i];

		append(buffer, i ? ", {\"name\": " : "{\"name\": ");
		append_string(buffer, f->name);
		if (f->kind == FEATURE_NUMERIC)
			append(buffer, ", \"type\": \"numeric\"}");
		else
		{
			append(buffer, ", \"type\": \"categorical\", \"categories\": [");
			for (int k = 0; k < f->n_categories; k++)
			{
				if (k)
					append(buffer, ", ");
				append_string(buffer, f->categories[k]);
			}
			append(buffer, "]}");
		}
	}
	append(buffer, "]");
}

static void
append_doubles(TextBuffer *buffer, const double *values, int n)
{
	append(buffer, "[");
	for (int j = 0; j < n; j++)
		append(buffer, j ? ", %.17g" : "%.17g", values[j]);
	append(buffer, "]");
}

static void
append_tree(TextBuffer *buffer, const TreeEnsemble *trees, int t)
{
	int32_t		begin = trees->tree_root[t];
	int32_t		end = t + 1 < trees->n_trees ? trees->tree_root[t + 1] : trees->n_nodes;

#define NODE_ARRAY(key, format, expression) \
	do { \
		append(buffer, "\"" key "\": ["); \
		for (int32_t n = begin; n < end; n++) \
			append(buffer, n > begin ? ", " format : format, expression); \
		append(buffer, "]"); \
	} while (0)

	append(buffer, "{");
	NODE_ARRAY("feature", "%d", trees->left[n] < 0 ? 0 : trees->feature[n]);
	append(buffer, ", ");
	NODE_ARRAY("threshold", "%.9g", trees->left[n] < 0 ? 0.0 : (double) trees->threshold[n]);
	append(buffer, ", ");
	NODE_ARRAY("left", "%d", trees->left[n] < 0 ? -1 : trees->left[n] - begin);
	append(buffer, ", ");
	NODE_ARRAY("right", "%d", trees->right[n] < 0 ? -1 : trees->right[n] - begin);
	append(buffer, ", ");
	NODE_ARRAY("default_left", "%d", (int) trees->default_left[n]);
	append(buffer, ", ");
	NODE_ARRAY("value", "%.9g", trees->left[n] < 0 ? (double) trees->leaf_value[n] : 0.0);
	append(buffer, "}");
#undef NODE_ARRAY
}

char *
model_to_chemeco_json(const Model *model, const char *metrics_json)
{
	TextBuffer	buffer = {NULL, 0, 0};

	reserve(&buffer, 4096);
	append(&buffer, "{\"format\": \"chemeco-json\", \"format_version\": 1, \"algorithm\": \"%s\", \"link\": \"%s\", ",
		   model_algorithm_name(model->algorithm),
		   model->link == MODEL_LINK_LOGISTIC ? "logistic" : "identity");
	append_features(&buffer, model);
	if (model_is_linear(model))
	{
		append(&buffer, ", \"linear\": {\"intercept\": %.17g, \"coefficients\": ", model->linear.intercept);
		append_doubles(&buffer, model->linear.coefficients, model->n_columns);
		append(&buffer, ", \"column_means\": ");
		append_doubles(&buffer, model->linear.column_means, model->n_columns);
		append(&buffer, "}");
	}
	else
	{
		append(&buffer, ", \"trees\": {\"base_margin\": %.9g, \"trees\": [", (double) model->trees.base_margin);
		for (int t = 0; t < model->trees.n_trees; t++)
		{
			if (t)
				append(&buffer, ", ");
			append_tree(&buffer, &model->trees, t);
			kernel_check_interrupts();
		}
		append(&buffer, "]}");
	}
	if (metrics_json != NULL)
	{
		append(&buffer, ", \"metrics\": ");
		reserve(&buffer, strlen(metrics_json));
		memcpy(buffer.data + buffer.length, metrics_json, strlen(metrics_json));
		buffer.length += strlen(metrics_json);
	}
	append(&buffer, "}");
	buffer.data[buffer.length] = '\0';
	return buffer.data;
}
