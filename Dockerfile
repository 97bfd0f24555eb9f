# The coalition image: one image for the web servers (`coalition serve --no-worker`), the
# task workers (`coalition worker`) and one-off commands (migrate, backup). See
# docs/deploy.md; compose.yaml starts the whole layout.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    COALITION_HOME=/var/lib/coalition

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY deploy/entrypoint.sh /usr/local/bin/coalition-entrypoint
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /var/lib/coalition --create-home coalition \
    && mkdir -p /var/lib/coalition-keys /backups \
    && chown coalition /var/lib/coalition-keys /backups

USER coalition
EXPOSE 8000
ENTRYPOINT ["coalition-entrypoint"]
CMD ["coalition", "serve", "--no-worker", "--host", "0.0.0.0", "--port", "8000"]
