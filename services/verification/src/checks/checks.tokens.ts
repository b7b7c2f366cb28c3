/** Active assignments checked per page of the monthly run (bounds the facts held in memory). */
export const CURRENT_RUN_PAGE_SIZE = Symbol('CURRENT_RUN_PAGE_SIZE');
