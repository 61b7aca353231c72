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
    .toSink(tcpSink("emails", promotionEmailCodec.encode, { id: (m) => m.clickId }));
  return app.build();
}

/** The loyalty application (registered as "loyalty"). */
export default buildLoyaltyApp();
