-- wrk script for bench/dpop.sh: one request shape, each request carrying the next of a supply of
-- pre-signed DPoP proofs (mock-idp/examples/dpop_proofs.rs), every proof sent once.
--
--   wrk -s bench/dpop.lua URL -- PROOFS METHOD PATH AUTHORIZATION [BODY]
--
-- PROOFS is the prefix of the proof files: wrk thread i (1-based) sends the lines of
-- PROOFS.<i-1>, so threads never share a proof. A BODY is sent as a form
-- (application/x-www-form-urlencoded).
--
-- A thread that runs out of proofs sends its last one again: the server refuses the replay
-- (a non-2xx answer, so the round is not a figure) and done() prints how many requests went
-- beyond the supply. Proofs are read in init(), before the thread starts sending; wrk starts
-- its clock after the last thread's init, so thread 1 sends requests outside the measured time
-- while thread 2 reads its file: at bench/dpop.sh's defaults 100,000 proofs in about 0.15 s,
-- which overstates a 10 s round by under 1%.
-- No response() callback: wrk counts non-2xx answers itself without handing bodies to Lua.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local proofs = {}
local next_proof = 0
local headers = {}
local method, path, body

function init(args)
   local prefix = args[1]
   method, path = args[2], args[3]
   headers["Authorization"] = args[4]
   body = args[5]
   if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
   else
      body = nil
   end
   -- supply, used and beyond are globals: done() reads them with thread:get.
   supply, used, beyond = 0, 0, 0
   for line in io.lines(prefix .. "." .. (id - 1)) do
      supply = supply + 1
      proofs[supply] = line
   end
end

function request()
   next_proof = next_proof + 1
   local proof = proofs[next_proof]
   if proof == nil then
      beyond = beyond + 1
      proof = proofs[supply]
   else
      used = next_proof
   end
   headers["DPoP"] = proof
   return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
   local sent, total_supply, over = 0, 0, 0
   for _, t in ipairs(threads) do
      sent = sent + t:get("used")
      total_supply = total_supply + t:get("supply")
      over = over + t:get("beyond")
   end
   io.write(string.format("DPoP proofs: %d of %d sent, %d requests beyond the supply\n",
      sent, total_supply, over))
end
