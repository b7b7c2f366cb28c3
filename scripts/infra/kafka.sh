#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, combined broker + controller) for development, tests and `npm start`.
# The broker jars come from Maven Central (scripts/infra/kafka-pom.xml); nothing else is downloaded.
#   scripts/infra/kafka.sh fetch|start|stop|status|ensure
# Idempotent: `start` reuses a broker that already answers on KAFKA_PORT.
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

write_config() {
  mkdir -p "$data"
  cat > "$home/server-$port.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
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
  if answers; then log "broker already answers on 127.0.0.1:$port (reused)"; return 0; fi
  fetch
  write_config
  if [ ! -f "$data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
    log "formatting KRaft storage (cluster $cluster_id)"
    # shellcheck disable=SC2046
    java $(java_opts) -cp "$libs/*" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$home/server-$port.properties" --ignore-formatted >/dev/null
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
  *) echo "usage: $0 fetch|start|stop|status|reset" >&2; exit 2 ;;
esac
