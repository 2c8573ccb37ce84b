# The production image: one Soundstack process per container, served by granian.
# Built and run by compose.yaml (app, media worker, migrations); see README "Production".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/soundstack
RUN useradd --system --uid 10001 --home-dir /srv/soundstack soundstack \
    && mkdir -p /var/lib/soundstack/media && chown -R soundstack /var/lib/soundstack

COPY pyproject.toml constraints.txt README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY deploy/granian-logging.json ./deploy/granian-logging.json
RUN pip install -c constraints.txt .

USER soundstack
EXPOSE 8000
CMD ["granian", "--interface", "asgi", "--factory", "app.main:create_app", \
     "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-ws", "--loop", "uvloop", \
     "--respawn-failed-workers", "--log-config", "deploy/granian-logging.json"]
