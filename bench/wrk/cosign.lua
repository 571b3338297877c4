-- Co-signing: request number `seq` is person seq % P on open topic seq / P, so no pair repeats while
-- seq < P × topics. The fixtures' people have co-signed nothing before the run.
dofile("bench/wrk/common.lua")
local query = "mutation CoSign($id: ID!) { coSignTopic(topicId: $id) { ok refusal { code } topic { id coSignCount } } }"
function operation(seq)
  local people = #fixtures.tokens
  local topic = fixtures.open_topics[(math.floor(seq / people) % #fixtures.open_topics) + 1]
  return seq, '{"query":' .. q(query) .. ',"variables":{"id":' .. q(topic) .. '}}'
end
