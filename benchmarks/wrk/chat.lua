-- POSTs the same OpenAI chat completion to every server under test, keep-alive.
-- BENCH_FAULT=ratelimit adds the header on which every server's 429 stub (or our scenario) matches.
-- done() prints one machine-readable line for the harness (latencies in microseconds).
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a terse assistant."},'
        .. '{"role":"user","content":"Say hello in five words."}],"temperature":0.2,"max_tokens":64}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench-0123456789abcdefghijklmnopqrstuvwxyz"
wrk.headers["User-Agent"] = "llmfault-bench/wrk"
if os.getenv("BENCH_FAULT") == "ratelimit" then
  wrk.headers["x-bench"] = "ratelimit"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
