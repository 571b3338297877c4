# Build: the whole workspace in release mode.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin gongzhi

# Run: a small image with just the binary, as a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app gongzhi \
 && mkdir -p /app/data && chown gongzhi /app/data
WORKDIR /app
COPY --from=build /src/target/release/gongzhi /usr/local/bin/gongzhi
USER gongzhi
ENV GONGZHI_BIND=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["gongzhi"]
CMD ["serve"]
