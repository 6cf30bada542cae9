-- chemeco 0.1 -> 0.2.  Changes to objects that 0.1 created, in the order
-- they were made; the Makefile appends the pieces of capabilities new in 0.2.
-- A fresh 0.2 install and 0.1 + this script must give the same schema
-- (test/upgrade/upgrade.sh checks it).

\echo Use "ALTER EXTENSION chemeco UPDATE TO '0.2'" to load this file. \quit

-- robust: model names checked before training and documents on register (issue 14)
CREATE FUNCTION model_check_name(name text) RETURNS void
	LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF char_length($1) NOT BETWEEN 1 AND 200 THEN
		RAISE EXCEPTION 'model name must have 1 to 200 characters, got %', char_length($1)
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
END
$$;
COMMENT ON FUNCTION model_check_name(text) IS 'raises 22023 unless a model name has 1 to 200 characters';

CREATE OR REPLACE FUNCTION model_register(name text, document jsonb) RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	next_version int;
BEGIN
	PERFORM chemeco.model_check_name($1);
	-- a document predict() could not read is refused now, not at the first prediction
	PERFORM chemeco.model_document('chemeco-json', $2::text);
	-- serialize concurrent registrations of one name by one role
	PERFORM pg_advisory_xact_lock(hashtext('chemeco.model'), hashtext(current_user || '/' || $1));
	SELECT coalesce(max(m.version), 0) + 1 INTO next_version
	FROM chemeco.model m WHERE m.name = $1 AND m.owner = current_user;
	INSERT INTO chemeco.model (name, version, algorithm, features, metrics, document)
	VALUES ($1, next_version, $2 ->> 'algorithm', $2 -> 'features', coalesce($2 -> 'metrics', '{}'), $2);
	RETURN next_version;
END
$$;
COMMENT ON FUNCTION model_register(text, jsonb) IS 'stores a chemeco-json document as the next version of a model; returns the version';

CREATE OR REPLACE FUNCTION train(name text, algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	AS $$
BEGIN
	PERFORM chemeco.model_check_name($1);  -- before training, not after
	RETURN chemeco.model_register($1, chemeco.train_document($2, $3, $4, $5));
END
$$;
COMMENT ON FUNCTION train(text, text, text, text, jsonb) IS 'trains linear, gradient_boosting or random_forest on a query (run as the caller) and registers the next version';

-- robust: predict() -- unknown keys are an error unless allow_extra_keys; JSON text overloads so that
-- an untyped literal is not ambiguous (issue 14).  The 0.1 C symbol model_predict_jsonb stays in the module.
DROP FUNCTION predict(text, jsonb);
DROP FUNCTION predict(text, int, jsonb);
CREATE FUNCTION predict(model text, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, jsonb, boolean) IS 'prediction of the latest version of a model from named features (absent or null = missing; unknown keys are an error unless allow_extra_keys)';

-- JSON text: an untyped literal ('{"mass": 0.3}', a client's string parameter) resolves to
-- this form, not ambiguously to float8[] or jsonb; inlined into the jsonb call
CREATE FUNCTION predict(model text, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2::jsonb, $3) $$;
COMMENT ON FUNCTION predict(text, text, boolean) IS 'predict(model, features::jsonb, allow_extra_keys): named features as JSON text';

CREATE FUNCTION predict(model text, version int, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, jsonb, boolean) IS 'prediction of a given version of a model from named features';

CREATE FUNCTION predict(model text, version int, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2, $3::jsonb, $4) $$;
COMMENT ON FUNCTION predict(text, int, text, boolean) IS 'predict(model, version, features::jsonb, allow_extra_keys): named features as JSON text';
