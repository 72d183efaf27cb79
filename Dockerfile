# syntax=docker/dockerfile:1
# sangsaeng's container images (see deploy/README.md and compose.yaml):
#   docker build -t sangsaeng .                        the app: web, websockets, worker, chain node
#   docker build --target nginx -t sangsaeng-nginx .   nginx with the collected static files

# Front-end libraries from npm, pinned and vendored at build time (what `make assets` does).
FROM node:22-bookworm-slim AS assets
RUN npm install --prefix /assets --no-audit --no-fund --silent echarts@6.1.0

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
# gettext compiles the Korean/English catalogues
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.lock requirements-contracts.lock ./
# torch from its CPU index first: PyPI's default wheel brings several GB of CUDA libraries
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==$(grep '^torch==' requirements.lock | cut -d= -f3)" \
 && pip install -r requirements.lock \
 && pip install --no-deps -r requirements-contracts.lock
COPY . .
COPY --from=assets /assets/node_modules/echarts/dist/echarts.min.js sangsaeng/insights/static/insights/vendor/echarts.min.js
# Static files (hashed, compressed) and catalogues at build time. The production profile refuses to
# load without its secrets; these throwaway ones exist only in this build step.
RUN cd sangsaeng && python -m django compilemessages --settings=sangsaeng.settings -v 0 --ignore .venv \
 && cd /app && SANGSAENG_PROFILE=production STATIC_ROOT=/app/static SANGSAENG_VAR_DIR=/tmp/build-var \
    SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    SANGSAENG_ENCRYPTION_KEYS=build:YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM= \
    ALLOWED_HOSTS=build CHAIN_RELAYER_KEY=0x0000000000000000000000000000000000000000000000000000000000000001 \
    python -m sangsaeng.cli collectstatic --noinput -v 0 \
 && rm -rf /tmp/build-var .git var

# nginx from Debian in front of the app (compose.yaml's `nginx`), serving the collected static files.
FROM debian:bookworm-slim AS nginx
RUN apt-get update && apt-get install -y --no-install-recommends nginx-light && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/nginx/sangsaeng && chown www-data /var/lib/nginx/sangsaeng
COPY deploy/nginx.compose.conf /etc/nginx/nginx.conf
COPY --from=build /app/static /srv/sangsaeng/static
EXPOSE 8080
CMD ["nginx", "-g", "daemon off;"]

# The app: one image, the command picks the part (compose.yaml).
FROM python:3.11-slim AS app
ENV PATH=/opt/venv/bin:$PATH PYTHONPATH=/app PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=sangsaeng.settings SANGSAENG_PROFILE=production \
    SANGSAENG_VAR_DIR=/data STATIC_ROOT=/app/static BIND_HOST=0.0.0.0
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin sangsaeng \
 && mkdir -p /data /chain && chown sangsaeng:sangsaeng /data /chain
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
USER sangsaeng
VOLUME ["/data"]
EXPOSE 8000 8001 8545
# The web process: granian's WSGI interface (HTTP never goes through Django's ASGI handler).
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "1", \
     "--blocking-threads", "4", "--respawn-failed-workers", "--no-ws", "--log-level", "warning", \
     "sangsaeng.wsgi:application"]
