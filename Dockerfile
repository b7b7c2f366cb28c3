# syntax=docker/dockerfile:1
#
# One Dockerfile for the six services:
#   docker build --build-arg SERVICE=social-register -t eisss/social-register .
#
# The build stage does not depend on SERVICE, so six images share one cached `npm ci` and one
# `npm run build` (tsc -b builds every lib and service); only the small assemble step differs.
# The image also carries scripts/infra (database and topic set-up), so that the set-up jobs of
# docker-compose.yml and k8s/ can run from any service image.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NX_DAEMON=false \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# Manifests first: `npm ci` stays cached until the dependencies change. COPY cannot keep the
# directory of a glob match, so each workspace is listed; add a line when a lib is added.
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/platform/package.json libs/platform/
COPY libs/testing/package.json libs/testing/
RUN --mount=type=cache,target=/root/.npm npm ci

COPY tsconfig.base.json tsconfig.build.json ./
COPY libs/ libs/
COPY services/ services/
COPY scripts/infra/ scripts/infra/
# Build with the dev dependencies, then drop them. `npm prune` keeps the workspace links
# node_modules/@eisss/* -> ../../libs/*, which is how services resolve the libs at run time.
RUN npm run build && npm prune --omit=dev

# Gather what one service needs under /out, so that the final stage names no workspace.
# Type declarations and build info are left out; source maps are kept for stack traces.
ARG SERVICE
RUN set -eu; \
    if [ -z "${SERVICE:-}" ]; then echo "build with --build-arg SERVICE=<service>" >&2; exit 1; fi; \
    if [ ! -f "services/${SERVICE}/dist/main.js" ]; then \
      echo "unknown SERVICE '${SERVICE}': services/${SERVICE}/dist/main.js was not built" >&2; exit 1; \
    fi; \
    mkdir -p "/out/services/${SERVICE}" /out/scripts; \
    cp package.json /out/; \
    for lib in libs/*/; do \
      mkdir -p "/out/${lib}"; \
      cp -a "${lib}package.json" "${lib}dist" "/out/${lib}"; \
    done; \
    cp -a "services/${SERVICE}/dist" "/out/services/${SERVICE}/"; \
    if [ -d "services/${SERVICE}/schemas" ]; then cp -a "services/${SERVICE}/schemas" "/out/services/${SERVICE}/"; fi; \
    cp -a scripts/infra /out/scripts/; \
    find /out/libs /out/services \( -name '*.d.ts' -o -name '*.d.ts.map' -o -name '*.tsbuildinfo' \) -delete

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
LABEL org.opencontainers.image.title="eisss-${SERVICE}" \
      org.opencontainers.image.description="ЄІССС ${SERVICE} service (NestJS)"

# A fixed numeric uid, so that Kubernetes can verify runAsNonRoot (uid 10001, as in k8s/).
RUN groupadd --system --gid 10001 eisss \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin eisss

ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# Files stay owned by root: the process can read its code but not change it.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /out/ ./
USER 10001:10001

# Liveness only (the process answers); readiness (DB + Kafka) is for orchestrators to decide.
# PORT comes from the environment, or else the service's default port in scripts/infra/services.js.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "const p=process.env.PORT||require('/app/scripts/infra/services.js').SERVICES.find((s)=>s.name===process.env.SERVICE).port;fetch('http://127.0.0.1:'+p+'/health/live',{signal:AbortSignal.timeout(4000)}).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# CMD cannot expand variables in exec form; `exec` makes node PID 1 so that it receives SIGTERM.
# Migrations: `node services/<svc>/dist/migrate.js up|down [N]|status` with the same image.
CMD ["/bin/sh", "-c", "exec node \"services/${SERVICE}/dist/main.js\""]
