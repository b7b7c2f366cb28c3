/** "Now" for the service; tests and batch jobs may bind another clock. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
