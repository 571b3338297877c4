-- A topic's detail view: text, state, deadline, place, category, submitter and its timeline.
dofile("bench/wrk/common.lua")
local query = "query Topic($id: ID!) { node(id: $id) { ... on Topic { id title description stage stateCode "
  .. "submittedAt coSignCount coSignedByMe category { name } submitter { name } place { name } "
  .. "deadline { kind dueAt overdue } timeline { kind at actor { name } } } } }"
function operation(seq)
  return seq, '{"query":' .. q(query) .. ',"variables":{"id":' .. q(fixtures.topic) .. '}}'
end
