# gunicorn settings for the sidecar. `sidecar serve` loads this file, then sets `bind` and
# `workers` and `threads` from SIDECAR_BIND, SIDECAR_WORKERS and SIDECAR_THREADS.

# Worker processes (SIDECAR_WORKERS, default 1) with threads each (SIDECAR_THREADS, default 8).
# Threads serve the requests; the work itself happens in the background jobs (APScheduler),
# which run in one worker only (see sidecar/gunicorn_workers.py). One worker is enough for a
# shop's webhook and page traffic; a second one uses a second core for webhook bursts.
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


def on_starting(server):
    from sidecar import gunicorn_workers

    gunicorn_workers.open_wake_pipe()


def pre_fork(server, worker):
    from sidecar import gunicorn_workers

    gunicorn_workers.choose(server, worker)


def post_fork(server, worker):
    # The threads mostly wait on sockets and SQLite, which release the GIL; when one comes back
    # holding a lock (the database's write lock), the default 5 ms GIL hand-off interval makes
    # every thread queued behind it wait too. A shorter interval keeps the queue moving.
    import sys

    from sidecar import gunicorn_workers

    sys.setswitchinterval(0.001)
    gunicorn_workers.adopt(worker)
