-- A feed page: the first 20 topics of the benchmark compound (a resident's feed), newest first, with category, submitter,
-- co-sign count and whether the viewer co-signed. The same query the reference answers.
dofile("bench/wrk/common.lua")
local query = "query Feed($place: ID!) { topics(placeId: $place, first: 20) { edges { cursor node { id title stage "
  .. "submittedAt coSignCount coSignedByMe category { id name } submitter { id name } } } "
  .. "pageInfo { hasNextPage endCursor } } }"
function operation(seq)
  return seq, '{"query":' .. q(query) .. ',"variables":{"place":' .. q(fixtures.compound) .. '}}'
end
