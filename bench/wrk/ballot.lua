-- Casting a ballot in the 5,000-ballot owners' vote: the benchmark people (owners on its roll) in turn,
-- each changing their ballot (the last one counts).
dofile("bench/wrk/common.lua")
local query = "mutation Cast($input: CastBallotInput!) { castBallot(input: $input) { ok refusal { code } "
  .. "vote { id myBallot } } }"
local choices = { "FOR", "AGAINST", "ABSTAIN" }
function operation(seq)
  return seq, '{"query":' .. q(query) .. ',"variables":{"input":{"voteId":' .. q(fixtures.vote)
    .. ',"choice":"' .. choices[(seq % 3) + 1] .. '"}}}'
end
