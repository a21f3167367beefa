# syntax=docker/dockerfile:1
# apf API. Build: docker build -t apf-api .   Run: see docker-compose.yml.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/agent/package.json apps/agent/
COPY apps/dashboard/package.json apps/dashboard/
COPY packages/agent-core/package.json packages/agent-core/
COPY packages/auth/package.json packages/auth/
COPY packages/db/package.json packages/db/
COPY packages/domain/package.json packages/domain/
COPY packages/printers/package.json packages/printers/
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 APF_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY migrations ./migrations
COPY apps ./apps
COPY packages ./packages
COPY scripts/build-api.mjs ./scripts/
# `npm run build`: the API compiled once into dist/api.mjs (no TypeScript compiler at run time).
RUN node scripts/build-api.mjs && mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# What `npm start` runs (package.json "start"), node flags included.
CMD ["node", "--heap-growing-percent=70", "--max-semi-space-size=32", "dist/api.mjs"]
