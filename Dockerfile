# The sidecar as a container: slim, non-root, state in the /data volume.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md requirements.lock ./
# The locked versions, each checked against its hash, then the sidecar without resolving again.
RUN /opt/venv/bin/pip install --no-compile --require-hashes -r requirements.lock
COPY sidecar ./sidecar
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --no-compile --no-deps .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    SIDECAR_DATA_DIR=/data \
    SIDECAR_BIND=0.0.0.0:8000
RUN useradd --system --uid 10001 --user-group --home-dir /app sidecar \
    && mkdir -p /data /app \
    && chown sidecar:sidecar /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY config/gunicorn.conf.py config/entrypoint.sh ./config/
USER sidecar
VOLUME ["/data"]
EXPOSE 8000
# Probes the port of the default SIDECAR_BIND; change both together.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["/app/config/entrypoint.sh"]
