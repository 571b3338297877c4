-- The owners' vote's result: counts by choice (by area and heads) and the statutory criteria, tallied by
-- the database over its 5,000+ ballots on every request.
dofile("bench/wrk/common.lua")
local query = "query Tally($id: ID!) { node(id: $id) { ... on Vote { id result { verdict electorateAreaM2 "
  .. "electorateHeads counts { choice count areaM2 } criteria { name met } } } } }"
function operation(seq)
  return seq, '{"query":' .. q(query) .. ',"variables":{"id":' .. q(fixtures.vote) .. '}}'
end
