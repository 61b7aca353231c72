import { ApplicationBuilder } from "../../runtime/builder/application-builder.js";
import { defineState, tcpSink, tcpSource } from "../../runtime/builder/specs.js";
import {
  clickCodec,
  customerStateCodec,
  loyalCustomerCodec,
  promotionEmailCodec,
  type Click,
  type CustomerState,
  type LoyalCustomer,
  type PromotionEmail,
} from "./messages.js";
import { clicks, loyalCustomers, type WorkloadSpec } from "./workload.js";

/** Each customer's private state: whether it is loyal, and its counters. */
export const LoyaltyCustomers = defineState<CustomerState>(
  "LoyaltyCustomer",
  () => ({ loyal: false, email: "", name: "", tier: "", clicks: 0, emails: 0 }),
  customerStateCodec,
);

/** Loyal Customer Stream step: saves the record into the customer's state. */
export function saveLoyalCustomer(e: LoyalCustomer, s: CustomerState): undefined {
  s.loyal = true;
  s.email = e.email;
  s.name = e.name;
  s.tier = e.tier;
  return undefined;
}

/** Click Stream step: a click by a loyal customer yields one promotion email. */
export function checkLoyalClick(c: Click, s: CustomerState): PromotionEmail | undefined {
  s.clicks++;
  if (!s.loyal) return undefined;
  s.emails++;
  return {
    clickId: c.clickId,
    customerId: c.customerId,
    email: s.email,
    adId: c.adId,
    promotion: `${s.tier || "loyal"} customer offer for ad ${c.adId}`,
    clickTsMs: c.tsMs,
  };
}

/** Builds the reference loyalty application. */
export function buildLoyaltyApp(name = "loyalty") {
  const app = new ApplicationBuilder(name);
  app
    .newPipeline("Loyal Customer Stream", tcpSource("loyal", loyalCustomerCodec.decode))
    .toStatePartition(saveLoyalCustomer, LoyaltyCustomers, "loyalty customers", (e) => e.customerId);
  app
    .newPipeline("Click Stream", tcpSource("clicks", clickCodec.decode))
    .toStatePartition(checkLoyalClick, LoyaltyCustomers, "loyalty customers", (e) => e.customerId)
    .toSink(tcpSink("emails", promotionEmailCodec.encode, { id: (m) => m.clickId, decode: promotionEmailCodec.decode, key: (m) => m.customerId }));
  return app.build();
}

/** The workload `troupe verify` runs for `seed`: small enough for a quick run, with clicks by loyal and other customers. */
export function verifyWorkloadSpec(seed: number): WorkloadSpec {
  return { customers: 2_000, loyalFraction: 0.4, clicks: 20_000, seed };
}

/** `troupe verify`'s workload: phase 1 the loyal-customer records, phase 2 the clicks (sent once every record is applied). */
export function workload(seed: number): Array<Array<{ source: string; payload: Uint8Array }>> {
  const spec = verifyWorkloadSpec(seed);
  const loyal = [...loyalCustomers(spec)].map((c) => ({ source: "loyal", payload: loyalCustomerCodec.encode(c) }));
  const clickFrames = [...clicks(spec)].map((c) => ({ source: "clicks", payload: clickCodec.encode(c) }));
  return [loyal, clickFrames];
}

/** The loyalty application (registered as "loyalty"). */
export default buildLoyaltyApp();
