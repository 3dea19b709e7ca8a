# gunicorn settings for the sidecar. `sidecar serve` loads this file, then sets `bind` and
# `workers` and `threads` from SIDECAR_BIND, SIDECAR_WORKERS and SIDECAR_THREADS.

# Worker processes (SIDECAR_WORKERS, default 2) with one thread each (SIDECAR_THREADS, default 1),
# which makes them gunicorn's plain `sync` workers: a request at a time, from start to end. The
# background jobs (APScheduler) run in threads of one of the workers only (see
# sidecar/gunicorn_workers.py). Measured with bench/webhook_intake.py on two cores: threads
# waited on each other for the GIL at every socket and database call, and the gthread worker
# hands each request between threads twice; two sync workers store webhooks about twice as
# fast with a fifth of the tail latency. A sync worker is held up by a slow client for up to
# SIDECAR_READ_TIMEOUT (sidecar/slow_clients.py, the sync worker `sidecar serve` uses): keep the
# sidecar on loopback or behind a reverse proxy, as the README says, or set SIDECAR_THREADS above
# 1, which switches to the gthread worker (sidecar/serve.py), where a slow client holds a thread.
workers = 2
worker_class = "sidecar.slow_clients.DeadlineSyncWorker"
threads = 1

# No preload: the app (and its scheduler threads) must be created in the worker, not the master.
preload_app = False

# A sync worker that answers nothing for this long is restarted. Webhooks take milliseconds, but
# a settings page may wait for WooCommerce (read timeout 60 s) before it answers.
timeout = 120
graceful_timeout = 20
keepalive = 5  # used by gthread workers only; sync workers close every connection

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
    # In the worker with the jobs, a request shares the GIL with the job threads; when a thread
    # comes back from a socket or SQLite holding a lock (the database's write lock), the default
    # 5 ms GIL hand-off interval makes everything queued behind it wait too.
    import sys

    from sidecar import gunicorn_workers

    sys.setswitchinterval(0.001)
    gunicorn_workers.adopt(worker)
    gunicorn_workers.follow_the_master_out(worker.ppid)
