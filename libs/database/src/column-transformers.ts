import type { ValueTransformer } from 'typeorm';

/** BIGINT minor units <-> bigint. mysql2 hands BIGINT over as a string so nothing passes through a float. */
export const bigintColumn: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | null) => (value === null || value === undefined ? value : BigInt(value)),
};
