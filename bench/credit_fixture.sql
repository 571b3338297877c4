-- Contracts and service requests for the credit benchmark (bench/README.md, "A quarter's accountability
-- computation"). The seeded city (`gongzhi seed-bench`) has compounds and topics but no property companies,
-- no routed topics and no service outcomes, so a quarter's computation would score nobody. Run once on a
-- COPY of the seeded database (it changes topics), then ANALYZE'd, before `gongzhi compute-quarter`:
--   psql -h 127.0.0.1 -U postgres -d gongzhi_credit -v ON_ERROR_STOP=1 -f bench/credit_fixture.sql
-- Deterministic: every choice is a hash of the row's id, so two runs over one seed give the same city.
-- Not idempotent: a second run adds 50 more companies (which then hold no compound) and more events.

BEGIN;

-- 50 companies.
INSERT INTO property_companies (id, name, credit_code, created_at)
SELECT gen_random_uuid(), '基准物业' || g, NULL, now() FROM generate_series(1, 50) g;

-- Every compound without a contract gets one of them.
WITH c AS (SELECT array_agg(id ORDER BY name) AS ids FROM property_companies WHERE name LIKE '基准物业%')
UPDATE places p SET property_company_id = c.ids[1 + abs(hashtext(p.id::text)) % 50]
FROM c WHERE p.kind = 'compound' AND p.property_company_id IS NULL;

-- A fifth of the topics are service requests routed to their compound's company a day after submission.
UPDATE topics t SET company_id = p.property_company_id, routed_at = t.submitted_at + interval '1 day'
FROM places p WHERE p.id = t.compound_id AND abs(hashtext(t.id::text)) % 5 = 0;

-- Two thirds of those are reported done, 0–9 days after routing (the credit record counts ≤ 7 as on time).
INSERT INTO topic_events (id, topic_id, actor_id, at, kind, visibility, note, payload)
SELECT gen_random_uuid(), t.id, NULL, t.routed_at + (abs(hashtext(t.id::text)) % 10) * interval '1 day',
       'service_done', 'public', NULL, '{}'
FROM topics t WHERE t.routed_at IS NOT NULL AND abs(hashtext(t.id::text)) % 3 <> 0;

COMMIT;

ANALYZE;
