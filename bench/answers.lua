-- answers.lua - wrk script: save checklist answers (PUT /api/v1/diagnoses/{id}/answers/{item})
-- as an auditor would, each a real write with the version the client last saw.
-- Env: BENCH_DIAG (diagnosis id), BENCH_ITEMS ("id,id,…"), BENCH_COOKIE, BENCH_CSRF.
-- Each wrk thread owns a disjoint share of the items and never has two requests
-- in flight for one item, so no answer meets a version conflict (a 409 would
-- show up as non-2xx and invalidate the run).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  nthreads = counter > 0 and counter or tonumber(os.getenv("BENCH_THREADS") or "2")
  diag = os.getenv("BENCH_DIAG")
  cookie = os.getenv("BENCH_COOKIE")
  csrf = os.getenv("BENCH_CSRF")
  items, version, busy = {}, {}, {}
  local i = 0
  for id in string.gmatch(os.getenv("BENCH_ITEMS"), "%d+") do
    if i % nthreads == tid then
      table.insert(items, id)
      version[id] = 0
    end
    i = i + 1
  end
  nextp = 1
end

function request()
  for _ = 1, #items do
    local id = items[nextp]
    nextp = nextp % #items + 1
    if not busy[id] then
      busy[id] = true
      local v = version[id]
      local body = string.format('{"score":%d,"finding":"基准测试 %d","kind":"pain","version":%d}',
                                 v % 5 + 1, v, v)
      return wrk.format("PUT", "/api/v1/diagnoses/" .. diag .. "/answers/" .. id,
                        {["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
                         ["Content-Type"] = "application/json"}, body)
    end
  end
  return wrk.format("GET", "/healthz")
end

function response(status, headers, body)
  local id, v = string.match(body, '"item_id":(%d+),.-"version":(%d+)')
  if id and version[id] then
    version[id] = tonumber(v)
    busy[id] = nil
  end
end
