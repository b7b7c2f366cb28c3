/** "Now", injected so that checks that depend on today can be tested with a fixed date. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
