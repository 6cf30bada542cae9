-- test/upgrade/schema_fingerprint.sql: one line per property of every object
-- that belongs to extension chemeco, in a stable order, so that two
-- databases (a fresh install and an upgraded one) can be compared with diff.
-- Objects are named, never numbered: OIDs differ between the two.
\pset format unaligned
\pset tuples_only on
\pset footer off
WITH ext AS (
	SELECT oid FROM pg_extension WHERE extname = 'chemeco'
), member AS (
	SELECT d.classid, d.objid
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), lines AS (
	-- every member, with its comment
	SELECT pg_describe_object(m.classid, m.objid, 0) AS object,
		'comment' AS property,
		coalesce(obj_description(m.objid, m.classid::regclass::text), '') AS value
	FROM member m
	UNION ALL
	-- functions and procedures: the whole definition (volatility, strictness,
	-- parallel safety, security, cost, rows, defaults, body, symbol)
	SELECT 'function ' || p.oid::regprocedure, 'definition', pg_get_functiondef(p.oid)
	FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	WHERE p.prokind <> 'a'
	UNION ALL
	SELECT 'function ' || p.oid::regprocedure, 'acl', coalesce(p.proacl::text, '')
	FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	UNION ALL
	-- aggregates: support functions, state type, initial value, flags
	SELECT 'aggregate ' || p.oid::regprocedure, 'definition',
		concat_ws(' ', 'kind=' || a.aggkind::text, 'args=' || pg_get_function_arguments(p.oid),
			'result=' || pg_get_function_result(p.oid),
			'sfunc=' || a.aggtransfn::regprocedure, 'stype=' || format_type(a.aggtranstype, NULL),
			'sspace=' || a.aggtransspace, 'final=' || a.aggfinalfn::regprocedure,
			'finalextra=' || a.aggfinalextra, 'finalmodify=' || a.aggfinalmodify::text,
			'combine=' || a.aggcombinefn::regprocedure, 'serial=' || a.aggserialfn::regprocedure,
			'deserial=' || a.aggdeserialfn::regprocedure, 'msfunc=' || a.aggmtransfn::regprocedure,
			'minv=' || a.aggminvtransfn::regprocedure, 'mfinal=' || a.aggmfinalfn::regprocedure,
			'sortop=' || a.aggsortop::regoperator, 'init=' || coalesce(a.agginitval, '<null>'),
			'parallel=' || p.proparallel::text, 'strict=' || p.proisstrict, 'volatile=' || p.provolatile::text)
	FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
		JOIN pg_aggregate a ON a.aggfnoid = p.oid
	UNION ALL
	-- types: storage properties and I/O functions; domains' constraints
	SELECT 'type ' || format_type(t.oid, NULL), 'definition',
		concat_ws(' ', 'type=' || t.typtype::text, 'len=' || t.typlen, 'byval=' || t.typbyval,
			'align=' || t.typalign::text, 'storage=' || t.typstorage::text, 'in=' || t.typinput::regproc,
			'out=' || t.typoutput::regproc, 'recv=' || t.typreceive::regproc,
			'send=' || t.typsend::regproc, 'analyze=' || t.typanalyze::regproc,
			'category=' || t.typcategory::text, 'preferred=' || t.typispreferred,
			'subscript=' || t.typsubscript::regproc, 'base=' || format_type(t.typbasetype, NULL),
			'notnull=' || t.typnotnull, 'default=' || coalesce(t.typdefault, '<null>'),
			'collation=' || t.typcollation, 'acl=' || coalesce(t.typacl::text, ''))
	FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	UNION ALL
	-- relations: kind, options, row security, privileges
	SELECT 'relation ' || c.oid::regclass, 'definition',
		concat_ws(' ', 'kind=' || c.relkind::text, 'persistence=' || c.relpersistence::text,
			'rowsecurity=' || c.relrowsecurity, 'forcerowsecurity=' || c.relforcerowsecurity,
			'options=' || coalesce(c.reloptions::text, ''), 'acl=' || coalesce(c.relacl::text, ''),
			'replident=' || c.relreplident::text)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	UNION ALL
	-- columns, in order, with type, default, nullability, identity, column privileges
	SELECT 'relation ' || c.oid::regclass, 'column ' || lpad(a.attnum::text, 3, '0'),
		concat_ws(' ', quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
			CASE WHEN a.attnotnull THEN 'NOT NULL' END,
			'default=' || pg_get_expr(ad.adbin, ad.adrelid), 'identity=' || nullif(a.attidentity::text, ''),
			'generated=' || nullif(a.attgenerated::text, ''), 'collation=' || nullif(a.attcollation, 0)::regcollation,
			'storage=' || a.attstorage::text, 'acl=' || a.attacl::text)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
	UNION ALL
	-- constraints (CHECK, keys, foreign keys) by name and definition
	SELECT 'relation ' || c.oid::regclass, 'constraint ' || co.conname, pg_get_constraintdef(co.oid)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
		JOIN pg_constraint co ON co.conrelid = c.oid
	UNION ALL
	-- indexes on member tables (those of keys and those created apart)
	SELECT 'relation ' || c.oid::regclass, 'index ' || i.indexrelid::regclass, pg_get_indexdef(i.indexrelid)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
		JOIN pg_index i ON i.indrelid = c.oid
	UNION ALL
	-- row-level security policies
	SELECT 'relation ' || c.oid::regclass, 'policy ' || pol.polname,
		concat_ws(' ', 'cmd=' || pol.polcmd::text, 'permissive=' || pol.polpermissive,
			'roles=' || pol.polroles::regrole[]::text, 'using=' || pg_get_expr(pol.polqual, pol.polrelid),
			'check=' || pg_get_expr(pol.polwithcheck, pol.polrelid))
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
		JOIN pg_policy pol ON pol.polrelid = c.oid
	UNION ALL
	-- triggers and views
	SELECT 'relation ' || c.oid::regclass, 'trigger ' || tg.tgname, pg_get_triggerdef(tg.oid)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
		JOIN pg_trigger tg ON tg.tgrelid = c.oid AND NOT tg.tgisinternal
	UNION ALL
	SELECT 'relation ' || c.oid::regclass, 'view', pg_get_viewdef(c.oid)
	FROM member m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	WHERE c.relkind::text IN ('v', 'm')
	UNION ALL
	-- sequences
	SELECT 'relation ' || s.seqrelid::regclass, 'sequence',
		concat_ws(' ', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmax, s.seqmin,
			s.seqcache, s.seqcycle)
	FROM member m JOIN pg_sequence s ON m.classid = 'pg_class'::regclass AND s.seqrelid = m.objid
	UNION ALL
	-- operators
	SELECT 'operator ' || o.oid::regoperator, 'definition',
		concat_ws(' ', 'code=' || o.oprcode::regprocedure, 'result=' || format_type(o.oprresult, NULL),
			'commutator=' || nullif(o.oprcom, 0)::regoperator, 'negator=' || nullif(o.oprnegate, 0)::regoperator,
			'restrict=' || o.oprrest::regproc, 'join=' || o.oprjoin::regproc,
			'hashes=' || o.oprcanhash, 'merges=' || o.oprcanmerge)
	FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	UNION ALL
	-- operator classes and families, with their operators and support functions
	SELECT 'opclass ' || pg_describe_object('pg_opclass'::regclass, oc.oid, 0), 'definition',
		concat_ws(' ', 'default=' || oc.opcdefault, 'type=' || format_type(oc.opcintype, NULL),
			'storage=' || format_type(nullif(oc.opckeytype, 0), NULL),
			'family=' || pg_describe_object('pg_opfamily'::regclass, oc.opcfamily, 0))
	FROM member m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND oc.oid = m.objid
	UNION ALL
	SELECT 'opfamily ' || pg_describe_object('pg_opfamily'::regclass, f.oid, 0), 'member',
		pg_describe_object('pg_amop'::regclass, ao.oid, 0) || ' purpose=' || ao.amoppurpose::text ||
			' sortfamily=' || coalesce(pg_describe_object('pg_opfamily'::regclass, nullif(ao.amopsortfamily, 0), 0), '')
	FROM member m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
		JOIN pg_amop ao ON ao.amopfamily = f.oid
	UNION ALL
	SELECT 'opfamily ' || pg_describe_object('pg_opfamily'::regclass, f.oid, 0), 'member',
		pg_describe_object('pg_amproc'::regclass, ap.oid, 0)
	FROM member m JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid
		JOIN pg_amproc ap ON ap.amprocfamily = f.oid
	UNION ALL
	-- access methods and casts
	SELECT 'access method ' || am.amname, 'definition', am.amtype::text || ' ' || am.amhandler::regproc
	FROM member m JOIN pg_am am ON m.classid = 'pg_am'::regclass AND am.oid = m.objid
	UNION ALL
	SELECT pg_describe_object(m.classid, m.objid, 0), 'definition',
		concat_ws(' ', 'func=' || nullif(ca.castfunc, 0)::regprocedure, 'context=' || ca.castcontext::text,
			'method=' || ca.castmethod::text)
	FROM member m JOIN pg_cast ca ON m.classid = 'pg_cast'::regclass AND ca.oid = m.objid
	UNION ALL
	-- what pg_dump keeps (pg_extension_config_dump), as a set
	SELECT 'extension chemeco', 'config dump ' || cfg.rel::regclass, coalesce(cfg.cond, '')
	FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS cfg(rel, cond)
	WHERE e.extname = 'chemeco'
	UNION ALL
	-- privileges as installed (pg_dump restores them from pg_init_privs)
	SELECT pg_describe_object(ip.classoid, ip.objoid, ip.objsubid), 'initial privileges',
		ip.privtype::text || ' ' || ip.initprivs::text
	FROM pg_init_privs ip JOIN member m ON m.classid = ip.classoid AND m.objid = ip.objoid
	UNION ALL
	SELECT 'schema chemeco', 'definition',
		concat_ws(' ', 'owner=' || n.nspowner::regrole, 'acl=' || coalesce(n.nspacl::text, ''))
	FROM pg_namespace n WHERE n.nspname = 'chemeco'
	UNION ALL
	SELECT 'extension chemeco', 'version', extversion FROM pg_extension WHERE extname = 'chemeco'
)
SELECT object || ' | ' || property || ' | ' || replace(value, E'\n', '\n')
FROM lines
ORDER BY object COLLATE "C", property COLLATE "C", value COLLATE "C";
