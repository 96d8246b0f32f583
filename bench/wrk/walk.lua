-- Walks the list by next_page_uri, as a client paging through a whole tenant does:
-- every .json page's next_page_uri becomes a later request, and a finished walk starts
-- again at $BENCH_FIRST. Each connection keeps walking its own chain.
-- $BENCH_AUTH is the Basic credential in base64. done() prints one RESULT line.
function init(args)
  headers = { ["Authorization"] = "Basic " .. (os.getenv("BENCH_AUTH") or error("BENCH_AUTH is not set")) }
  first = wrk.format("GET", os.getenv("BENCH_FIRST") or error("BENCH_FIRST is not set"), headers)
  queue, head, tail, pages, walks = {}, 1, 0, 0, 0
end

function request()
  if head <= tail then
    local path = queue[head]
    queue[head] = nil
    head = head + 1
    return wrk.format("GET", path, headers)
  end
  return first
end

function response(status, _, body)
  local next_uri = body and body:match('"next_page_uri":"([^"]+)"')
  if next_uri then
    tail = tail + 1
    queue[tail] = next_uri
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.0f max_us=%d " ..
    "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
