-- wrk script for bench/run.sh: POST /oauth/token with grant_type=client_credentials,
-- client_secret_basic as the `service` client of bench/mock-idp-bench.yaml.
-- No response() callback: wrk then counts non-2xx answers itself without handing bodies to Lua.
wrk.method = "POST"
wrk.path = "/oauth/token"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
-- base64("service:bench-secret")
wrk.headers["Authorization"] = "Basic c2VydmljZTpiZW5jaC1zZWNyZXQ="
