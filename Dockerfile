# syntax=docker/dockerfile:1
# Build: docker build -t oxapay-bot .
# Run:   docker compose up -d        (compose.yaml: the volume, .env and the restart policy)
#   or:  docker run -d --name oxapay-bot --restart unless-stopped --env-file .env \
#          -v oxapay-data:/data oxapay-bot
# Tools: docker compose exec oxapay-bot oxapay-bot check
#        docker compose exec oxapay-bot oxapay-bot backup /data/backup-$(date +%F).db

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# No OpenSSL: TLS is rustls with compiled-in roots; SQLite is bundled by libsqlite3-sys.
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
# The chart font is compiled in (include_bytes!).
COPY assets ./assets
# No .git is copied (.dockerignore): build.rs then leaves the commit out of --version.
# Cargo.toml names the bench target and the example: the manifest needs their files present.
COPY benches ./benches
COPY examples ./examples
RUN cargo build --release --locked --bin oxapay-bot

FROM debian:bookworm-slim
# tini forwards SIGTERM from `docker stop` and reaps; the bot itself exits 0 on SIGTERM.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin oxapay \
 && mkdir -p /data && chown oxapay:oxapay /data
COPY --from=build /src/target/release/oxapay-bot /usr/local/bin/oxapay-bot
# The binary embeds Open Sans; its licence (Apache-2.0) travels with it.
COPY --from=build /src/assets/fonts/LICENSE-OpenSans.txt /usr/share/doc/oxapay-bot/LICENSE-OpenSans.txt
USER oxapay
WORKDIR /data
VOLUME ["/data"]
# Metrics and /healthz on the container's loopback only (publish nothing): the HEALTHCHECK below
# asks there. Set METRICS_LISTEN=0.0.0.0:9090 to let Prometheus scrape from another container.
ENV DATABASE_URL=sqlite:///data/oxapay-bot.db \
    METRICS_LISTEN=127.0.0.1:9090 \
    RUST_LOG=info
# No curl in the slim image: the binary asks its own /healthz (exit 0 healthy, 1 not).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/oxapay-bot", "health"]
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/oxapay-bot"]
