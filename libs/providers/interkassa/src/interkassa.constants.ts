/** The provider id payhub knows Interkassa by. */
export const INTERKASSA = 'interkassa';
