# gunicorn settings for the sidecar. `sidecar serve` loads this file, then sets `bind` and
# `threads` from SIDECAR_BIND and SIDECAR_THREADS.

# One worker process: the background jobs run in-process (APScheduler), and each worker would
# start its own scheduler. Job leases in the database keep extra schedulers harmless, but one
# worker with several threads is enough for a shop's webhook and page traffic and keeps memory
# low. Threads serve the requests; the work itself happens in the jobs.
workers = 1
worker_class = "gthread"
threads = 8

# No preload: the app (and its scheduler threads) must be created in the worker, not the master.
preload_app = False

# Webhook deliveries are answered as soon as they are stored; nothing slow runs in a request.
timeout = 30
graceful_timeout = 20
keepalive = 5

# Logs to stdout/stderr, for docker logs and journald.
accesslog = "-"
errorlog = "-"
# Accepted webhook deliveries are logged once, by the app (see sidecar/access_log.py).
logger_class = "sidecar.access_log.AccessLogger"
access_log_format = 'http method=%(m)s path="%(U)s" status=%(s)s ms=%(M)s bytes=%(B)s'
loglevel = "info"

# gunicorn's runtime control socket is not used; without it, two sidecars on one host (a
# rolling deploy, the tests) don't fight over one socket path in the home directory.
control_socket_disable = True


def post_fork(server, worker):
    # The threads mostly wait on sockets and SQLite, which release the GIL; when one comes back
    # holding a lock (the database's write lock), the default 5 ms GIL hand-off interval makes
    # every thread queued behind it wait too. A shorter interval keeps the queue moving.
    import sys

    sys.setswitchinterval(0.001)
