#!/usr/bin/env bash
# Benchmark of mock-idp's DPoP (RFC 9449) budgets. A measurement, not a test: it prints figures
# (and writes them to target/bench/dpop-results.md); budgets it misses are marked, the exit code
# stays 0 unless the benchmark itself could not run.
#
#   1. POST /oauth/token, grant_type=client_credentials, client_secret_basic, each request with
#      its own valid DPoP proof (ES256, unique jti, current iat): the server checks the proof
#      (typ, alg, jwk, signature, htm, htu, iat, jti replay store) and mints a DPoP-bound ES256
#      access token (token_type DPoP, cnf.jkt)                                budget >= 10,000/s
#   2. GET /api/workspaces at the reference resource server with Authorization: DPoP <a bound
#      token> and its own proof per request (ath set): the token's signature and claims, then
#      the proof's checks as above plus ath and the cnf.jkt binding           budget >= 10,000/s
#   3. VmRSS of the server after start and after each phase (no budget here; bench/run.sh's
#      < 15 MB is for the idle server): the replay store remembers every accepted jti for
#      proof_max_age + proof_future_skew (70 s by default).
#   wrk on the same cores over loopback (THREADS threads, CONNECTIONS connections, ROUNDS runs
#   of DURATION after a warm-up of WARMUP; median and best), a fresh server for each phase.
#
# Knobs (environment): ROUNDS=3 DURATION=10s WARMUP=2s CONNECTIONS=16 THREADS=2
# PROOF_RATE=20000 (proofs signed per second of a round; raise it if a round runs out).
#
# Proofs: wrk's Lua cannot sign, so mock-idp/examples/dpop_proofs.rs signs each round's supply
# (PROOF_RATE x its duration, one key, one file per wrk thread) just before the round, and
# bench/dpop.lua sends each proof once. Signing is not timed and does not overlap the load.
# The server runs its default DPoP configuration (bench/mock-idp-dpop-bench.yaml): every check
# runs, nothing is relaxed, proof_max_age stays 60 s; a proof is at most signing time + round
# old when sent, and the report prints the oldest. A round with any non-2xx answer, socket error
# or request beyond the proof supply is not a figure.
# wrk counts answers >= 400 as failed; these endpoints answer 200 or an error, never a redirect.
# Each phase's replay store starts empty and keeps every proof accepted in it (a phase is shorter
# than the 70 s a jti is remembered); throughput depends on its size, so the report gives it at
# the start of each round.
# The figures are only as quiet as the machine: the 1-minute load average before and after the
# run is printed with them, and the share of the CPU that the server, wrk and everything else
# took during each round (from /proc; anything else on the 2 cores, e.g. a cargo build, lowers
# the throughput, and the report says so when it took more than 5%).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PROOF_RATE=${PROOF_RATE:-20000}

config=bench/mock-idp-dpop-bench.yaml
lua=bench/dpop.lua
target_dir=${CARGO_TARGET_DIR:-target}
bin=$target_dir/release/mock-idp
gen=$target_dir/release/examples/dpop_proofs
out_dir=target/bench
# base64("service:bench-secret"), the client of $config.
basic="Basic c2VydmljZTpiZW5jaC1zZWNyZXQ="
budget=10000
hz=$(getconf CLK_TCK)
cores=$(nproc)
# The server's dpop.proof_max_age (default; $config does not set it).
proof_max_age=60

seconds() {
  [[ $1 =~ ^([0-9]+)s?$ ]] || {
    echo "bench: $2=$1: give whole seconds, e.g. 10s" >&2
    exit 1
  }
  echo "${BASH_REMATCH[1]}"
}
duration_s=$(seconds "$DURATION" DURATION)
warmup_s=$(seconds "$WARMUP" WARMUP)

echo "building: cargo build --release -p mock-idp --bin mock-idp --example dpop_proofs" >&2
cargo build --release -p mock-idp --bin mock-idp --example dpop_proofs >&2

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  sudo_=()
  [[ $(id -u) -eq 0 ]] || sudo_=(sudo)
  "${sudo_[@]}" apt-get update -qq >&2
  "${sudo_[@]}" apt-get install -y -qq wrk >&2
fi

work=$(mktemp -d)
server_pid=""
server_fd=""

stop_server() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    # Graceful shutdown; give up waiting after 5 s and kill.
    local i
    for ((i = 0; i < 100; i++)); do
      if [[ ! -e /proc/$server_pid ]] || grep -q '^State:.*Z' "/proc/$server_pid/status" 2>/dev/null; then
        break
      fi
      sleep 0.05
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  if [[ -n $server_fd ]]; then
    exec {server_fd}<&-
    server_fd=""
  fi
}

cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {
  echo "bench: $*" >&2
  if [[ -s $work/server.log ]]; then
    echo "--- server stderr (tail) ---" >&2
    tail -20 "$work/server.log" >&2
  fi
  exit 1
}

# Microseconds since the epoch, without forking (EPOCHREALTIME is "secs.micros").
now_us() {
  local t=$EPOCHREALTIME
  echo $((10#${t%.*} * 1000000 + 10#${t#*.}))
}

# Starts the server; sets server_pid, server_fd and url.
start_server() {
  exec {server_fd}< <(exec "$bin" serve --listen 127.0.0.1:0 --config "$config" 2>>"$work/server.log")
  server_pid=$!
  local line=""
  IFS= read -r -t 10 line <&"$server_fd" || die "no 'listening on' line within 10 s"
  [[ $line == "listening on http://"* ]] || die "unexpected first stdout line: $line"
  url=${line#listening on }
  local i
  for ((i = 0; i < 200; i++)); do
    curl -fsS -o /dev/null "$url/.well-known/openid-configuration" 2>/dev/null && return
    sleep 0.05
  done
  die "no successful answer from /.well-known/openid-configuration"
}

# VmRSS of the server in KiB.
rss_kib() {
  awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"
}

# CPU time so far, in USER_HZ ticks: of the whole machine (busy, all cores), of the server, and of
# this shell's finished children (wrk, once it has exited); sets cpu_all, cpu_server, cpu_children.
cpu_sample() {
  local user nice system irq softirq steal
  read -r _ user nice system _ _ irq softirq steal _ </proc/stat
  cpu_all=$((user + nice + system + irq + softirq + steal))
  cpu_server=$(awk '{ print $14 + $15 }' "/proc/$server_pid/stat")
  times >"$work/times"
  cpu_children=$(awk -v hz="$hz" '
    function secs(f, a) { sub(/s$/, "", f); split(f, a, "m"); return a[1] * 60 + a[2] }
    NR == 2 { printf "%d", (secs($1) + secs($2)) * hz }' "$work/times")
}

# The JSON of a base64url JWT part.
b64url_json() {
  local s=${1//-/+}
  s=${s//_//}
  case $((${#s} % 4)) in
    2) s+="==" ;;
    3) s+="=" ;;
  esac
  printf '%s' "$s" | base64 -d
}

# The value of string member $2 of the JSON $1 (flat enough for sed: the answers read here).
json_str() {
  printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"
}

# One proof for method $1 at URI $2 (with ath of access token $3, if given), to stdout.
one_proof() {
  "$gen" --key "$work/key.pem" --htm "$1" --htu "$2" ${3:+--access-token "$3"} 2>/dev/null
}

# POST /oauth/token as wrk sends it, with the DPoP proof $proof; the answer, then its status.
token_request() {
  curl -sS -u service:bench-secret -H "DPoP: $proof" -d grant_type=client_credentials \
    -w '\n%{http_code}' "$url/oauth/token"
}

# GET /api/workspaces as wrk sends it, with the access token $token and the DPoP proof $proof;
# the headers and the answer, then its status.
resource_request() {
  curl -sS -D - -H "Authorization: DPoP $token" -H "DPoP: $proof" -w '\n%{http_code}' \
    "$url/api/workspaces"
}

# The refusals the journal holds, for a round that was not a figure.
journal_refusals() {
  curl -sS "$url/_admin/journal?outcome=refused&limit=3" \
    | grep -o '"code":"[^"]*","reason":"[^"]*"' | sort | uniq -c | sed 's/^ */  /' || true
}

# Runs warm-up and rounds of METHOD PATH with Authorization AUTHZ, form BODY, proofs with the ath
# of ACCESS_TOKEN (may be empty); sets the m_* figures.
measure() {
  local method=$1 path=$2 authz=$3 body=$4 access_token=$5
  local htu=$url$path
  m_rps=() m_p50=() m_p99=() m_sign=()
  m_total=0 m_non2xx=0 m_beyond=0 m_sock="" m_sock_n=0 m_max_age=0 m_accepted=0
  m_cpu_server=() m_cpu_wrk=() m_cpu_other=() m_store=()
  local phase_start
  phase_start=$(now_us)
  local round label d count sign_start wrk_start wrk_end age rps n e sign_line
  local all0 server0 children0
  for ((round = 0; round <= ROUNDS; round++)); do
    if ((round == 0)); then label=warm-up d=$warmup_s; else label="round $round" d=$duration_s; fi
    count=$((PROOF_RATE * d + CONNECTIONS + THREADS))
    rm -f "$work"/proofs.*
    sign_start=$(now_us)
    "$gen" --key "$work/key.pem" --htm "$method" --htu "$htu" ${access_token:+--access-token "$access_token"} \
      --count "$count" --split "$THREADS" --out "$work/proofs" 2>"$work/sign.txt" \
      || die "dpop_proofs failed: $(cat "$work/sign.txt")"
    sign_line=$(cat "$work/sign.txt")
    echo "  $label: $sign_line" >&2
    cpu_sample
    all0=$cpu_all server0=$cpu_server children0=$cpu_children
    wrk_start=$(now_us)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${d}s" --latency -s "$lua" "$url" -- \
      "$work/proofs" "$method" "$path" "$authz" "$body" >"$work/wrk.txt"
    wrk_end=$(now_us)
    cpu_sample
    # The first proof's iat is taken as signing starts; +1 for iat's whole seconds.
    age=$(((wrk_end - sign_start) / 1000000 + 1))
    if ((age > m_max_age)); then m_max_age=$age; fi
    sed 's/^/    /' "$work/wrk.txt" >&2
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
    [[ -n $rps ]] || die "could not read wrk's Requests/sec"
    n=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
    local bad
    bad=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$work/wrk.txt")
    bad=${bad:-0}
    local over
    over=$(sed -n 's/.*, \([0-9]*\) requests beyond the supply.*/\1/p' "$work/wrk.txt")
    [[ -n $over ]] || die "could not read bench/dpop.lua's proof count"
    e=$(awk '/Socket errors/ { sub(/^ *Socket errors: */, ""); print }' "$work/wrk.txt")
    m_accepted=$((m_accepted + n - bad))
    if ((round == 0)); then
      m_warm_non2xx=$bad
      continue
    fi
    m_rps+=("$rps")
    # Every proof accepted so far in the phase is still in the replay store (checked below).
    m_store+=($((m_accepted - n + bad)))
    m_total=$((m_total + n))
    m_non2xx=$((m_non2xx + bad))
    m_beyond=$((m_beyond + over))
    if [[ -n $e ]]; then
      m_sock+="round $round: $e; "
      m_sock_n=$((m_sock_n + $(awk '{ gsub(/[^0-9 ]/, ""); for (i = 1; i <= NF; i++) s += $i; print s + 0 }' <<<"$e")))
    fi
    m_p50+=("$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")")
    m_p99+=("$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")")
    m_sign+=("$(sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' <<<"$sign_line")")
    # Shares of the machine (all cores) during the round: server, wrk, everything else.
    local share a b c
    share=$(awk -v us=$((wrk_end - wrk_start)) -v hz="$hz" -v cores="$cores" \
      -v all=$((cpu_all - all0)) -v srv=$((cpu_server - server0)) -v wrk=$((cpu_children - children0)) '
      BEGIN { cap = us / 1e6 * hz * cores; o = all - srv - wrk; if (o < 0) o = 0
              printf "%.0f %.0f %.0f", 100 * srv / cap, 100 * wrk / cap, 100 * o / cap }')
    read -r a b c <<<"$share"
    m_cpu_server+=("$a") m_cpu_wrk+=("$b") m_cpu_other+=("$c")
  done
  m_phase_s=$(((wrk_end - phase_start) / 1000000 + 1))
  local sorted
  mapfile -t sorted < <(printf '%s\n' "${m_rps[@]}" | sort -g)
  m_median=${sorted[$((ROUNDS / 2))]}
  m_best=${sorted[$((ROUNDS - 1))]}
  m_list=$(printf '%.0f, ' "${m_rps[@]}")
  m_list=${m_list%, }
  m_refusals=""
  if ((m_non2xx + m_warm_non2xx > 0)); then
    m_refusals=$(journal_refusals)
    echo "  refusals in the journal:" >&2
    echo "$m_refusals" >&2
  fi
}

# The verdict of a throughput: a round with failed requests is not a figure.
verdict() {
  local median=$1 failed=$2
  if ((failed > 0)); then
    echo "**not a figure**: requests failed"
  elif awk -v r="$median" -v b="$budget" 'BEGIN { exit !(r >= b) }'; then
    echo "ok"
  else
    echo "**missed**"
  fi
}

mkdir -p "$out_dir"
load_before=$(cut -d' ' -f1 /proc/loadavg)

# --- 1. token endpoint with DPoP ---------------------------------------------------------------
start_server
rss_start=$(rss_kib)
jkt=$("$gen" --key "$work/key.pem" --jkt)
# Sanity: a proof gets a DPoP-bound ES256 token, and the same proof again is refused (the replay
# store is on).
proof=$(one_proof POST "$url/oauth/token")
sanity=$(token_request)
[[ ${sanity##*$'\n'} == 200 && $(json_str "$sanity" token_type) == DPoP ]] \
  || die "a token request with a DPoP proof did not get a DPoP token: $sanity"
token=$(json_str "$sanity" access_token)
header=$(b64url_json "${token%%.*}")
claims=$(b64url_json "$(cut -d. -f2 <<<"$token")")
[[ $header == *'"alg":"ES256"'* && $header == *'"typ":"at+jwt"'* ]] \
  || die "unexpected token header: $header"
[[ $claims == *"\"jkt\":\"$jkt\""* ]] || die "the token is not bound to the proof's key: $claims"
replay=$(token_request)
[[ ${replay##*$'\n'} == 400 && $replay == *invalid_dpop_proof* ]] \
  || die "a replayed proof was not refused: $replay"

echo "token endpoint with DPoP: warm-up $WARMUP, then $ROUNDS x $DURATION with wrk -t$THREADS -c$CONNECTIONS" >&2
measure POST /oauth/token "$basic" grant_type=client_credentials ""
tok_median=$m_median tok_best=$m_best tok_list=$m_list tok_total=$m_total tok_non2xx=$m_non2xx
tok_warm=$m_warm_non2xx tok_beyond=$m_beyond tok_sock=$m_sock tok_sock_n=$m_sock_n tok_age=$m_max_age
tok_p50="${m_p50[*]}" tok_p99="${m_p99[*]}" tok_sign="${m_sign[*]}" tok_refusals=$m_refusals
tok_accepted=$m_accepted tok_cpu_server="${m_cpu_server[*]}" tok_cpu_wrk="${m_cpu_wrk[*]}"
tok_cpu_other=("${m_cpu_other[@]}") tok_store="${m_store[*]}" tok_phase_s=$m_phase_s
sleep 2
rss_token=$(rss_kib)
stop_server

# --- 2. reference resource server with DPoP ----------------------------------------------------
start_server
proof=$(one_proof POST "$url/oauth/token")
sanity=$(token_request)
token=$(json_str "$sanity" access_token)
[[ -n $token && $(json_str "$sanity" token_type) == DPoP ]] \
  || die "a token request with a DPoP proof did not get a DPoP token: $sanity"
# Sanity: the request wrk sends is served, and the same proof again is refused.
proof=$(one_proof GET "$url/api/workspaces" "$token")
sanity=$(resource_request)
[[ ${sanity##*$'\n'} == 200 ]] || die "GET /api/workspaces with a DPoP-bound token failed: $sanity"
replay=$(resource_request)
[[ ${replay##*$'\n'} == 401 && $replay == *invalid_dpop_proof* ]] \
  || die "a replayed proof at /api/workspaces was not refused: $replay"

echo "resource server with DPoP: warm-up $WARMUP, then $ROUNDS x $DURATION with wrk -t$THREADS -c$CONNECTIONS" >&2
measure GET /api/workspaces "DPoP $token" "" "$token"
sleep 2
rss_resource=$(rss_kib)
stop_server
load_after=$(cut -d' ' -f1 /proc/loadavg)

# --- report ------------------------------------------------------------------------------------
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=""
if [[ -n $(git status --porcelain -- mock-idp protocol Cargo.toml 2>/dev/null) ]]; then
  dirty="+uncommitted"
fi
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB (%.1f MiB)", k * 1024 / 1e6, k / 1024 }'; }
shape="wrk -t$THREADS -c$CONNECTIONS, $ROUNDS x $DURATION"

{
  echo "## mock-idp DPoP performance budgets"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit ${rev}${dirty}, $(nproc) cores, $(uname -m), wrk on the same cores over loopback; load average before the run ${load_before}, after ${load_after}."
  echo
  echo "| measure | budget | figure | |"
  echo "|---|---|---|---|"
  echo "| POST /oauth/token client_credentials, Basic, a fresh ES256 DPoP proof each → DPoP-bound ES256 token ($shape) | >= 10,000 req/s | median ${tok_median} req/s, best ${tok_best} (rounds: ${tok_list}; ${tok_total} requests, non-2xx ${tok_non2xx} (warm-up ${tok_warm}), beyond the proof supply ${tok_beyond}; p50 ${tok_p50}, p99 ${tok_p99}) | $(verdict "$tok_median" $((tok_non2xx + tok_beyond + tok_sock_n))) |"
  echo "| GET /api/workspaces, Authorization: DPoP, a fresh ES256 proof with ath each ($shape) | >= 10,000 req/s | median ${m_median} req/s, best ${m_best} (rounds: ${m_list}; ${m_total} requests, non-2xx ${m_non2xx} (warm-up ${m_warm_non2xx}), beyond the proof supply ${m_beyond}; p50 ${m_p50[*]}, p99 ${m_p99[*]}) | $(verdict "$m_median" $((m_non2xx + m_beyond + m_sock_n))) |"
  echo "| VmRSS, idle after start | — | $(mb "$rss_start") | |"
  echo "| VmRSS, idle after the token phase (replay store ≈ ${tok_accepted} jtis, journal full) | — | $(mb "$rss_token") | |"
  echo "| VmRSS, idle after the resource phase (a fresh server; replay store ≈ ${m_accepted} jtis, journal full) | — | $(mb "$rss_resource") | |"
  echo
  echo "Proofs were signed before each round (not timed; per round, token phase: ${tok_sign} proofs/s; resource phase: ${m_sign[*]} proofs/s) and were at most ${tok_age} s (token) and ${m_max_age} s (resource) old when sent; dpop.proof_max_age is the default ${proof_max_age} s."
  echo
  phase_max=$((tok_phase_s > m_phase_s ? tok_phase_s : m_phase_s))
  if ((phase_max < 70)); then
    pruned="a phase lasted at most ${phase_max} s, less than the 70 s a jti is remembered, so none was pruned"
  else
    pruned="a phase lasted up to ${phase_max} s, so jtis older than 70 s may have been pruned: these are upper bounds"
  fi
  echo "Replay store (every proof accepted so far in the phase; ${pruned}) at the start of each round: token phase ${tok_store}; resource phase ${m_store[*]} jtis."
  echo
  echo "CPU during the rounds, as % of all ${cores} cores, per round: token phase: server ${tok_cpu_server}, wrk ${tok_cpu_wrk}, other processes ${tok_cpu_other[*]}; resource phase: server ${m_cpu_server[*]}, wrk ${m_cpu_wrk[*]}, other processes ${m_cpu_other[*]}."
  other_max=$(printf '%s\n' "${tok_cpu_other[@]}" "${m_cpu_other[@]}" | sort -n | tail -1)
  if ((other_max > 5)); then
    echo
    echo "**Other processes took up to ${other_max}% of the machine during a round: the figures are depressed.**"
  fi
  if [[ -n $tok_sock || -n $m_sock ]]; then
    echo
    echo "wrk socket errors: token ${tok_sock%; }; resource ${m_sock%; }"
  fi
  if [[ -n $tok_refusals || -n $m_refusals ]]; then
    echo
    echo "Refusals in the journal (token phase, then resource phase):"
    echo
    echo '```'
    printf '%s\n' "$tok_refusals" "$m_refusals"
    echo '```'
  fi
} | tee "$out_dir/dpop-results.md"
