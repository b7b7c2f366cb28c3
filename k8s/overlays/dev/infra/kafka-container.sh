#!/bin/bash
# Entrypoint of the development broker in docker-compose.yml and in the dev overlay (image
# apache/kafka:3.9.1; here because kustomize loads files only below the overlay): the same set-up as
# scripts/infra/kafka.sh: clients only over SASL_SSL with SCRAM-SHA-512, the KRaft StandardAuthorizer
# (nothing allowed without an ACL; ACLs: topics-init), super user `admin`; the controller listener uses
# SASL_PLAINTEXT/PLAIN with a static JAAS user `admin` (SCRAM credentials live in the metadata log).
#   KAFKA_SCRAM_USERS       principals, space-separated (admin first)
#   KAFKA_PASSWORD_<NAME>   each principal's password (<NAME>: upper case, `-` as `_`), from .env
# The SCRAM users are written when the storage is formatted: after changing them, `docker compose down -v`.
# The self-signed certificate (SAN kafka, localhost) is made once into KAFKA_TLS_DIR (default
# /etc/kafka/secrets, compose volume kafkatls); its PEM is copied to KAFKA_CA_DIR (default
# /mnt/shared/config, compose volume kafkaca, which the services mount read-only as KAFKA_SSL_CA_FILE).
# Both default folders exist in the image, owned by its user, so the volumes are writable.
set -euo pipefail

bin="${KAFKA_BIN:-/opt/kafka/bin}"
host="${KAFKA_ADVERTISED_HOST:-kafka}"
port="${KAFKA_CLIENT_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
data="${KAFKA_LOG_DIRS:-/var/lib/kafka/data}"
tls="${KAFKA_TLS_DIR:-/etc/kafka/secrets}"
ca="${KAFKA_CA_DIR:-/mnt/shared/config}"
mkdir -p "$data" "$tls" "$ca"
props="${KAFKA_CONFIG_FILE:-/opt/kafka/config/eisss-server.properties}"

password_of() {
  local var="KAFKA_PASSWORD_$(echo "$1" | tr 'a-z-' 'A-Z_')"
  local value="${!var:-}"
  [ -n "$value" ] || { echo "[kafka] $var is not set" >&2; exit 1; }
  printf '%s' "$value"
}

admin_pw="$(password_of admin)"
if [ ! -f "$tls/broker.p12" ]; then
  ks_pw="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  printf '%s' "$ks_pw" > "$tls/keystore.password"
  keytool -genkeypair -noprompt -alias broker -keyalg RSA -keysize 2048 -validity 3650 \
    -dname "CN=$host, OU=dev, O=eisss" -ext "SAN=dns:$host,dns:localhost,ip:127.0.0.1" \
    -keystore "$tls/broker.p12" -storetype PKCS12 -storepass "$ks_pw" -keypass "$ks_pw"
  keytool -exportcert -rfc -alias broker -keystore "$tls/broker.p12" -storepass "$ks_pw" -file "$tls/ca.pem"
  keytool -importcert -noprompt -alias broker -file "$tls/ca.pem" -keystore "$tls/truststore.p12" -storetype PKCS12 -storepass "$ks_pw"
fi
ks_pw="$(cat "$tls/keystore.password")"
[ "$ca" = "$tls" ] || cp "$tls/ca.pem" "$ca/ca.pem"

cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$controller_port
listeners=SASL_SSL://:$port,CONTROLLER://localhost:$controller_port
advertised.listeners=SASL_SSL://$host:$port
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
ssl.keystore.location=$tls/broker.p12
ssl.keystore.password=$ks_pw
ssl.key.password=$ks_pw
ssl.truststore.type=PKCS12
ssl.truststore.location=$tls/truststore.p12
ssl.truststore.password=$ks_pw
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin
log.dirs=$data
num.partitions=${KAFKA_NUM_PARTITIONS:-3}
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS_ENABLE:-false}
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
chmod 600 "$props"

# The healthcheck's client: the admin over SASL_SSL.
cat > "$tls/admin-client.properties" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin_pw";
ssl.truststore.type=PKCS12
ssl.truststore.location=$tls/truststore.p12
ssl.truststore.password=$ks_pw
PROPS
chmod 600 "$tls/admin-client.properties"

if [ ! -f "$data/meta.properties" ]; then
  scram=()
  for user in ${KAFKA_SCRAM_USERS:?set KAFKA_SCRAM_USERS}; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password_of "$user")]")
  done
  "$bin/kafka-storage.sh" format -t "${CLUSTER_ID:?set CLUSTER_ID}" -c "$props" "${scram[@]}"
fi
exec "$bin/kafka-server-start.sh" "$props"
