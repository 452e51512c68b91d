#!/usr/bin/env bash
# Installs the pinned pgserver wheel (PostgreSQL 16.2 + pgvector 0.6.2, see requirements.txt)
# into its own venv, for the Postgres store's tests (`npm run test:pg`) and benchmark.
# Idempotent and fast: a no-op when the pinned version is already there.
#
# Where: $NEWSRAG_PGSERVER_HOME, else ~/.cache/newsrag/pgserver, except as root, where it is
# /opt/newsrag/pgserver: PostgreSQL refuses to run as root, so the tests run it as the system
# user `newsrag-pg` (created here), which must be able to reach the binaries (/root is 0700).
# tests/support/postgres.ts computes the same default.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=0.1.4
if [ "$(id -u)" = 0 ]; then default=/opt/newsrag/pgserver; else default="$HOME/.cache/newsrag/pgserver"; fi
home="${NEWSRAG_PGSERVER_HOME:-$default}"
py="${PYTHON:-python3}"

if [ "$(id -u)" = 0 ] && ! id newsrag-pg >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin newsrag-pg
  echo "pg:install: created system user newsrag-pg (PostgreSQL does not run as root)"
fi

if ls "$home"/lib/python*/site-packages/pgserver-"$version".dist-info >/dev/null 2>&1; then
  echo "pg:install: pgserver $version already in $home"
  exit 0
fi
mkdir -p "$(dirname "$home")"
"$py" -m venv "$home"
"$home/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
  --only-binary=:all: -r "$here/requirements.txt"
# Others (newsrag-pg when root) must read and run the bundled binaries and libraries.
chmod -R go+rX "$home"
echo "pg:install: pgserver $version installed in $home ($("$home"/lib/python*/site-packages/pgserver/pginstall/bin/postgres --version))"
