# Multi-stage: compile with dev dependencies, ship only the runtime; run as the unprivileged `node` user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --chown=node:node --from=build /app/node_modules ./node_modules
COPY --chown=node:node --from=build /app/dist ./dist
COPY --chown=node:node scim-schemas ./scim-schemas
# The console's browser files (plain ES modules, served as they are) and its message catalogues.
COPY --chown=node:node src/http/console/public ./src/http/console/public
COPY --chown=node:node config ./config
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:8080/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations run at start; `docker compose run --rm app node dist/cli/main.js …` runs the CLI.
# The node flags are npm start's (package.json; bench/README.md says why).
CMD ["node", "--no-allocation-site-pretenuring", "--heap-growing-percent=50", "dist/main.js"]
