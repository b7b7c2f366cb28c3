#!/usr/bin/env bash
# Keycloak (the OpenID Connect provider) for development, tests and `npm start`: the Quarkus
# distribution from Maven Central (org.keycloak:keycloak-quarkus-dist, zip), run in dev mode on
# 127.0.0.1 with the realm of scripts/infra/keycloak/eisss-realm.json imported at every start
# (in-memory database: restarting resets users' sessions and the realm's signing keys).
#   scripts/infra/keycloak.sh fetch|start|ensure|stop|status
# Idempotent: `start` reuses a Keycloak that already serves the eisss realm on KEYCLOAK_PORT (one it
# started itself with an older realm file is restarted).
# Keycloak 26 needs Java 21 or newer: KEYCLOAK_JAVA_HOME, else JAVA_HOME, else the newest JDK under
# /usr/lib/jvm that is 21+.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="${KEYCLOAK_VERSION:-26.5.6}"
home="${KEYCLOAK_HOME_DIR:-$root/.infra/keycloak}"
port="${KEYCLOAK_PORT:-8180}"
management_port="${KEYCLOAK_MANAGEMENT_PORT:-9180}"
heap="${KEYCLOAK_HEAP:-768m}"
start_timeout="${KEYCLOAK_START_TIMEOUT:-300}" # seconds; the first start (Quarkus build, realm import) is the slowest
dist="$home/keycloak-$version"
realm_file="$root/scripts/infra/keycloak/eisss-realm.json"
pidfile="$home/keycloak-$port.pid"
logfile="$home/keycloak-$port.log"
issuer="http://127.0.0.1:$port/realms/eisss"

log() { printf '[keycloak] %s\n' "$*" >&2; }

# GET url -> exit 0 on HTTP 200 (node is there wherever the project runs).
http_ok() {
  node -e "fetch(process.argv[1],{signal:AbortSignal.timeout(3000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))" "$1"
}

serves_realm() { http_ok "$issuer/.well-known/openid-configuration"; }
healthy() { http_ok "http://127.0.0.1:$management_port/health/ready"; }

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1; }

pick_java() {
  local candidates=() c major
  [ -n "${KEYCLOAK_JAVA_HOME:-}" ] && candidates+=("$KEYCLOAK_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  while IFS= read -r c; do candidates+=("$c"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    major="$(java_major "$c")"
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ]; then echo "$c"; return 0; fi
  done
  log "Keycloak $version needs Java 21 or newer; none found (set KEYCLOAK_JAVA_HOME, or e.g. apt-get install openjdk-21-jdk-headless)"
  return 1
}

fetch() {
  if [ -x "$dist/bin/kc.sh" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch Keycloak from Maven Central"; exit 1; }
  command -v unzip >/dev/null || { log "unzip is required to unpack Keycloak"; exit 1; }
  log "fetching Keycloak $version (org.keycloak:keycloak-quarkus-dist) from Maven Central into $home"
  mkdir -p "$home"
  mvn -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" -DoutputDirectory="$home"
  unzip -q -o "$home/keycloak-quarkus-dist-$version.zip" -d "$home"
  rm -f "$home/keycloak-quarkus-dist-$version.zip"
}

realm_sum() { sha256sum "$realm_file" | cut -d' ' -f1; }

start() {
  if serves_realm; then
    # Ours, started with an older realm file: restart it so the realm is imported again.
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && [ "$(cat "$home/realm-$port.sha256" 2>/dev/null)" != "$(realm_sum)" ]; then
      log "the realm file changed since this Keycloak started: restarting it"
      stop
    else
      log "Keycloak already serves the eisss realm on 127.0.0.1:$port (reused)"; return 0
    fi
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is taken by something that is not Keycloak with the eisss realm; set KEYCLOAK_PORT"; exit 1
  fi
  fetch
  local java_home; java_home="$(pick_java)"
  mkdir -p "$dist/data/import"
  cp "$realm_file" "$dist/data/import/eisss-realm.json"
  log "starting Keycloak $version on 127.0.0.1:$port (management $management_port, Java $(java_major "$java_home"), log $logfile)"
  # The bootstrap admin of the master realm (console http://127.0.0.1:$port/admin): development only.
  JAVA_HOME="$java_home" \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx$heap" \
    KC_BOOTSTRAP_ADMIN_USERNAME="${KEYCLOAK_ADMIN_USER:-admin}" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="${KEYCLOAK_ADMIN_PASSWORD:-dev-only-admin-password}" \
    nohup "$dist/bin/kc.sh" start-dev --import-realm --db=dev-mem \
      --http-host=127.0.0.1 --http-port="$port" --http-management-port="$management_port" \
      --hostname="http://127.0.0.1:$port" --health-enabled=true >>"$logfile" 2>&1 &
  echo $! > "$pidfile"
  realm_sum > "$home/realm-$port.sha256"
  for _ in $(seq 1 $((start_timeout * 2))); do
    if healthy && serves_realm; then log "ready: issuer $issuer"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "Keycloak exited; see $logfile"; tail -n 30 "$logfile" >&2; exit 1; fi
    sleep 0.5
  done
  log "Keycloak did not serve the realm within $start_timeout s; see $logfile"; exit 1
}

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid; pid="$(cat "$pidfile")"
    log "stopping Keycloak (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  else
    log "no Keycloak started by this project on port $port"
  fi
  rm -f "$pidfile"
}

status() {
  if serves_realm; then echo "keycloak: up on 127.0.0.1:$port (issuer $issuer)"; else echo "keycloak: down"; return 1; fi
}

case "${1:-start}" in
  fetch) fetch ;;
  start|ensure) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 fetch|start|ensure|stop|status" >&2; exit 2 ;;
esac
