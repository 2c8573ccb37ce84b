-- Long-tail load for wrk: request i is built from record i of a fixed-width records file
-- (bench/draws.py writes it; every record is "<value> <user>" padded to one width).
--
-- wrk -s bench/stream.lua URL -- RECORDS WIDTH START THREADS METHOD PATH_PREFIX PATH_SUFFIX
--     PATH_VALUE BODY_PREFIX BODY_SUFFIX PUBLIC_AUTH USERS_FILE
--
-- PATH_VALUE: "value" puts the record's value into the path, "playlist" the user's own playlist
-- (the value then goes into the body). BODY_PREFIX/SUFFIX: around the value, none when both
-- are empty. PUBLIC_AUTH: an Authorization header value for every request; else (empty) each
-- request carries its user's token. USERS_FILE: one "token playlist_id" line per user.
--
-- Threads interleave (thread k takes START+k, START+k+THREADS, ...), so no record is sent
-- twice in one run; done() prints the highest position reached ("bench-cursor N") and the
-- harness starts the next measurement there: every measurement gets records no earlier one
-- used, and a run that had to wrap around the file prints "bench-wrapped".

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local data, width, step
local method_sp, prefix, suffix, via_playlist, body_prefix, body_suffix, with_body
local host_line, shared_auth
local user_auth, playlists = {}, {}

function init(args)
  local file = assert(io.open(args[1], "rb"))
  data = file:read("*a")
  file:close()
  width = tonumber(args[2])
  records = math.floor(#data / width) -- globals: done() reads them through thread:get
  position = tonumber(args[3]) + index
  step = tonumber(args[4])
  method_sp = args[5] .. " "
  prefix, suffix = args[6], args[7]
  via_playlist = args[8] == "playlist"
  body_prefix, body_suffix = args[9], args[10]
  with_body = body_prefix ~= "" or body_suffix ~= ""
  host_line = " HTTP/1.1\r\nHost: " .. wrk.host .. (wrk.port and (":" .. wrk.port) or "") .. "\r\n"
  shared_auth = args[11] ~= "" and ("Authorization: " .. args[11] .. "\r\n") or nil
  for line in io.lines(args[12]) do
    local token, playlist = line:match("^(%S+) (%S+)")
    user_auth[#user_auth + 1] = "Authorization: OAuth " .. token .. "\r\n"
    playlists[#playlists + 1] = playlist
  end
end

function request()
  local offset = (position % records) * width + 1
  position = position + step
  local value, user = data:match("^(%S+) (%d+)", offset)
  user = tonumber(user) + 1
  local path = prefix .. (via_playlist and playlists[user] or value) .. suffix
  local head = method_sp .. path .. host_line .. (shared_auth or user_auth[user])
  if not with_body then
    return head .. "\r\n"
  end
  local body = body_prefix .. value .. body_suffix
  return head .. "Content-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
end

function done(summary, latency, requests)
  local last, wrapped = 0, false
  for _, thread in ipairs(threads) do
    local reached = thread:get("position")
    if reached > last then last = reached end
    if reached >= thread:get("records") then wrapped = true end
  end
  io.write(string.format("bench-cursor %d\n", last))
  if wrapped then io.write("bench-wrapped\n") end
end
