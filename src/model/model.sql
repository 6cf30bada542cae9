-- ------------------------------------------------------------------
-- Models: catalogue, import/export, scoring, training (src/model/)
-- ------------------------------------------------------------------
CREATE TABLE model (
	name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
	version int NOT NULL CHECK (version >= 1),
	algorithm text NOT NULL,
	features jsonb NOT NULL,
	metrics jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	owner name NOT NULL DEFAULT current_user,
	document jsonb NOT NULL,
	-- (name, version) is unique among the models a role can see (its own)
	PRIMARY KEY (owner, name, version)
);
COMMENT ON TABLE model IS 'model catalogue: one row per (owner, name, version); document is chemeco-json';

-- Each role sees and changes only its own models.
ALTER TABLE model ENABLE ROW LEVEL SECURITY;
CREATE POLICY model_owner ON model
	USING (owner = current_user) WITH CHECK (owner = current_user);
GRANT SELECT, INSERT, UPDATE, DELETE ON model TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('model', '');

CREATE FUNCTION model_document(format text, document text) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_document(text, text) IS 'validates an xgboost-json or chemeco-json document and returns its chemeco-json form';

-- the catalogue's CHECK on model.name, checked before any work (and without the row in the message)
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

CREATE FUNCTION model_register(name text, document jsonb) RETURNS int
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

CREATE FUNCTION model_import(name text, format text, document text) RETURNS int
	LANGUAGE sql VOLATILE STRICT
	SET search_path = pg_catalog, pg_temp
	AS $$
	-- a chemeco-json document keeps its metrics (e.g. a model exported from another database)
	SELECT chemeco.model_register($1, chemeco.model_document($2, $3) ||
		CASE WHEN $2 = 'chemeco-json' AND jsonb_typeof($3::jsonb -> 'metrics') = 'object'
		     THEN jsonb_build_object('metrics', $3::jsonb -> 'metrics') ELSE '{}' END)
	$$;
COMMENT ON FUNCTION model_import(text, text, text) IS 'imports an xgboost-json or chemeco-json model as the next version; returns the version';

CREATE FUNCTION model_export(name text, version int DEFAULT NULL) RETURNS jsonb
	LANGUAGE plpgsql STABLE
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	result jsonb;
BEGIN
	SELECT m.document INTO result FROM chemeco.model m
	WHERE m.name = $1 AND ($2 IS NULL OR m.version = $2)
	ORDER BY m.owner = current_user DESC, m.version DESC LIMIT 1;
	IF result IS NULL THEN
		RAISE EXCEPTION 'model "%" version % does not exist', $1, coalesce($2::text, '(latest)')
			USING ERRCODE = 'undefined_object';
	END IF;
	RETURN result;
END
$$;
COMMENT ON FUNCTION model_export(text, int) IS 'the chemeco-json document of a model version (latest when version is NULL)';

-- COST: a call walks every tree of the model (microseconds), which makes parallel plans worth it
CREATE FUNCTION predict(model text, features float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_array' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, float8[]) IS 'prediction of the latest version of a model from its encoded columns (NULL or NaN = missing)';

CREATE FUNCTION predict(model text, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, jsonb, boolean) IS 'prediction of the latest version of a model from named features (absent or null = missing; unknown keys are an error unless allow_extra_keys)';

-- JSON text: an untyped literal ('{"mass": 0.3}', a client's string parameter) resolves to
-- this form, not ambiguously to float8[] or jsonb; inlined into the jsonb call
CREATE FUNCTION predict(model text, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2::jsonb, $3) $$;
COMMENT ON FUNCTION predict(text, text, boolean) IS 'predict(model, features::jsonb, allow_extra_keys): named features as JSON text';

CREATE FUNCTION predict(model text, version int, features float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_array' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, float8[]) IS 'prediction of a given version of a model from its encoded columns';

CREATE FUNCTION predict(model text, version int, features jsonb, allow_extra_keys boolean DEFAULT false) RETURNS float8
	AS 'MODULE_PATHNAME', 'model_predict_named' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION predict(text, int, jsonb, boolean) IS 'prediction of a given version of a model from named features';

CREATE FUNCTION predict(model text, version int, features text, allow_extra_keys boolean DEFAULT false) RETURNS float8
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	AS $$ SELECT @extschema@.predict($1, $2, $3::jsonb, $4) $$;
COMMENT ON FUNCTION predict(text, int, text, boolean) IS 'predict(model, version, features::jsonb, allow_extra_keys): named features as JSON text';

CREATE FUNCTION train_document(algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS jsonb
	AS 'MODULE_PATHNAME', 'model_train_document' LANGUAGE C VOLATILE STRICT;
COMMENT ON FUNCTION train_document(text, text, text, jsonb) IS 'trains a model on the rows of a query and returns its chemeco-json document with hold-out metrics';

-- no SET search_path here: the data query runs with the caller's settings
CREATE FUNCTION train(name text, algorithm text, data text, target text, params jsonb DEFAULT '{}') RETURNS int
	LANGUAGE plpgsql VOLATILE STRICT
	AS $$
BEGIN
	PERFORM chemeco.model_check_name($1);  -- before training, not after
	RETURN chemeco.model_register($1, chemeco.train_document($2, $3, $4, $5));
END
$$;
COMMENT ON FUNCTION train(text, text, text, text, jsonb) IS 'trains linear, logistic, gradient_boosting or random_forest on a query (run as the caller) and registers the next version';
