# twilio-emulator image. The build is scripts/build-release.sh, the same script a local release build
# runs (`bash scripts/build-release.sh dist`), so the image and a local build cannot drift.
# Needs BuildKit (the default builder since Docker 23) for the cache mounts.
# For local/dev stacks (see docker-compose.yml): the default config/docker.toml seeds the public sandbox
# tenant. For anything shared, set TWILIO_EMULATOR_CONFIG=/etc/twilio-emulator/staging.toml.

FROM rust:1-bookworm AS builder
WORKDIR /src
# The build context is filtered by .dockerignore (no target/, data/, .git ...).
COPY . .
# Cache mounts keep the crate registry and the target directory between builds (BuildKit); the script
# copies the binary and config/ out to /out, which is part of the layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    bash scripts/build-release.sh /out

FROM debian:bookworm-slim
# ca-certificates for TLS to a managed Postgres; curl for the HEALTHCHECK.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 emulator \
    && useradd --system --uid 10001 --gid emulator --no-create-home \
        --home-dir /var/lib/twilio-emulator --shell /usr/sbin/nologin emulator \
    && install -d -o emulator -g emulator -m 0750 /var/lib/twilio-emulator
COPY --from=builder /out/twilio-emulator /usr/local/bin/twilio-emulator
# default.toml (documentation; it is also built in), staging.toml (shared, seeds nothing), docker.toml.
COPY --from=builder /out/config/ /etc/twilio-emulator/

# Without DATABASE_URL the data lives in a SQLite file in /var/lib/twilio-emulator: mount a volume there
# to keep it. With DATABASE_URL=postgres://... that directory stays empty.
ENV TWILIO_EMULATOR_BIND=0.0.0.0:8080 \
    TWILIO_EMULATOR_DATA_DIR=/var/lib/twilio-emulator \
    TWILIO_EMULATOR_CONFIG=/etc/twilio-emulator/docker.toml \
    TWILIO_EMULATOR_LOG_FORMAT=json

USER 10001:10001
WORKDIR /var/lib/twilio-emulator
EXPOSE 8080
# Liveness only (no database round trip); orchestrators that want readiness use GET /readyz.
# It assumes port 8080: change it too if TWILIO_EMULATOR_BIND is changed.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
# The binary is PID 1 and handles SIGTERM itself (graceful shutdown, at most 10 s for in-flight requests).
ENTRYPOINT ["twilio-emulator"]
CMD ["serve"]
