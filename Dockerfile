# syntax=docker/dockerfile:1
# Build: docker build -t oxapay-bot .
# Run:   docker run -d --name oxapay-bot --env-file .env -v oxapay-data:/data oxapay-bot

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# No OpenSSL: TLS is rustls with compiled-in roots; SQLite is bundled by libsqlite3-sys.
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY migrations ./migrations
# The chart font is compiled in (include_bytes!).
COPY assets ./assets
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
ENV DATABASE_URL=sqlite:///data/oxapay-bot.db \
    RUST_LOG=info
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/oxapay-bot"]
