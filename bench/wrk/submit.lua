-- Submitting a topic about the benchmark compound, each request by the next benchmark person.
dofile("bench/wrk/common.lua")
local query = "mutation Submit($input: SubmitTopicInput!) { submitTopic(input: $input) { ok refusal { code } "
  .. "topic { id stage } } }"
function operation(seq)
  return seq, '{"query":' .. q(query) .. ',"variables":{"input":{"placeId":' .. q(fixtures.compound)
    .. ',"categoryId":' .. q(fixtures.category) .. ',"title":"压测议题 ' .. seq
    .. '","description":"压测提交的议题：楼道灯不亮，请尽快维修。"}}}'
end
