#!/usr/bin/env bash
# Applies an overlay with plain kubectl, in the order the Argo CD sync waves give:
#   1. namespace, configuration, secrets, policies, operators' resources, set-up and migration jobs
#   2. wait for every job (db-init, topics-init, <svc>-migrate) to complete
#   3. the services (Deployments, Services, HPAs, PDBs), then wait for their rollout
# Usage: scripts/k8s/deploy.sh dev|prod
set -euo pipefail

overlay="${1:-}"
case "$overlay" in
  dev) namespace=eisss-dev ;;
  prod) namespace=eisss ;;
  *) echo "usage: $0 dev|prod" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
kubectl kustomize "$root/k8s/overlays/$overlay" >"$rendered"

log() { printf '[deploy %s] %s\n' "$overlay" "$*" >&2; }

# A Job's pod template is immutable, and a finished Job would not run again: remove the last run.
if kubectl get namespace "$namespace" >/dev/null 2>&1; then
  log "removing the previous set-up and migration jobs"
  kubectl -n "$namespace" delete job -l app.kubernetes.io/part-of=eisss --ignore-not-found --wait=true
fi

# `!=` also selects objects without the label (namespace, config, secrets, policies, ...).
log "applying everything but the services"
kubectl apply -f "$rendered" -l 'app.kubernetes.io/component!=server'

log "waiting for the jobs (a failing job shows in: kubectl -n $namespace get jobs,pods)"
kubectl -n "$namespace" wait --for=condition=complete job -l app.kubernetes.io/part-of=eisss --timeout=15m

log "applying the services"
kubectl apply -f "$rendered"
kubectl -n "$namespace" rollout status deployment -l app.kubernetes.io/component=server --timeout=10m
log "done"
