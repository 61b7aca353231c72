import { messageCodec } from "../../runtime/wire/proto-root.js";

/** A loyal-customer record (proto `loyalty.LoyalCustomer`). */
export interface LoyalCustomer {
  customerId: string;
  email: string;
  name: string;
  tier: string;
}

/** An ad click (proto `loyalty.Click`). */
export interface Click {
  clickId: string;
  customerId: string;
  adId: string;
  tsMs: number;
}

/** The email sent for a loyal customer's click (proto `loyalty.PromotionEmail`). */
export interface PromotionEmail {
  clickId: string;
  customerId: string;
  email: string;
  adId: string;
  promotion: string;
  clickTsMs: number;
}

/** A customer's private state (proto `loyalty.CustomerState`). */
export interface CustomerState {
  loyal: boolean;
  email: string;
  name: string;
  tier: string;
  clicks: number;
  emails: number;
}

/** Codec for `LoyalCustomer` frames. */
export const loyalCustomerCodec = messageCodec<LoyalCustomer>("loyalty.proto", "loyalty.LoyalCustomer");
/** Codec for `Click` frames. */
export const clickCodec = messageCodec<Click>("loyalty.proto", "loyalty.Click");
/** Codec for `PromotionEmail` frames. */
export const promotionEmailCodec = messageCodec<PromotionEmail>("loyalty.proto", "loyalty.PromotionEmail");
/** Codec for persisted `CustomerState`. */
export const customerStateCodec = messageCodec<CustomerState>("loyalty.proto", "loyalty.CustomerState");
