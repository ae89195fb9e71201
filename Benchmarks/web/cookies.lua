-- Requests rotate over the session cookies in the file named after `--` (one
-- `urltriage_session=…` per line), each thread starting at its own: 50 signed-in clients.
local cookies = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  for line in io.lines(args[1]) do cookies[#cookies + 1] = line end
  next_cookie = id
end

function request()
  next_cookie = (next_cookie % #cookies) + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[next_cookie] })
end
