-- single_score against the 15 Ecobalyse e2e textile cases (test/data/ecobalyse_e2e_textile.csv,
-- MIT, see test/data/LICENSES.md): pef within 1e-5 relative of the published values
-- (6 significant digits).  ecs_impacts is the 'ecs' score of the impacts alone, computed
-- by test/reference/stats_reference.py; Ecobalyse's published ecs adds complements.
SET search_path = chemeco, public;
CREATE TEMP TABLE e2e (case_no int, name text, impacts jsonb, pef float8, ecs float8, ecs_impacts float8);
\copy e2e FROM 'test/data/ecobalyse_e2e_textile.csv' WITH (FORMAT csv, HEADER)

SELECT method, count(*), round(sum(weighting)::numeric, 4) AS total_weighting FROM impact_category
GROUP BY method ORDER BY method;

SELECT case_no, round(single_score(impacts)::numeric, 3) AS pef_ours, pef AS pef_published,
       abs(single_score(impacts) / pef - 1) < 1e-5 AS pef_ok,
       abs(single_score(impacts, 'ecs') / ecs_impacts - 1) < 1e-12 AS ecs_ok
FROM e2e ORDER BY case_no;
SELECT to_char(max(abs(single_score(impacts) / pef - 1)), '9.9EEEE') AS max_pef_relative_error FROM e2e;

-- key order, the aggregate keys and strictness
SELECT single_score('{"acd": 1, "cch": 2}', strict => false) = single_score('{"cch": 2, "acd": 1}', strict => false) AS key_order,
       round(single_score('{"acd": 1}', 'pef', false)::numeric, 6) AS acd_only,   -- 1/55.5695*0.062*1e6
       single_score('{"acd": null}', 'pef', false) AS null_is_missing,
       single_score('{"pef": 5, "ecs": 7, "etf-c": 3}', 'pef', false) AS other_keys_ignored,
       round(single_score(jsonb_build_object('etf-c', 98120), 'ecs', false)::numeric, 3) AS etf_c_ecs;
\set VERBOSITY sqlstate
SELECT single_score('{"acd": 1}');
SELECT single_score('{"acd": 1, "xyz": 2}', strict => false);
SELECT single_score('{"acd": "1"}', strict => false);
SELECT single_score('[1, 2]');
SELECT single_score('{"acd": 1}', 'ef3', false);
SELECT single_score('{"acd": 1e400}', strict => false);
\set VERBOSITY default
SELECT single_score('{"acd": 1}');
SELECT single_score('{"acd": 1, "xyz": 2}', strict => false);

-- product_id: md5 of the canonical JSON (keys sorted bytewise, numbers normalised)
SELECT canonical_json('{"b": [3, {"z": 1, "a": "x\"y"}], "a": 1.50, "é": true, "aa": null, "B": 1e2}');
SELECT product_id('{"mass": 0.17, "product": "tshirt", "materials": [{"id": "ei-coton", "share": 1}]}')
     = product_id('{"materials": [{"share": 1.0, "id": "ei-coton"}], "product": "tshirt", "mass": 0.170}') AS key_order_stable,
       product_id('{"a": [1, 2]}') <> product_id('{"a": [2, 1]}') AS array_order_matters,
       product_id('{}') = md5('{}') AS md5_of_canonical,
       product_id('"x"') = md5('"x"') AS scalar;
-- md5 of Python's json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False)
SELECT product_id('{"product": "tshirt", "mass": 0.17, "materials": [{"share": 1, "id": "ei-coton"}]}')
     = '55c52bf8b0ab48436f6b08cba5400df1' AS matches_python;
