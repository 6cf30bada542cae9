/*
 * pg_product_id.c: canonical_json(jsonb) and product_id(jsonb).
 *
 * Canonical form (docs/reference/stats.md): no whitespace; object keys sorted
 * by their UTF-8 bytes; strings escaped as PostgreSQL's JSON output does;
 * numbers in plain decimal with trailing fractional zeros removed (1.50 ->
 * 1.5, 1e2 -> 100, -0 -> 0); arrays keep their order.  jsonb has already
 * dropped duplicate keys (last wins).  product_id is the md5 of that text.
 */
#include "postgres.h"

#include "common/md5.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "miscadmin.h"

PG_FUNCTION_INFO_V1(canonical_json);
PG_FUNCTION_INFO_V1(product_id);

typedef struct ObjectMember
{
	JsonbValue	key;
	JsonbValue	value;
} ObjectMember;

static void append_container(StringInfo out, JsonbContainer *container);

static int
compare_keys(const void *a, const void *b)
{
	const JsonbValue *x = &((const ObjectMember *) a)->key;
	const JsonbValue *y = &((const ObjectMember *) b)->key;
	int			common = Min(x->val.string.len, y->val.string.len);
	int			c = memcmp(x->val.string.val, y->val.string.val, common);

	if (c != 0)
		return c;
	return (x->val.string.len > y->val.string.len) - (x->val.string.len < y->val.string.len);
}

static void
append_string(StringInfo out, const JsonbValue *v)
{
	char	   *s = pnstrdup(v->val.string.val, v->val.string.len);

	escape_json(out, s);
	pfree(s);
}

static void
append_value(StringInfo out, JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(out, "null");
			break;
		case jbvBool:
			appendStringInfoString(out, v->val.boolean ? "true" : "false");
			break;
		case jbvString:
			append_string(out, v);
			break;
		case jbvNumeric:
			{
				Datum		trimmed = DirectFunctionCall1(numeric_trim_scale,
														  NumericGetDatum(v->val.numeric));

				appendStringInfoString(out, DatumGetCString(DirectFunctionCall1(numeric_out, trimmed)));
				break;
			}
		case jbvBinary:
			append_container(out, v->val.binary.data);
			break;
		default:
			elog(ERROR, "canonical_json: unexpected jsonb value type %d", (int) v->type);
	}
}

static void
append_container(StringInfo out, JsonbContainer *container)
{
	JsonbIterator *it = JsonbIteratorInit(container);
	JsonbValue	v;
	JsonbIteratorToken token;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	token = JsonbIteratorNext(&it, &v, true);
	if (token == WJB_BEGIN_ARRAY)
	{
		bool		first = true;

		if (!JsonContainerIsScalar(container))
			appendStringInfoChar(out, '[');
		while ((token = JsonbIteratorNext(&it, &v, true)) == WJB_ELEM)
		{
			if (!first)
				appendStringInfoChar(out, ',');
			first = false;
			append_value(out, &v);
		}
		if (!JsonContainerIsScalar(container))
			appendStringInfoChar(out, ']');
	}
	else
	{
		int			n = 0;
		ObjectMember *members = palloc(Max(JsonContainerSize(container), 1) * sizeof(ObjectMember));

		Assert(token == WJB_BEGIN_OBJECT);
		while ((token = JsonbIteratorNext(&it, &v, true)) != WJB_END_OBJECT)
		{
			if (token == WJB_KEY)
				members[n].key = v;
			else
				members[n++].value = v;
		}
		qsort(members, n, sizeof(ObjectMember), compare_keys);
		appendStringInfoChar(out, '{');
		for (int i = 0; i < n; i++)
		{
			if (i > 0)
				appendStringInfoChar(out, ',');
			append_string(out, &members[i].key);
			appendStringInfoChar(out, ':');
			append_value(out, &members[i].value);
		}
		appendStringInfoChar(out, '}');
		pfree(members);
	}
}

static StringInfo
canonical_text(Jsonb *json)
{
	StringInfo	out = makeStringInfo();

	append_container(out, &json->root);
	return out;
}

Datum
canonical_json(PG_FUNCTION_ARGS)
{
	StringInfo	out = canonical_text(PG_GETARG_JSONB_P(0));

	PG_RETURN_TEXT_P(cstring_to_text_with_len(out->data, out->len));
}

Datum
product_id(PG_FUNCTION_ARGS)
{
	StringInfo	out = canonical_text(PG_GETARG_JSONB_P(0));
	char		hex[33];
	const char *errstr = NULL;

	if (!pg_md5_hash(out->data, out->len, hex, &errstr))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("product_id: could not compute MD5: %s", errstr)));
	PG_RETURN_TEXT_P(cstring_to_text(hex));
}
