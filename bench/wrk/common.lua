-- Shared by every scenario: loads the fixtures written by `gongzhi bench-fixtures` (BENCH_FIXTURES), sends
-- GraphQL POSTs with a bearer token (the benchmark people in turn), and counts what is not a result:
-- non-200 answers, 200 answers whose body has "errors", and mutation payloads refused ("ok":false).
-- `done` prints one `RESULT key=value …` line; bench/read_path.sh reads it. A run with any of these
-- counted is not a result.
--
-- A scenario file sets `operation(seq)` returning (token index, body) and then `require`s nothing:
-- it does `dofile("bench/wrk/common.lua")` first.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  fixtures = dofile(os.getenv("BENCH_FIXTURES") or "bench/wrk/fixtures.lua")
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  seq = id
  errors, non200, refused = 0, 0, 0
  sample = nil
end

function request()
  local person, body = operation(seq)
  seq = seq + nthreads
  local token = fixtures.tokens[(person % #fixtures.tokens) + 1]
  return wrk.format("POST", "/graphql", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    sample = sample or (status .. " " .. body)
  elseif body:find('"errors"', 1, true) then
    errors = errors + 1
    sample = sample or body
  elseif body:find('"ok":false', 1, true) then
    refused = refused + 1
    sample = sample or body
  end
end

function done(summary, latency, requests)
  local e, n, r, s = 0, 0, 0, nil
  for _, t in ipairs(threads) do
    e = e + t:get("errors")
    n = n + t:get("non200")
    r = r + t:get("refused")
    s = s or t:get("sample")
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  if s then io.stderr:write("first failed response: " .. string.sub(s, 1, 400) .. "\n") end
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f graphql_errors=%d non200=%d refused=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e, n, r, socket))
end

-- A JSON string literal (the ids and tokens are ASCII without quotes; this is for the variables).
function q(s) return '"' .. s .. '"' end
