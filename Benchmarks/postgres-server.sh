# Sourced by the PostgreSQL benchmarks, from the repository's root: the server at
# $URLTRIAGE_TEST_PG, else a throwaway cluster of .ci/postgres, which
# `postgres_server_stop` stops again (and leaves a server it did not start alone).
# Sets SERVER (its URL), BASE (the URL without its database, to name another) and
# PGPASSWORD, for psql.
started_here=""
if [ -z "${URLTRIAGE_TEST_PG:-}" ]; then
  # A cluster someone else started (the tests', another run's) is used and left running:
  # `.ci/postgres start` reuses it, and stopping it would pull it from under its users.
  if ! .ci/postgres env >/dev/null 2>&1 || ! psql -q "$(.ci/postgres env | sed 's/^export URLTRIAGE_TEST_PG=//')" -c 'SELECT 1' >/dev/null 2>&1; then
    started_here=1
  fi
  eval "$(.ci/postgres start)"
fi
SERVER=$URLTRIAGE_TEST_PG
BASE=${SERVER%/*}
export PGPASSWORD=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).password or "")' "$SERVER")

postgres_server_stop() {
  if [ -n "$started_here" ]; then .ci/postgres stop; fi
}
