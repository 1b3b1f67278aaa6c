# Hindsight: docker build -t hindsight . && docker run --env-file .env -v hindsight:/data hindsight
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build step: the
# first stage only installs production dependencies, the second copies them beside the sources.

FROM node:24-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 ships prebuilt binaries for glibc: no compiler in the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-trixie-slim
ENV NODE_ENV=production \
    HINDSIGHT_DB=/data/hindsight.db \
    HINDSIGHT_HTTP_PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY commands ./commands
COPY storage ./storage
# The code stays root-owned and read-only for the bot; only the database volume is its to write.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 3000: Slack's HTTP receiver (and /healthz, /metrics with it); 8080: /healthz, /metrics otherwise
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["node", "src/http/healthcheck.ts"]
# node as PID 1 receives docker stop's SIGTERM directly and shuts down gracefully.
ENTRYPOINT ["node", "src/main.ts"]
CMD ["start"]
