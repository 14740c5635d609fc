/** Types of gen-policy.mjs (the benchmarks' generator, also used by test/load/policy-fast.test.ts). */
export function generatePolicy(n: number, options?: { seed?: number }): unknown;
