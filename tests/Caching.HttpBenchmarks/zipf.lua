-- wrk script: GET /data?id=N with N Zipf-distributed over 1..n (rank 1 the most popular).
-- Arguments after "--": n (default 1000), exponent s (default 1.0), and an optional generation appended as &gen=G,
-- which gives the cold scenario a key space nobody has asked for yet.
local n, s, gen = 1000, 1.0, nil
local cdf = {}
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  n = tonumber(args[1] or "1000")
  s = tonumber(args[2] or "1.0")
  gen = args[3]
  local sum = 0
  for i = 1, n do
    sum = sum + 1 / (i ^ s)
    cdf[i] = sum
  end
  for i = 1, n do
    cdf[i] = cdf[i] / sum
  end
  -- Fixed seeds: every contestant gets the same sequence of URLs from each wrk thread.
  math.randomseed(7919 * (thread_number or 1))
end

function request()
  local r = math.random()
  local lo, hi = 1, n
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < r then lo = mid + 1 else hi = mid end
  end
  local path = "/data?id=" .. lo
  if gen then path = path .. "&gen=" .. gen end
  return wrk.format("GET", path)
end
