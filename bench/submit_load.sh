#!/usr/bin/env bash
# Visit submission under load: POST /api/v1/assignments/{id}/submission with a 30-answer body
# (bench/checklists/thirty-items.json), every request a different open assignment of the demo
# shopper whose token it carries, its own Idempotency-Key, 64 connections, on SQLite and then
# PostgreSQL. Target (issue): >= 2,000 submissions/s, p99 <= 50 ms.
#
#   cargo build --release -p sirr-server --bins && bash bench/submit_load.sh
#
# Needs wrk (apt-get install wrk), curl, python3, sqlite3 (apt-get install sqlite3) and, for
# PostgreSQL, psql (apt-get install postgresql-client) with a server at PG_URL. Knobs: DURATION
# (15s), CONNECTIONS (64), THREADS (2), RUNS (3), TIMEOUT (wrk --timeout, 10s), SKIP_SQLITE, SKIP_PG, SKIP_PG_ALONE (the pgbench ceiling), PG_URL
# (postgres://postgres@127.0.0.1:5432), PG_DB (sirr_bench_submit, created and dropped),
# MAX_RPS (6000: assignments are made for RUNS x DURATION at this rate), ASSIGNMENTS (default
# RUNS x DURATION x MAX_RPS), OUT (per-run wrk output; default a temporary directory).
# SIRR_* settings in the environment reach the servers, e.g. SIRR_LOG__LEVEL=warn.
#
# Any answer other than a fresh 201 (a 409, a 422, a replayed 201, a timeout or socket error)
# fails the run: the script prints the first such answer and stops with exit status 1. So does a
# wrk thread running out of assignments. After each backend's runs its server is stopped (letting
# requests in flight finish) and the database checked: 201s counted <= bench visits stored <=
# requests sent (wrk stops waiting for up to CONNECTIONS requests at the end of a run), every
# stored visit's assignment is `submitted`, and no assignment has two visits or a second revision.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
RUNS=${RUNS:-3}
MAX_RPS=${MAX_RPS:-6000}
TIMEOUT=${TIMEOUT:-10s}   # wrk leaves slower answers out of its percentiles: count them as failures
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_DB=${PG_DB:-sirr_bench_submit}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
SIRR=target/release/sirr
CHECKLIST=bench/checklists/thirty-items.json
CHECKLIST_KEY=bench-thirty-items
CHECKLIST_VERSION=1
CHECKED_IN_AT=2026-11-20T10:30:00+03:00        # inside every bench assignment's window
WINDOW_START='2026-11-01 00:00:00'             # UTC, as stored
WINDOW_END='2026-12-31 00:00:00'
WORK=$(mktemp -d)
OUT=${OUT:-$WORK/results}
mkdir -p "$OUT"
PIDS=()
PG_CREATED=
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$PG_CREATED" ]; then
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
die() { echo "FAILED: $*" >&2; exit 1; }

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || die "$tool is needed (apt-get install $tool)"
done
command -v sqlite3 >/dev/null || die "sqlite3 is needed (apt-get install sqlite3)"
if [ -z "${SKIP_PG:-}" ]; then
  command -v psql >/dev/null || die "psql is needed (apt-get install postgresql-client), or set SKIP_PG=1"
fi
[ -x "$SIRR" ] || die "build first: cargo build --release -p sirr-server --bins"

seconds() { # wrk duration (15, 15s, 2m, 1h) -> seconds
  case "$1" in
    *s) echo "${1%s}" ;; *m) echo $(( ${1%m} * 60 )) ;; *h) echo $(( ${1%h} * 3600 )) ;; *) echo "$1" ;;
  esac
}
SECS=$(seconds "$DURATION")
ASSIGNMENTS=${ASSIGNMENTS:-$(( RUNS * SECS * MAX_RPS ))}
PER_RUN=$(( ASSIGNMENTS / RUNS ))
PER_THREAD=$(( PER_RUN / THREADS ))
[ "$PER_THREAD" -ge "$CONNECTIONS" ] || die "ASSIGNMENTS=$ASSIGNMENTS is too few for $RUNS runs x $THREADS threads"
WIDTH=${#ASSIGNMENTS}; [ "$WIDTH" -ge 6 ] || WIDTH=6        # bench-000001

# The checklist must be valid before anything starts.
"$SIRR" checklist validate --format json "$CHECKLIST" > "$WORK/validate.json" ||
  { cat "$WORK/validate.json" >&2; die "$CHECKLIST does not validate"; }

# One fixed, valid answer to all 30 items (English and Arabic comments).
cat > "$WORK/body.json" <<EOF
{"answers": {"greeted_30s": "yes", "greeting_quality": "warm", "greeting_time_s": 20,
  "ticket_issued": "yes", "wait_minutes": 7, "seating_available": "yes", "waiting_comfort": 4,
  "queue_screen_working": "yes", "id_checked": "yes", "name_used": "no", "courtesy": 5,
  "product_knowledge": 4, "offered_card": "asked", "card_benefits": 4, "transaction_minutes": 6,
  "fees_explained": "yes", "cleanliness": "spotless", "lighting_ok": "yes", "temperature_c": 22,
  "atm_working": "yes", "accessible_entrance": "yes", "signage_clarity": 3,
  "restroom_state": "acceptable", "summary_given": "yes", "further_help_offered": "no",
  "farewell": "yes", "survey_invitation": "proactive", "exit_wait_minutes": 2,
  "overall_experience": 4, "would_return": "yes"},
 "comments": {"wait_minutes": "Two counters closed at noon / أُغلق شباكان وقت الظهر",
  "name_used": "The employee did not ask for my name"},
 "checked_in_at": "$CHECKED_IN_AT",
 "location": {"lat": 24.69, "lon": 46.68},
 "duration_s": 2400}
EOF
python3 -c "import json,sys; assert len(json.load(open(sys.argv[1]))['answers']) == 30" "$WORK/body.json"

# wrk script: each thread takes its own slice of the "token assignment_id" lines (SLICE_FIRST is
# the first line of this run; thread i gets PER_THREAD lines after it), posts the fixed body to
# each assignment once with the assignment id as Idempotency-Key, and counts 201s and the rest.
cat > "$WORK/submit.lua" <<'EOF'
local lines_file = os.getenv("SUBMIT_LINES")
local body_file = os.getenv("SUBMIT_BODY")
local slice_first = tonumber(os.getenv("SLICE_FIRST"))
local per_thread = tonumber(os.getenv("PER_THREAD"))
local threads, count = {}, 0

function setup(thread)
  thread:set("index", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local lo = slice_first + index * per_thread
  local hi = lo + per_thread - 1
  tokens, ids, available = {}, {}, 0
  local i = 0
  for line in io.lines(lines_file) do
    i = i + 1
    if i > hi then break end
    if i >= lo then
      local token, id = line:match("^(%S+) (%S+)$")
      available = available + 1
      tokens[available], ids[available] = token, id
    end
  end
  local f = assert(io.open(body_file))
  body = f:read("*a")
  f:close()
  used, created, other, exhausted, first_error = 0, 0, 0, 0, ""
end

function request()
  if used >= available then
    -- Out of assignments: stop this thread; done() reports it and the script fails the run.
    exhausted = 1
    wrk.thread:stop()
    return wrk.format("GET", "/healthz")
  end
  used = used + 1
  return wrk.format("POST", "/api/v1/assignments/" .. ids[used] .. "/submission",
    {["Authorization"] = "Bearer " .. tokens[used], ["Idempotency-Key"] = ids[used],
     ["Content-Type"] = "application/json"}, body)
end

local function replayed(headers)
  for name, value in pairs(headers) do
    if string.lower(name) == "idempotent-replayed" then return true end
  end
  return false
end

function response(status, headers, resp)
  if status == 201 and not replayed(headers) then
    created = created + 1
  else
    other = other + 1
    if first_error == "" then
      first_error = status .. (replayed(headers) and " (a replay: Idempotent-Replayed)" or "")
        .. " " .. string.sub(resp or "", 1, 400)
    end
  end
end

function done(summary, latency, requests)
  local c, o, u, e, first = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    u = u + t:get("used")
    if t:get("exhausted") == 1 then
      e = e + 1
      io.write(string.format("SUBMIT thread %d ran out of assignments after %d\n",
        t:get("index"), t:get("available")))
    end
    if first == "" then first = t:get("first_error") end
  end
  local errs = summary.errors
  io.write(string.format("SUBMIT created=%d other=%d sent=%d exhausted=%d socket_errors=%d\n",
    c, o, u, e, errs.connect + errs.read + errs.write + errs.timeout))
  if first ~= "" then io.write("SUBMIT first_error=" .. first:gsub("\n", " ") .. "\n") end
end
EOF

URL=
start() { # name, command...: starts a server in this shell (so cleanup can stop it), sets URL, PID
  local name=$1; shift
  "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 1200); do   # --demo seeds ~3,000 visits on first start: allow a minute
    if grep -q '^listening on ' "$WORK/$name.out"; then
      URL=$(grep -m1 '^listening on ' "$WORK/$name.out" | sed 's/^listening on //')
      return
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.05
  done
  cat "$WORK/$name.err" >&2; die "$name did not start"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

token() { # url, email
  curl -sf "$1/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$2\", \"password\": \"demo-password\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

api() { # method, url, token, body file, expected status
  local status
  status=$(curl -s -o "$WORK/api.out" -w '%{http_code}' -X "$1" "$2" \
    -H "Authorization: Bearer $3" -H 'Content-Type: application/json' \
    --data-binary "@$4")
  [ "$status" = "$5" ] || { cat "$WORK/api.out" >&2; echo >&2; die "$1 $2: $status, expected $5"; }
}

# The database side, by backend: sql BACKEND < statements, output unaligned with ' ' between
# columns. DB_FILE (SQLite) and PG_DB name the current database.
DB_FILE=
sql() {
  if [ "$1" = sqlite ]; then
    sqlite3 -batch -bail -separator ' ' -cmd '.timeout 30000' "$DB_FILE"
  else
    psql "$PG_URL/$PG_DB" -qAtX -F ' ' -v ON_ERROR_STOP=1
  fi
}

# SQLite: a recursive CTE; PostgreSQL: generate_series. Shopper n % 12 (by email), branch
# (n / 12) % 24 (by code), so every shopper visits every branch.
make_assignments() { # backend [id prefix, default bench]
  local n_expr id_expr prefix=${2:-bench}
  if [ "$1" = sqlite ]; then
    id_expr="printf('$prefix-%0${WIDTH}d', n)"
    sql sqlite > /dev/null <<EOF   # (the checkpoint prints "busy log checkpointed")
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $ASSIGNMENTS),
  s AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS i FROM users
        WHERE role = 'shopper' AND email LIKE 'shopper%@demo.sirr'),
  b AS (SELECT id, row_number() OVER (ORDER BY code) - 1 AS i FROM branches),
  c AS (SELECT id FROM checklists WHERE key = '$CHECKLIST_KEY' AND version = $CHECKLIST_VERSION
        AND status = 'published')
INSERT INTO assignments (id, campaign_id, shopper_id, branch_id, team_id, checklist_id,
  window_start, window_end, scenario, status, created_by, created_at, updated_at)
SELECT $id_expr, NULL, s.id, b.id, NULL, c.id, '$WINDOW_START', '$WINDOW_END', NULL,
  'accepted', NULL, '2026-11-01 00:00:00', '2026-11-01 00:00:00'
FROM seq
  JOIN s ON s.i = (seq.n - 1) % (SELECT count(*) FROM s)
  JOIN b ON b.i = ((seq.n - 1) / (SELECT count(*) FROM s)) % (SELECT count(*) FROM b)
  CROSS JOIN c;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
  else
    id_expr="'$prefix-' || lpad(n::text, $WIDTH, '0')"
    sql pg <<EOF
WITH s AS (SELECT id, row_number() OVER (ORDER BY email) - 1 AS i FROM users
           WHERE role = 'shopper' AND email LIKE 'shopper%@demo.sirr'),
  b AS (SELECT id, row_number() OVER (ORDER BY code) - 1 AS i FROM branches),
  c AS (SELECT id FROM checklists WHERE key = '$CHECKLIST_KEY' AND version = $CHECKLIST_VERSION
        AND status = 'published')
INSERT INTO assignments (id, campaign_id, shopper_id, branch_id, team_id, checklist_id,
  window_start, window_end, scenario, status, created_by, created_at, updated_at)
SELECT $id_expr, NULL, s.id, b.id, NULL, c.id, '$WINDOW_START', '$WINDOW_END', NULL,
  'accepted', NULL, '2026-11-01 00:00:00', '2026-11-01 00:00:00'
FROM generate_series(1, $ASSIGNMENTS) AS n
  JOIN s ON s.i = (n - 1) % (SELECT count(*) FROM s)
  JOIN b ON b.i = ((n - 1) / (SELECT count(*) FROM s)) % (SELECT count(*) FROM b)
  CROSS JOIN c;
ANALYZE;
EOF
  fi
  local made
  made=$(echo "SELECT count(*) FROM assignments WHERE id LIKE '$prefix-%' AND status = 'accepted';" | sql "$1")
  [ "$made" = "$ASSIGNMENTS" ] || die "made $made $prefix assignments, expected $ASSIGNMENTS"
  [ "$prefix" = bench ] || return 0
  # Which shopper owns which assignment, in id order (line k = bench-k).
  echo "SELECT a.id, u.email FROM assignments a JOIN users u ON u.id = a.shopper_id
        WHERE a.id LIKE 'bench-%' ORDER BY a.id;" | sql "$1" > "$WORK/owners.txt"
}

# Fresh access tokens for the 12 shoppers (they live 15 minutes) -> "token assignment_id" lines.
write_lines() { # url
  local email tok
  : > "$WORK/tokens.txt"
  for email in $(awk '{print $2}' "$WORK/owners.txt" | sort -u); do
    tok=$(token "$1" "$email") && [ -n "$tok" ] || die "cannot log in as $email"
    echo "$email $tok" >> "$WORK/tokens.txt"
  done
  awk 'NR == FNR { t[$1] = $2; next } { print t[$2], $1 }' "$WORK/tokens.txt" "$WORK/owners.txt" \
    > "$WORK/lines.txt"
}

to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
  else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

SUMMARY=()
load() { # label, backend, url, server pid
  local label=$1 backend=$2 url=$3 pid=$4 run tag f rps p50 p99 non2xx created other sent
  local exhausted socket t0 t1 cpu rpss=() p50s=() p99s=() total=0 sent_total=0
  tag=$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_')
  for run in $(seq "$RUNS"); do
    write_lines "$url"
    f="$OUT/$tag-$run.txt"
    t0=$(cpu_ticks "$pid")
    SUBMIT_LINES="$WORK/lines.txt" SUBMIT_BODY="$WORK/body.json" PER_THREAD=$PER_THREAD \
      SLICE_FIRST=$(( (run - 1) * PER_RUN + 1 )) \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" --latency -s "$WORK/submit.lua" "$url" > "$f"
    t1=$(cpu_ticks "$pid")
    rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
    p50=$(awk '$1 == "50%" {print $2}' "$f")
    p99=$(awk '$1 == "99%" {print $2}' "$f")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$f"); non2xx=${non2xx:-0}
    read -r created other sent exhausted socket < <(awk '/^SUBMIT created=/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      print v["created"], v["other"], v["sent"], v["exhausted"], v["socket_errors"] }' "$f")
    [ -n "${created:-}" ] || { cat "$f" >&2; die "$label run $run: no summary from the wrk script"; }
    cpu=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$created" \
      'BEGIN { printf "%.3f", n ? t * 1000 / hz / n : 0 }')
    printf '%-20s run %s  %9s req/s  p50 %8s  p99 %8s  201 %7s  non-2xx %s  failed %s  server CPU %s ms/req\n' \
      "$label" "$run" "$rps" "$p50" "$p99" "$created" "$non2xx" "$other" "$cpu"
    if [ "$other" != 0 ] || [ "$non2xx" != 0 ] || [ "$socket" != 0 ] || [ "$exhausted" != 0 ]; then
      echo "!!!!!!!! $label run $run is INVALID: every request must be answered 201" >&2
      sed 's/^/  wrk: /' "$f" >&2
      [ "$exhausted" != 0 ] && echo "  out of assignments: raise MAX_RPS or ASSIGNMENTS (now $ASSIGNMENTS, $PER_THREAD per thread per run)" >&2
      die "$label run $run: $other non-201 answers, $socket socket errors/timeouts, $exhausted threads out of assignments"
    fi
    total=$(( total + created )); sent_total=$(( sent_total + sent ))
    rpss+=("$rps"); p50s+=("$(to_ms "$p50")"); p99s+=("$(to_ms "$p99")")
  done
  SUMMARY+=("$(printf '%s\t%s\t%s\t%s' "$label" "$(printf '%s\n' "${rpss[@]}" | median)" \
    "$(printf '%s\n' "${p50s[@]}" | median)" "$(printf '%s\n' "${p99s[@]}" | median)")")
  CREATED_TOTAL=$total SENT_TOTAL=$sent_total
}

verify() { # label, backend: stored visits = 201s, one visit and one revision per assignment
  local label=$1 backend=$2 visits dup revs submitted
  visits=$(echo "SELECT count(*) FROM visits WHERE assignment_id LIKE 'bench-%';" | sql "$backend")
  dup=$(echo "SELECT count(*) FROM (SELECT assignment_id FROM visits
          GROUP BY assignment_id HAVING count(*) > 1) d;" | sql "$backend")
  revs=$(echo "SELECT count(*) FROM visit_revisions r JOIN visits v ON v.id = r.visit_id
          WHERE v.assignment_id LIKE 'bench-%' AND (r.revision <> 1 OR v.revision <> 1);" | sql "$backend")
  submitted=$(echo "SELECT count(*) FROM assignments WHERE id LIKE 'bench-%' AND status = 'submitted';" | sql "$backend")
  # wrk stops waiting at the end of each run with up to CONNECTIONS requests sent but unanswered;
  # the server may still store them, so: 201s <= visits <= requests sent.
  echo "$label check: $visits visits stored for $CREATED_TOTAL answers 201 and $SENT_TOTAL requests sent" \
    "($(( visits - CREATED_TOTAL )) stored after wrk stopped waiting, at most $(( SENT_TOTAL - CREATED_TOTAL )));" \
    "$submitted assignments submitted; $dup assignments with two visits; $revs extra revisions"
  [ "$dup" = 0 ] && [ "$revs" = 0 ] || die "$label: an assignment has more than one visit or revision"
  [ "$submitted" = "$visits" ] || die "$label: $submitted assignments submitted but $visits visits stored"
  [ "$visits" -ge "$CREATED_TOTAL" ] && [ "$visits" -le "$SENT_TOTAL" ] ||
    die "$label: $visits visits stored for $CREATED_TOTAL answers 201 and $SENT_TOTAL requests"
}

bench_backend() { # label, backend, extra serve arguments...
  local label=$1 backend=$2 url pid admin t0 t1; shift 2
  start "$backend" "$SIRR" serve --demo --bind 127.0.0.1:0 --data-dir "$WORK/$backend-data" "$@"
  url=$URL pid=$PID
  admin=$(token "$url" admin@demo.sirr)
  api POST "$url/api/v1/checklists" "$admin" "$CHECKLIST" 201
  echo '{}' > "$WORK/empty.json"
  api POST "$url/api/v1/checklists/$CHECKLIST_KEY/versions/$CHECKLIST_VERSION/publish" "$admin" \
    "$WORK/empty.json" 200
  t0=$(date +%s.%N)
  make_assignments "$backend"
  t1=$(date +%s.%N)
  printf '%-20s %d open assignments inserted in %.1f s\n' "$label" "$ASSIGNMENTS" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
  load "$label" "$backend" "$url" "$pid"
  stop "$pid"    # lets requests wrk stopped waiting for finish (graceful shutdown) before counting
  verify "$label" "$backend"
}

# The ceiling: PostgreSQL alone, with sirr stopped, running a submission's statements as sirr
# sends them (the assignment read, then BEGIN, the conditional update, the four inserts with the
# same texts, COMMIT) from pgbench with the same connections and duration, on the same database.
# Whatever sirr does, it cannot submit faster than this on this machine.
pg_alone() { # label
  local label=$1 run f tps p50 p99 tpss=() p50s=() p99s=()
  command -v pgbench >/dev/null || die "pgbench is needed (apt-get install postgresql-client), or set SKIP_PG_ALONE=1"
  make_assignments pg pgb
  echo "CREATE SEQUENCE IF NOT EXISTS pgb_seq;" | sql pg
  python3 - "$WORK/body.json" "$WORK/pgb-answers.txt" "$WORK/pgb-comments.txt" "$WORK/pgb-response.txt" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(json.dumps(body["answers"], ensure_ascii=False, separators=(",", ":")))
open(sys.argv[3], "w").write(json.dumps(body["comments"], ensure_ascii=False, separators=(",", ":")))
# about the size of sirr's stored answer to the key (the visit as JSON)
visit = {"id": "0" * 32, "assignment_id": "pgb-000000", "branch_id": "0" * 32,
         "checklist": {"key": "bench-thirty-items", "version": 1}, "status": "submitted",
         "revision": 1, **body, "submitted_at": "2026-11-20T10:31:00Z", "approved_at": None,
         "reviews": [], "flags": None, "created_at": "2026-11-20T10:31:00Z",
         "updated_at": "2026-11-20T10:31:00Z"}
open(sys.argv[4], "w").write(json.dumps(visit, ensure_ascii=False, separators=(",", ":")))
PY
  cat > "$WORK/pgb.sql" <<SQL
SELECT nextval('pgb_seq') AS n \gset
SELECT a.id AS aid, a.shopper_id AS sid, a.branch_id AS bid, a.checklist_id AS cid, a.status AS st, coalesce(b.lat, 0) AS blat, coalesce(v.id, '') AS vid, EXISTS (SELECT 1 FROM attachments WHERE assignment_id = a.id) AS up FROM assignments a JOIN branches b ON b.id = a.branch_id LEFT JOIN visits v ON v.assignment_id = a.id WHERE a.id = 'pgb-' || lpad(:n::text, $WIDTH, '0') LIMIT 1 \gset
BEGIN;
UPDATE assignments SET status = 'submitted', updated_at = now()::timestamp WHERE id = :aid AND (status = 'offered' OR status = 'accepted' OR status = 'returned');
INSERT INTO visits (id, assignment_id, shopper_id, branch_id, team_id, checklist_id, created_at, status, revision, answers, comments, checked_in_at, checked_in_utc, lat, lon, duration_s, flags, submitted_at, updated_at) VALUES ('pgbv-' || :n, :aid, :sid, :bid, NULL, :cid, now()::timestamp, 'submitted', 1, :answers, :comments, '$CHECKED_IN_AT', now()::timestamp, 24.69, 46.68, 2400, '[]', now()::timestamp, now()::timestamp);
INSERT INTO visit_revisions (visit_id, revision, answers, comments, checked_in_at, lat, lon, duration_s, submitted_at) VALUES ('pgbv-' || :n, 1, :answers, :comments, '$CHECKED_IN_AT', 24.69, 46.68, 2400, now()::timestamp);
INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, details) VALUES ('pgba-' || :n, now()::timestamp, :sid, 'submit', 'visit', 'pgbv-' || :n, '{"assignment_id":"' || :aid || '","flags":[],"revision":1}');
INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, created_at) VALUES (:sid, :aid, 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', 201, :response, now()::timestamp);
COMMIT;
SQL
  for run in $(seq "$RUNS"); do
    f="$OUT/pgb-$run.txt"
    rm -f "$WORK"/pgblog*
    (cd "$WORK" && pgbench -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$SECS" -l --log-prefix=pgblog \
      -D answers="$(cat "$WORK/pgb-answers.txt")" -D comments="$(cat "$WORK/pgb-comments.txt")" \
      -D response="$(cat "$WORK/pgb-response.txt")" -f "$WORK/pgb.sql" "$PG_URL/$PG_DB") > "$f" 2>&1 ||
      { cat "$f" >&2; die "$label run $run: pgbench failed"; }
    grep -q "number of failed transactions: 0 " "$f" || { cat "$f" >&2; die "$label run $run: failed transactions"; }
    tps=$(awk '/^tps = / {printf "%.2f", $3}' "$f")
    # the per-transaction log: client, transaction number, latency in µs, ...
    read -r p50 p99 < <(cat "$WORK"/pgblog* | awk '{print $3 / 1000}' | sort -g |
      awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[int(NR*0.5)], a[int(NR*0.99)]}')
    printf '%-20s run %s  %9s tx/s   p50 %6sms  p99 %6sms  (pgbench -M prepared -c%s -j%s -T%s)\n' \
      "$label" "$run" "$tps" "$p50" "$p99" "$CONNECTIONS" "$THREADS" "$SECS"
    tpss+=("$tps"); p50s+=("$p50"); p99s+=("$p99")
  done
  SUMMARY+=("$(printf '%s\t%s\t%s\t%s' "$label" "$(printf '%s\n' "${tpss[@]}" | median)" \
    "$(printf '%s\n' "${p50s[@]}" | median)" "$(printf '%s\n' "${p99s[@]}" | median)")")
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $TIMEOUT --latency; $RUNS runs each; 30-item visits;" \
  "$ASSIGNMENTS assignments per backend ($PER_THREAD per thread per run)"
env | grep '^SIRR_' | sed 's/^/env: /' || true

DB_FILE="$WORK/sqlite-data/sirr.db"
if [ -z "${SKIP_SQLITE:-}" ]; then
  bench_backend "sirr on SQLite" sqlite
fi

if [ -z "${SKIP_PG:-}" ]; then
  psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $PG_DB" >/dev/null
  psql "$PG_URL/postgres" -qc "CREATE DATABASE $PG_DB" >/dev/null
  PG_CREATED=1
  bench_backend "sirr on PostgreSQL" pg --database-url "$PG_URL/$PG_DB"
  if [ -z "${SKIP_PG_ALONE:-}" ]; then
    pg_alone "PostgreSQL alone"
  fi
fi

echo
echo "medians of $RUNS runs (target: >= 2000 submissions/s, p99 <= 50 ms):"
printf '%-20s %12s %10s %10s\n' configuration "req/s" "p50 ms" "p99 ms"
for line in "${SUMMARY[@]}"; do
  IFS=$'\t' read -r label rps p50 p99 <<< "$line"
  printf '%-20s %12s %10s %10s\n' "$label" "$rps" "$p50" "$p99"
done
