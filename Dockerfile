# Build: a full Rust toolchain with libpq for diesel's PostgreSQL backend (SQLite is bundled).
FROM rust:1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY config config
COPY assets assets
RUN cargo build --release --locked --bin talentbridge

# Run: a slim image with only the shared libraries the binary needs, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin talentbridge \
 && mkdir -p /app/data \
 && chown talentbridge /app/data
COPY --from=build /src/target/release/talentbridge /usr/local/bin/talentbridge
COPY config /app/config
WORKDIR /app
ENV TALENTBRIDGE_ENV=production \
    TALENTBRIDGE_CONFIG_DIR=/app/config \
    TALENTBRIDGE__APPLICATION__DATA_DIR=/app/data
USER talentbridge
VOLUME ["/app/data"]
EXPOSE 8080
ENTRYPOINT ["talentbridge"]
CMD ["serve", "--bind", "0.0.0.0:8080"]
