#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker + controller) for development, tests and `npm start`.
# The broker jars come from Maven Central (scripts/infra/kafka-pom.xml); nothing else is downloaded.
#   scripts/infra/kafka.sh fetch|start|stop|status|ensure|reset
# Clients connect over SASL_SSL with SCRAM-SHA-512 only (no PLAINTEXT port): one principal per service
# and inbound adapter plus `admin` (super user), passwords in $KAFKA_HOME_DIR/credentials.json
# (scripts/infra/kafka-credentials.js), a self-signed certificate whose PEM is $KAFKA_HOME_DIR/ca.pem.
# The KRaft StandardAuthorizer denies what no ACL allows (ACLs: scripts/infra/topics.js).
# The controller listener (127.0.0.1 only) uses SASL_PLAINTEXT/PLAIN with a static JAAS user `admin`:
# SCRAM credentials live in the metadata log, so the controller cannot use them.
# Idempotent: `start` reuses a broker that already answers on KAFKA_PORT with the current user list;
# when the user list changes the (development) storage is re-formatted.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
home="${KAFKA_HOME_DIR:-$root/.infra/kafka}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP:-512m}"
libs="$home/libs"
data="$home/data-$port"
pidfile="$home/kafka-$port.pid"
logfile="$home/kafka-$port.log"
creds_js="$root/scripts/infra/kafka-credentials.js"
export KAFKA_HOME_DIR="$home"

log() { printf '[kafka] %s\n' "$*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

fetch() {
  if [ -f "$libs/kafka_2.13-3.9.1.jar" ] && [ -f "$libs/slf4j-reload4j-1.7.36.jar" ]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch the Kafka broker from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "Java 17 is required to run the Kafka broker"; exit 1; }
  log "fetching Apache Kafka 3.9.1 (Scala 2.13) from Maven Central into $libs"
  mkdir -p "$libs"
  mvn -q -B -f "$root/scripts/infra/kafka-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$libs" -DincludeScope=runtime
}

# The broker's self-signed certificate (SAN 127.0.0.1, localhost), its PEM for clients, and a truststore
# holding it (the broker's own client side: inter-broker traffic over SASL_SSL).
certificate() {
  if [ -f "$home/broker.p12" ] && [ -f "$home/ca.pem" ] && [ -f "$home/truststore.p12" ]; then return 0; fi
  command -v keytool >/dev/null || { log "keytool (JDK) is required to make the broker certificate"; exit 1; }
  local pw; pw="$(node "$creds_js" password keystore)"
  rm -f "$home/broker.p12" "$home/ca.pem" "$home/truststore.p12"
  log "generating the broker's self-signed certificate into $home"
  keytool -genkeypair -noprompt -alias broker -keyalg RSA -keysize 2048 -validity 3650 \
    -dname "CN=localhost, OU=dev, O=eisss" -ext "SAN=ip:127.0.0.1,dns:localhost" \
    -keystore "$home/broker.p12" -storetype PKCS12 -storepass "$pw" -keypass "$pw" >/dev/null 2>&1
  keytool -exportcert -rfc -alias broker -keystore "$home/broker.p12" -storepass "$pw" -file "$home/ca.pem" >/dev/null 2>&1
  keytool -importcert -noprompt -alias broker -file "$home/ca.pem" \
    -keystore "$home/truststore.p12" -storetype PKCS12 -storepass "$pw" >/dev/null 2>&1
  chmod 600 "$home/broker.p12"
}

write_config() {
  mkdir -p "$data"
  local admin_pw ks_pw
  admin_pw="$(node "$creds_js" password admin)"
  ks_pw="$(node "$creds_js" password keystore)"
  cat > "$home/server-$port.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT
inter.broker.listener.name=SASL_SSL
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_pw";
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin_pw" user_admin="$admin_pw";
ssl.keystore.type=PKCS12
ssl.keystore.location=$home/broker.p12
ssl.keystore.password=$ks_pw
ssl.key.password=$ks_pw
ssl.truststore.type=PKCS12
ssl.truststore.location=$home/truststore.p12
ssl.truststore.password=$ks_pw
ssl.client.auth=none
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin
log.dirs=$data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=168
PROPS
  chmod 600 "$home/server-$port.properties"
  cat > "$home/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$logfile
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=WARN
PROPS
}

java_opts() { echo "-Xms128m -Xmx$heap -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j.configuration=file:$home/log4j.properties"; }

start() {
  mkdir -p "$home"
  local users; users="$(node "$creds_js" fingerprint)"
  if answers; then
    if [ -f "$data/scram-users" ] && [ "$(cat "$data/scram-users")" = "$users" ]; then
      log "broker already answers on 127.0.0.1:$port (reused)"; return 0
    fi
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "the principal list changed; restarting the development broker with re-formatted storage"; stop
    else
      log "something else answers on 127.0.0.1:$port (not this project's SASL broker); stop it first"; exit 1
    fi
  fi
  fetch
  certificate
  write_config
  if [ -f "$data/meta.properties" ] && { [ ! -f "$data/scram-users" ] || [ "$(cat "$data/scram-users")" != "$users" ]; }; then
    log "the principal list changed (or the storage predates SASL): re-formatting the development storage $data"
    rm -rf "$data"; mkdir -p "$data"
  fi
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
    log "formatting KRaft storage (cluster $cluster_id) with the SCRAM users"
    local scram=()
    mapfile -t scram < <(node "$creds_js" scram-args)
    # shellcheck disable=SC2046
    java $(java_opts) -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$home/server-$port.properties" "${scram[@]}" >/dev/null
    echo "$users" > "$data/scram-users"
  fi
  log "starting broker on 127.0.0.1:$port (heap $heap, log $logfile)"
  # shellcheck disable=SC2046
  nohup java $(java_opts) -cp "$libs/*" kafka.Kafka "$home/server-$port.properties" >>"$logfile" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if answers; then log "broker ready on 127.0.0.1:$port"; return 0; fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then log "broker exited; see $logfile"; tail -n 30 "$logfile" >&2; exit 1; fi
    sleep 0.5
  done
  log "broker did not answer within 60 s; see $logfile"; exit 1
}

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid; pid="$(cat "$pidfile")"
    log "stopping broker (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  else
    log "no broker started by this project on port $port"
  fi
  rm -f "$pidfile"
}

status() {
  if answers; then echo "kafka: up on 127.0.0.1:$port"; else echo "kafka: down"; return 1; fi
}

case "${1:-start}" in
  fetch) fetch ;;
  start|ensure) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$data" ;;
  credentials) node "$creds_js" fingerprint >/dev/null; cat "$home/credentials.json" ;;
  *) echo "usage: $0 fetch|start|stop|status|reset" >&2; exit 2 ;;
esac
