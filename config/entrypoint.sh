#!/bin/sh
# Container entry point: migrate (waiting for the database to come up), then become gunicorn.
set -eu

tries=0
until sidecar migrate; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "entrypoint: the database is still unreachable after $tries attempts; giving up" >&2
    exit 1
  fi
  echo "entrypoint: migrate failed; retrying in 5 s ($tries/30)" >&2
  sleep 5
done

# exec: gunicorn becomes PID 1 and receives SIGTERM from `docker stop` directly.
exec sidecar serve
