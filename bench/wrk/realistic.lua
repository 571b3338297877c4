-- The realistic read load (issue 16): many people over many compounds, each reading their own compound's
-- feed in any of the three sorts, about a third of reads asking for page 2 by the cursor page 1 gives, and
-- BENCH_WRITE_PERCENT (default 3) of requests co-signing a topic of their compound they have not co-signed.
-- Fixtures: `bench/realistic.py fixtures` (tokens, compounds, co-signable topics, page-2 cursors).
--
-- Each wrk thread acts for its own people (index ≡ thread id mod threads), so a person's co-signs are
-- counted in one place and nobody co-signs a topic twice; a person with nothing left to co-sign reads.
dofile("bench/wrk/common.lua")

local feed = "query Feed($place: ID!, $sort: TopicSort, $after: String) { "
  .. "topics(placeId: $place, sort: $sort, first: 20, after: $after) { edges { cursor node { id title stage "
  .. "submittedAt coSignCount coSignedByMe category { id name } submitter { id name } } } "
  .. "pageInfo { hasNextPage endCursor } } }"
local cosign = "mutation CoSign($id: ID!) { coSignTopic(topicId: $id) { ok refusal { code } topic { id coSignCount } } }"
local sorts = { "NEWEST", "MOST_CO_SIGNED", "NEAREST_DEADLINE" }
local write_share = tonumber(os.getenv("BENCH_WRITE_PERCENT") or "3") / 100
local page2_share = 1 / 3
local co_signed = {}
local seeded = false

function operation(_)
  if not seeded then
    -- The same sequence on every run, different per thread.
    math.randomseed(1009 + 7919 * id)
    seeded = true
  end
  local n = #fixtures.tokens
  local mine = math.floor((n - 1 - id) / nthreads)
  local person = id + nthreads * math.random(0, mine)
  if math.random() < write_share then
    local k = (co_signed[person] or 0) + 1
    local topic = fixtures.co_signable[person + 1][k]
    if topic then
      co_signed[person] = k
      return person, '{"query":' .. q(cosign) .. ',"variables":{"id":' .. q(topic) .. '}}'
    end
  end
  local sort = sorts[math.random(1, #sorts)]
  local compound = fixtures.compounds[person + 1]
  local after = "null"
  if math.random() < page2_share then
    local cursors = fixtures.cursors[compound]
    if cursors and cursors[sort] then after = q(cursors[sort]) end
  end
  return person, '{"query":' .. q(feed) .. ',"variables":{"place":' .. q(compound) .. ',"sort":' .. q(sort)
    .. ',"after":' .. after .. '}}'
end
