import type { DualControlRequest, DualControlRequestInput, Principal } from '@eisss/platform';

/**
 * DualControl calls a handler with the request and the approver, still preceded by a (deprecated) manager while
 * the platform keeps the old form: the last two arguments are the ones that count, so the handler fits both.
 */
export function onApproval(
  execute: (request: DualControlRequest, approver: Principal) => Promise<Record<string, unknown>>,
): (...args: unknown[]) => Promise<Record<string, unknown>> {
  return (...args) => execute(...(args.slice(-2) as [DualControlRequest, Principal]));
}

/** The same for a handler's `check` (the input asked for and the requester). */
export function onRequest(
  check: (input: DualControlRequestInput, requester: Principal) => Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return (...args) => check(...(args.slice(-2) as [DualControlRequestInput, Principal]));
}
