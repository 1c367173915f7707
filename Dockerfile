# License Desk: one image for both roles.
#   api:    npm run api      (prisma migrate deploy, then the Hono API and the built admin UI)
#   worker: npm run worker   (the Temporal worker)
# docker-compose.yml picks the role with `command:`. See docs/deployment.md.

########## build: install, generate the Prisma client, build the admin UI ##########
FROM node:20.20-bookworm-slim AS build
WORKDIR /app

# npm 11 runs install scripts only for the packages approved in package.json#allowScripts;
# the npm 10 that ships with Node 20 would run every package's scripts.
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
RUN npm install -g npm@11.19.1

# `postinstall` runs `prisma generate`, which needs some DATABASE_URL but never connects.
# This placeholder exists in this stage only; the runtime gets the real URL from compose.
ENV DATABASE_URL=postgresql://build:build@localhost:5432/build \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1

# Dependencies first, so that a source change does not reinstall them.
# prisma.config.ts and prisma/ are what `prisma generate` reads.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci

COPY . .

# The admin UI: a production vite build into admin-ui/dist, with a brotli and a gzip copy of each
# text file that the API sends as they are (api/ui-static.ts). admin-ui has no package.json of its
# own (its dependencies are the root's), so the check this replaces never built it.
RUN npm run ui:build

# The workflows bundled once at build time (Temporal's prebuilt bundle): a worker container then
# starts without webpack's seconds of CPU, and every replica runs the same bundle (WORKFLOW_BUNDLE_PATH below).
RUN npm run build:workflows -- /app/dist/workflow-bundle.js

# The runtime needs only production dependencies (tsx and prisma are among them).
RUN npm prune --omit=dev

########## runtime ##########
FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js

# The code stays owned by root, so the app cannot rewrite itself; only DATA_DIR is writable.
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data

USER node

# 3000: the API and UI (API_PORT). 3001: the worker's health endpoint (WORKER_HEALTH_PORT).
EXPOSE 3000 3001
CMD ["npm", "run", "api"]
