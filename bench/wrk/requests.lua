-- Cycles through the requests listed in the file $BENCH_REQUESTS, one per line:
--   METHOD PATH BASIC_AUTH_BASE64 [FORM_BODY]
-- "{n}" in a body becomes a counter unique to this thread and request, so every update
-- really changes a value and every create gets its own FriendlyName.
-- done() prints one machine-readable RESULT line (latencies in microseconds).
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  requests, counter = {}, 0
  local file = os.getenv("BENCH_REQUESTS") or error("BENCH_REQUESTS is not set")
  for line in io.lines(file) do
    local method, path, auth, body = line:match("^(%S+) (%S+) (%S+) ?(%S*)$")
    if method then
      local headers = { ["Authorization"] = "Basic " .. auth }
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      if body and body:find("{n}", 1, true) then
        requests[#requests + 1] = { method, path, headers, body }
      else
        requests[#requests + 1] = wrk.format(method, path, headers, body)
      end
    end
  end
  assert(#requests > 0, "no requests in " .. file)
  -- Threads start at different places in the list.
  next_index = (id * 7919) % #requests
end

function request()
  next_index = next_index % #requests + 1
  local r = requests[next_index]
  if type(r) == "string" then
    return r
  end
  counter = counter + 1
  local body = r[4]:gsub("{n}", id .. "x" .. counter)
  return wrk.format(r[1], r[2], r[3], body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
