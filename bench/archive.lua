-- wrk script for the archive workload (bench/archive.sh): each request takes a path at
-- random from the file named by PATHS (one per line, drawn by archive_urls.py).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919)
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
