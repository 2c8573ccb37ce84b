local json = [==[[{"method": "GET", "path": "/mobile/playlists/101", "headers": {"Authorization": "OAuth JjPQ0PDAp2iV2IB7yMgbJHBSc6DBeo7USa2Q4DSfqUg"}}]]==]
-- Cycles through the prepared requests (decoded from the JSON above by a tiny parser).
local requests = {}
local function decode(s)
  -- The prepared JSON is a flat array of {"method":..,"path":..,"headers":{..}} objects with
  -- string values only; a minimal parser is enough and keeps wrk free of Lua dependencies.
  for obj in s:gmatch("%b{}") do
    local method = obj:match('"method":%s*"(.-)"')
    local path = obj:match('"path":%s*"(.-)"')
    if method and path then
      local headers = {}
      local hdrs = obj:match('"headers":%s*(%b{})')
      if hdrs then
        for k, v in hdrs:gmatch('"(.-)":%s*"(.-)"') do headers[k] = v end
      end
      table.insert(requests, wrk.format(method, path, headers, nil))
    end
  end
end
decode(json)
local counter = 0
init = function(args)
  counter = math.random(0, #requests - 1)
end
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
