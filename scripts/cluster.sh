#!/usr/bin/env bash
# acta on several servers over PostgreSQL with a streaming replica, on one machine (Debian):
# for tests, and as a worked example for whoever deploys.
#
#   scripts/cluster.sh up DIR        primary + synchronous streaming replica (pg_createcluster),
#                                    a TCP front for PostgreSQL and an HTTP front (haproxy),
#                                    two `acta serve` behind it, and a third that reads the
#                                    portal, search and open data on the replica
#   scripts/cluster.sh restart DIR   restarts the servers (after a collectivity got a host name)
#   scripts/cluster.sh failover DIR  kills the primary (immediate stop) and promotes the replica;
#                                    the servers go on through the PostgreSQL front
#   scripts/cluster.sh down DIR      stops everything and drops both clusters
#
# Run as root (pg_createcluster, pg_ctlcluster). Needs postgresql-15 and haproxy.
#
#   clients ──► haproxy :$HTTP_PORT ──► acta serve :$SERVER1_PORT, :$SERVER2_PORT
#                                             │
#                       haproxy :$PG_FRONT_PORT (TCP) ──► primary :$PRIMARY_PORT
#                                                    └─► replica :$REPLICA_PORT (backup,
#                                                        streaming, synchronous)
#   readers ──► acta serve :$READER_PORT --read-database (replica :$REPLICA_PORT, at most
#               $MAX_READ_LAG s behind, else the primary through the front)
#
# Every commit waits for the replica to have it on disk (synchronous_commit = on with the
# replica named in synchronous_standby_names): a write acknowledged to a user survives the
# primary's death. The PostgreSQL front sends connections to the primary while it answers
# and to the replica once it does not; the servers' pools drop broken connections and open
# new ones there, so they need no restart. The old primary must not be started again as a
# primary (it would not know of the promotion): rebuild it as a replica of the new one.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PRIMARY_PORT="${PRIMARY_PORT:-5433}"
REPLICA_PORT="${REPLICA_PORT:-5434}"
PG_FRONT_PORT="${PG_FRONT_PORT:-5435}"
HTTP_PORT="${HTTP_PORT:-8088}"
SERVER1_PORT="${SERVER1_PORT:-8091}"
SERVER2_PORT="${SERVER2_PORT:-8092}"
READER_PORT="${READER_PORT:-8093}"
MAX_READ_LAG="${MAX_READ_LAG:-2}"
DATABASE="${DATABASE:-acta}"
ACTA="${ACTA:-acta}"
PRIMARY=acta_primary
REPLICA=acta_replica

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -eq 2 ] || usage
command="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
front_url="postgres://postgres@127.0.0.1:$PG_FRONT_PORT/$DATABASE"
replica_url="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DATABASE"

log() { printf '[cluster] %s\n' "$*"; }

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds="$1" what="$2"; shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "timeout: $what"; return 1
}

pg_answers() { psql -h 127.0.0.1 -p "$1" -U postgres -Atc "SELECT 1" postgres; }

trust_local() { # the clusters are reached on the loopback only
  cat > "/etc/postgresql/$PG_VERSION/$1/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
EOF
}

up() {
  drop_clusters
  log "primary on port $PRIMARY_PORT"
  pg_createcluster "$PG_VERSION" "$PRIMARY" -p "$PRIMARY_PORT" >/dev/null
  trust_local "$PRIMARY"
  cat > "/etc/postgresql/$PG_VERSION/$PRIMARY/conf.d/acta.conf" <<EOF
listen_addresses = '127.0.0.1'
wal_level = replica
max_wal_senders = 8
wal_keep_size = '256MB'
synchronous_commit = on
EOF
  pg_ctlcluster "$PG_VERSION" "$PRIMARY" start
  wait_for 30 "primary" pg_answers "$PRIMARY_PORT"
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -qc "CREATE DATABASE $DATABASE" postgres

  log "streaming replica on port $REPLICA_PORT"
  pg_createcluster "$PG_VERSION" "$REPLICA" -p "$REPLICA_PORT" >/dev/null
  trust_local "$REPLICA"
  local data="/var/lib/postgresql/$PG_VERSION/$REPLICA"
  # Emptied, not removed: the folder is the postgres user's, its parent is not.
  find "$data" -mindepth 1 -delete
  runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$data" -X stream --checkpoint=fast
  runuser -u postgres -- touch "$data/standby.signal"
  cat > "/etc/postgresql/$PG_VERSION/$REPLICA/conf.d/acta.conf" <<EOF
listen_addresses = '127.0.0.1'
hot_standby = on
primary_conninfo = 'host=127.0.0.1 port=$PRIMARY_PORT user=postgres application_name=$REPLICA'
EOF
  pg_ctlcluster "$PG_VERSION" "$REPLICA" start
  wait_for 30 "replica" pg_answers "$REPLICA_PORT"
  # Commits wait for the replica only once it streams: before, they would wait forever.
  echo "synchronous_standby_names = '$REPLICA'" \
    > "/etc/postgresql/$PG_VERSION/$PRIMARY/conf.d/acta-synchronous.conf"
  pg_ctlcluster "$PG_VERSION" "$PRIMARY" reload
  wait_for 30 "synchronous replication" bash -c \
    "[ \"\$(psql -h 127.0.0.1 -p $PRIMARY_PORT -U postgres -Atc \"SELECT sync_state FROM pg_stat_replication WHERE application_name = '$REPLICA'\" postgres)\" = sync ]"

  log "haproxy: PostgreSQL front on $PG_FRONT_PORT, HTTP front on $HTTP_PORT"
  cat > "$dir/haproxy.cfg" <<EOF
global
    maxconn 4000

defaults
    timeout connect 2s
    timeout check 1s

# Connections go to the primary while it answers, to the replica (promoted by
# 'failover') once it does not; those still open to a dead server are cut.
listen postgres
    mode tcp
    bind 127.0.0.1:$PG_FRONT_PORT
    timeout client 1h
    timeout server 1h
    option pgsql-check user postgres
    default-server inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions
    server primary 127.0.0.1:$PRIMARY_PORT check
    server replica 127.0.0.1:$REPLICA_PORT check backup

frontend http
    mode http
    bind 127.0.0.1:$HTTP_PORT
    timeout client 60s
    default_backend acta

backend acta
    mode http
    timeout server 60s
    balance roundrobin
    option httpchk GET /api/openapi.json
    server acta1 127.0.0.1:$SERVER1_PORT check inter 1s
    server acta2 127.0.0.1:$SERVER2_PORT check inter 1s
EOF
  haproxy -c -q -f "$dir/haproxy.cfg"
  haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid"
  wait_for 30 "PostgreSQL front" pg_answers "$PG_FRONT_PORT"

  log "schema, then three servers"
  "$ACTA" --database "$front_url" --index "$dir/index-0" init >/dev/null
  echo "$front_url" > "$dir/database-url"
  start_servers
  log "ready: http://127.0.0.1:$HTTP_PORT/ (servers :$SERVER1_PORT and :$SERVER2_PORT, database $front_url;" \
    "portal on the replica :$READER_PORT)"
}

start_servers() {
  start_server 1 "$SERVER1_PORT"
  start_server 2 "$SERVER2_PORT"
  start_server 3 "$READER_PORT" --read-database "$replica_url" --max-read-lag "$MAX_READ_LAG"
}

start_server() { # start_server N PORT [OPTION...]: each server keeps its own search index folder
  local n="$1" port="$2"; shift 2
  "$ACTA" --database "$front_url" --index "$dir/index-$n" serve --addr "127.0.0.1:$port" "$@" \
    > "$dir/server-$n.log" 2>&1 &
  echo $! > "$dir/server-$n.pid"
  wait_for 120 "server $n" curl -fsS "http://127.0.0.1:$port/api/openapi.json"
}

restart() {
  front_url="$(cat "$dir/database-url")"
  for n in 1 2 3; do
    [ -f "$dir/server-$n.pid" ] && kill "$(cat "$dir/server-$n.pid")" 2>/dev/null || true
  done
  wait_for 30 "servers stopped" bash -c \
    "! curl -fsS http://127.0.0.1:$SERVER1_PORT/ && ! curl -fsS http://127.0.0.1:$SERVER2_PORT/ \
     && ! curl -fsS http://127.0.0.1:$READER_PORT/"
  start_servers
  log "servers restarted"
}

failover() {
  log "primary killed"
  pg_ctlcluster "$PG_VERSION" "$PRIMARY" stop -m immediate
  log "replica promoted"
  pg_ctlcluster "$PG_VERSION" "$REPLICA" promote
  wait_for 30 "promotion" bash -c \
    "[ \"\$(psql -h 127.0.0.1 -p $REPLICA_PORT -U postgres -Atc 'SELECT pg_is_in_recovery()' postgres)\" = f ]"
}

drop_clusters() { # also the configuration files acta added, which pg_dropcluster leaves
  for cluster in "$REPLICA" "$PRIMARY"; do
    if pg_lsclusters -h | awk '{print $2}' | grep -qx "$cluster"; then
      pg_dropcluster --stop "$PG_VERSION" "$cluster" || true
    fi
    rm -rf "/etc/postgresql/$PG_VERSION/$cluster"
  done
}

down() {
  for pidfile in "$dir"/server-*.pid "$dir/haproxy.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  drop_clusters
  log "stopped"
}

case "$command" in
  up) up ;;
  restart) restart ;;
  failover) failover ;;
  down) down ;;
  *) usage ;;
esac
