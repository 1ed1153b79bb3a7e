-- bench/wrk/get.lua: GET of wrk's URL path, optionally as seeded users.
-- WRK_TOKENS names a file whose lines end with an access token (the seed's
-- trusted.txt); each thread takes the tokens, starting at a different one,
-- and the requests are formatted once in init so that the per-request work
-- in Lua is an index and a return (the load generator must stay light).
-- WRK_LIB is this directory, for the shared done() hook.
dofile(os.getenv("WRK_LIB") .. "/report.lua")

local prepared = {}
local next_one = 0
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_index", thread_counter)
end

function init(args)
  local path = os.getenv("WRK_TOKENS")
  if path == nil or path == "" then
    prepared[1] = wrk.format("GET")
    return
  end
  local limit = tonumber(os.getenv("WRK_TOKENS_MAX") or "2000")
  for line in io.lines(path) do
    local token = line:match("(%S+)%s*$")
    if token then
      prepared[#prepared + 1] = wrk.format("GET", nil, {["Authorization"] = "Bearer " .. token})
      if #prepared >= limit then break end
    end
  end
  next_one = ((thread_index or 1) * 997) % #prepared
end

function request()
  next_one = next_one % #prepared + 1
  return prepared[next_one]
end
