-- wrk script for scenario s1k: s1's create (bench/post.lua) with a fresh Idempotency-Key on every request, as a
-- careful client sends it (a new key per create, the same key only when it retries). The baseline ignores the header.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "post.lua")

local prefix
local counter = 0

function init(args)
  -- Each wrk thread has its own Lua state: a table's address tells them apart, the time tells runs apart.
  prefix = string.format("%x-%s", os.time(), tostring({}):match("0x(%x+)") or tostring(math.random(1, 1e9)))
end

function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = prefix .. "-" .. counter
  return wrk.format()
end
