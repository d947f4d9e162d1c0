-- wrk script for bench/serve.py: cycles over a list of requests and prints one JSON line of results.
--
--   wrk -t1 -c8 -d10s --timeout 30s -H 'Accept: …' -s bench/wrk/report.lua http://127.0.0.1:PORT -- REQUESTS
--
-- REQUESTS is a file with one request per line: "GET <path>" or "POST <path> <url-encoded form body>".
-- Every thread counts the responses whose status is not 2xx (wrk's own summary.errors.status counts only
-- status > 399); done() adds them up and prints, after the marker "WRK_JSON ", the request count, the
-- duration, socket errors by kind, non-2xx responses and latency percentiles in microseconds.

local requests = {}
local counter = 0
local threads = {}
non2xx = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot read the request list " .. tostring(args[1]))
  for line in file:lines() do
    local method, path, body = line:match("^(%u+) (%S+) ?(%S*)$")
    if method then
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
  end
  file:close()
  assert(#requests > 0, "no request in " .. args[1])
  counter = math.random(#requests) - 1 -- threads start at different places in the cycle
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "timeout": %d, "status_over_399": %d, "non2xx": %d}, "latency_us": {"min": %d, ' ..
    '"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status, bad,
    latency.min, latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99)))
end
