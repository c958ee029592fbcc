# Sourced by .ci/run: install PostgreSQL (once), start its cluster on loopback, create the role
# and database of the store tests, and export ROTASAT_TEST_DATABASE_URL. Safe to run again on a
# machine where the cluster is already installed or running.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$pg_version main"; then
  pg_createcluster "$pg_version" main >/dev/null
fi
pg_ctlcluster "$pg_version" main status >/dev/null 2>&1 || pg_ctlcluster "$pg_version" main start
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$pg_port"
pg_sql() { su postgres -c "psql -p $pg_port -v ON_ERROR_STOP=1 -tAc \"$1\""; }
[ "$(pg_sql "SELECT 1 FROM pg_roles WHERE rolname = 'rotasat'")" = 1 ] \
  || pg_sql "CREATE ROLE rotasat LOGIN PASSWORD 'rotasat'"
[ "$(pg_sql "SELECT 1 FROM pg_database WHERE datname = 'rotasat_test'")" = 1 ] \
  || pg_sql "CREATE DATABASE rotasat_test OWNER rotasat"
export ROTASAT_TEST_DATABASE_URL="postgresql+psycopg://rotasat:rotasat@127.0.0.1:$pg_port/rotasat_test"
echo "PostgreSQL $pg_version on 127.0.0.1:$pg_port for the store tests"
