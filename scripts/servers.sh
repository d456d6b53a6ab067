#!/usr/bin/env bash
# Throwaway MariaDB and Redis servers for the tests, on 127.0.0.1 only.
#
# Sourced by scripts/test.sh:  servers_start  (exports CHATMVC_TEST_*)  ...  servers_stop
# Run directly (`bash scripts/servers.sh`) it starts both, prints the variables to export in
# another shell for `dotnet test`, and stops them on Ctrl-C.

servers_log() { echo "servers: $*" >&2; }

servers_free_ports() {
    # Two distinct free TCP ports on 127.0.0.1 (both held open while choosing, so they differ), below the kernel's
    # ephemeral range: a port from there can be taken by any outgoing connection before the server binds it.
    python3 - <<'EOF'
import random, socket
socks = []
while len(socks) < 2:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", random.randrange(10000, 32000)))
    except OSError:
        s.close()
        continue
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

servers_bin() {
    # servers_bin NAME: the path of NAME on PATH or in the sbin folders (not on a normal user's PATH).
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return 0
    fi
    for dir in /usr/sbin /sbin /usr/local/sbin; do
        if [ -x "$dir/$name" ]; then
            echo "$dir/$name"
            return 0
        fi
    done
    return 1
}

servers_redis_launch() {
    # servers_redis_launch PORT: redis-server in the background, no persistence; sets SERVERS_REDIS_PID.
    redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
        --dir "$SERVERS_DIR" >>"$SERVERS_DIR/redis.log" 2>&1 &
    SERVERS_REDIS_PID=$!
}

servers_redis_answers() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = "PONG" ]; }

servers_wait() {
    # servers_wait NAME PID LOG COMMAND...: up to 60 s until COMMAND succeeds; fails early, showing the log,
    # when the server process exits or never answers.
    local name="$1" pid="$2" log="$3" i
    shift 3
    for ((i = 0; i < 120; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            servers_log "$name exited during startup:"
            tail -n 30 "$log" >&2
            return 1
        fi
        sleep 0.5
    done
    servers_log "$name did not answer within 60 s:"
    tail -n 30 "$log" >&2
    return 1
}

servers_start() {
    SERVERS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/chatmvc-test.XXXXXX")"
    chmod 755 "$SERVERS_DIR" # mariadbd runs as the mysql user and must traverse it
    SERVERS_MYSQL_PID=""
    SERVERS_REDIS_PID=""

    local ports mysql_port redis_port password sock mariadbd install_db user_args=()
    ports="$(servers_free_ports)"
    mysql_port="${ports% *}"
    redis_port="${ports#* }"
    password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    sock="$SERVERS_DIR/mysql.sock"

    mariadbd="$(servers_bin mariadbd)" || { servers_log "mariadbd not found"; return 1; }
    install_db="$(servers_bin mariadb-install-db)" || { servers_log "mariadb-install-db not found"; return 1; }

    mkdir -p "$SERVERS_DIR/mysql"
    if [ "$(id -u)" -eq 0 ]; then
        # As root the server runs as the mysql user, which must own the data folder and be able
        # to create the socket next to it.
        user_args=(--user=mysql)
        chown mysql "$SERVERS_DIR/mysql" "$SERVERS_DIR"
    fi

    servers_log "initialising MariaDB in $SERVERS_DIR/mysql"
    if ! "$install_db" "${user_args[@]}" --datadir="$SERVERS_DIR/mysql" \
        --auth-root-authentication-method=normal --skip-test-db >"$SERVERS_DIR/mariadb-install.log" 2>&1; then
        servers_log "mariadb-install-db failed:"
        tail -n 30 "$SERVERS_DIR/mariadb-install.log" >&2
        return 1
    fi

    # A temporary directory of its own: with the shared /tmp, another MariaDB started beside this one (parallel
    # test suites, a bench) removed this one's on-disk temporary tables mid-query ("Error on delete of
    # '/tmp/#sql-temptable-...'").
    mkdir -p "$SERVERS_DIR/mysql-tmp"
    [ "${#user_args[@]}" -eq 0 ] || chown mysql "$SERVERS_DIR/mysql-tmp"
    "$mariadbd" --no-defaults "${user_args[@]}" --datadir="$SERVERS_DIR/mysql" --tmpdir="$SERVERS_DIR/mysql-tmp" \
        --bind-address=127.0.0.1 --port="$mysql_port" --socket="$sock" \
        --character-set-server=utf8mb4 --skip-log-bin >"$SERVERS_DIR/mariadb.log" 2>&1 &
    SERVERS_MYSQL_PID=$!

    servers_redis_launch "$redis_port"

    servers_wait MariaDB "$SERVERS_MYSQL_PID" "$SERVERS_DIR/mariadb.log" \
        mariadb-admin --no-defaults --socket="$sock" -uroot ping || return 1

    # A user for TCP connections that may create one database per test class; root gets a password too.
    if ! mariadb --no-defaults --socket="$sock" -uroot <<EOF; then
CREATE USER 'chat'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'chat'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'chat'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'chat'@'localhost' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$password';
FLUSH PRIVILEGES;
EOF
        servers_log "could not create the MariaDB test user"
        return 1
    fi

    servers_wait Redis "$SERVERS_REDIS_PID" "$SERVERS_DIR/redis.log" \
        servers_redis_answers "$redis_port" || return 1

    export CHATMVC_TEST_MYSQL="Server=127.0.0.1;Port=$mysql_port;User ID=chat;Password=$password;SslMode=None;AllowPublicKeyRetrieval=true"
    export CHATMVC_TEST_REDIS="127.0.0.1:$redis_port"
    export CHATMVC_TEST_CHROMIUM="${CHATMVC_TEST_CHROMIUM:-/usr/bin/chromium}"
    SERVERS_MYSQL_PORT="$mysql_port"
    SERVERS_REDIS_PORT="$redis_port"
    SERVERS_PASSWORD="$password"
    servers_log "MariaDB on 127.0.0.1:$mysql_port (pid $SERVERS_MYSQL_PID), Redis on 127.0.0.1:$redis_port (pid $SERVERS_REDIS_PID)"
}

servers_stop_one() {
    # servers_stop_one PID: SIGTERM, up to 30 s for a clean exit, then SIGKILL; reap it quietly.
    local pid="$1" i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL "$pid" 2>/dev/null || true
    { wait "$pid"; } 2>/dev/null || true
}

servers_redis_restart() {
    # servers_redis_restart [DOWN_SECONDS]: stops the Redis started by servers_start (by its PID), waits, and
    # starts it again on the same port with the same flags (empty: nothing is saved); returns once it answers.
    local i
    servers_stop_one "${SERVERS_REDIS_PID:-}"
    sleep "${1:-2}"
    servers_redis_launch "$SERVERS_REDIS_PORT"
    for ((i = 0; i < 100; i++)); do
        servers_redis_answers "$SERVERS_REDIS_PORT" && return 0
        sleep 0.1
    done
    servers_log "Redis did not come back within 10 s"
    return 1
}

servers_stop() {
    servers_stop_one "${SERVERS_MYSQL_PID:-}"
    servers_stop_one "${SERVERS_REDIS_PID:-}"
    SERVERS_MYSQL_PID=""
    SERVERS_REDIS_PID=""
    if [ -n "${SERVERS_DIR:-}" ] && [ -d "$SERVERS_DIR" ]; then
        rm -rf "$SERVERS_DIR"
    fi
    SERVERS_DIR=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    trap servers_stop EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    servers_start
    echo "export CHATMVC_TEST_MYSQL='$CHATMVC_TEST_MYSQL'"
    echo "export CHATMVC_TEST_REDIS='$CHATMVC_TEST_REDIS'"
    echo "export CHATMVC_TEST_CHROMIUM='$CHATMVC_TEST_CHROMIUM'"
    echo "# Servers run until Ctrl-C." >&2
    wait
fi
