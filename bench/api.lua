-- wrk script for bench/api.py: GETs as given, or incident reports with a new id each,
-- and one machine-readable summary line at the end.
--
--   wrk ... -s bench/api.lua URL                            GET URL
--   wrk ... -s bench/api.lua URL -- post BODY_FILE PREFIX   POST BODY_FILE to URL, its
--                                                           "__ID__" replaced by a UUID:
--                                                           PREFIX (24 characters), thread, n
-- The summary line: "mamar-wrk requests=.. duration_us=.. errors=.. non2xx=.. p50_us=.. p99_us=.."

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local before, after, prefix
local counter = 0
local static

function init(args)
   if args[1] == "post" then
      local file = assert(io.open(args[2], "rb"))
      local template = file:read("*a")
      file:close()
      local at = assert(string.find(template, "__ID__", 1, true), "no __ID__ in the body")
      before = string.sub(template, 1, at - 1)
      after = string.sub(template, at + 6)
      -- args[3] is a UUID's first 24 characters: the id is a UUID (ids are generated;
      -- a client may give only a UUID of its own).
      prefix = args[3] .. string.format("%02x", thread_number or 0)
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
   else
      static = wrk.format()
   end
end

function request()
   if static then
      return static
   end
   counter = counter + 1
   return wrk.format(nil, nil, nil, before .. prefix .. string.format("%010x", counter) .. after)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "mamar-wrk requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p99_us=%d max_us=%d\n",
      summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
      latency:percentile(50), latency:percentile(99), latency.max))
end
