import type { Click, LoyalCustomer } from "./messages.js";
import { prng } from "../../runtime/util/random.js";

/** A small fast PRNG (mulberry32) so that the same seed gives the same workload everywhere. */
export { prng };

/** Parameters of a reproducible loyalty workload: the generator and the sink derive the same data from them. */
export interface WorkloadSpec {
  customers: number;
  /** Fraction of customers with a loyal record, 0..1. */
  loyalFraction: number;
  clicks: number;
  seed: number;
}

/** Default workload of `troupe demo`. */
export const DEFAULT_WORKLOAD: WorkloadSpec = { customers: 10_000, loyalFraction: 0.3, clicks: 200_000, seed: 42 };

const TIERS = ["gold", "silver", "platinum"];

/** The customer id of customer number `i`. */
export function customerId(i: number): string {
  return `cust-${i}`;
}

/** Whether customer `i` is loyal in this workload. */
export function isLoyal(spec: WorkloadSpec, i: number): boolean {
  return prng(spec.seed ^ Math.imul(i + 1, 0x9e3779b1))() < spec.loyalFraction;
}

/** The loyal-customer records of the workload. */
export function* loyalCustomers(spec: WorkloadSpec): Generator<LoyalCustomer> {
  for (let i = 0; i < spec.customers; i++) {
    if (!isLoyal(spec, i)) continue;
    yield { customerId: customerId(i), email: `customer${i}@example.com`, name: `Customer ${i}`, tier: TIERS[i % TIERS.length]! };
  }
}

/** The clicks of the workload, in order. */
export function* clicks(spec: WorkloadSpec): Generator<Click> {
  const rnd = prng(spec.seed);
  for (let n = 0; n < spec.clicks; n++) {
    const i = Math.floor(rnd() * spec.customers);
    yield { clickId: `click-${n}`, customerId: customerId(i), adId: `ad-${n % 97}`, tsMs: 1_700_000_000_000 + n };
  }
}

/** Which clicks must be emailed (1 at click number `n`: a click by a loyal customer), without materialising the clicks. */
export function expectedEmailMask(spec: WorkloadSpec): Uint8Array {
  const loyal = new Uint8Array(spec.customers);
  for (let i = 0; i < spec.customers; i++) loyal[i] = isLoyal(spec, i) ? 1 : 0;
  const out = new Uint8Array(spec.clicks);
  const rnd = prng(spec.seed);
  for (let n = 0; n < spec.clicks; n++) out[n] = loyal[Math.floor(rnd() * spec.customers)]!;
  return out;
}

/** Click ids that must be emailed (clicks by loyal customers), without materialising the clicks. */
export function expectedEmails(spec: WorkloadSpec): Set<string> {
  const mask = expectedEmailMask(spec);
  const out = new Set<string>();
  for (let n = 0; n < mask.length; n++) if (mask[n]) out.add(`click-${n}`);
  return out;
}
