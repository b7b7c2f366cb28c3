/** "Now", injected so that checks that depend on today can be tested with a fixed date. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;

/** Active assignments checked per page of the monthly run (bounds the facts held in memory). */
export const CURRENT_RUN_PAGE_SIZE = Symbol('CURRENT_RUN_PAGE_SIZE');
