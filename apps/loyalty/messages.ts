import { loyalty } from "../../runtime/wire/generated/loyalty.js";
import type { loyalty as pb } from "../../runtime/wire/generated/loyalty-types.js";
import { staticCodec, type Decoded, type MessageCodec } from "../../runtime/wire/static-codec.js";

// Shapes and codecs generated from proto/loyalty.proto (`npm run proto`).

/** A loyal-customer record (proto `loyalty.LoyalCustomer`). */
export type LoyalCustomer = Decoded<pb.ILoyalCustomer>;
/** An ad click (proto `loyalty.Click`). */
export type Click = Decoded<pb.IClick>;
/** The email sent for a loyal customer's click (proto `loyalty.PromotionEmail`). */
export type PromotionEmail = Decoded<pb.IPromotionEmail>;
/** A customer's private state (proto `loyalty.CustomerState`). */
export type CustomerState = Decoded<pb.ICustomerState>;

/** Codec for `LoyalCustomer` frames. */
export const loyalCustomerCodec: MessageCodec<LoyalCustomer> = staticCodec(loyalty.LoyalCustomer);
/** Codec for `Click` frames. */
export const clickCodec: MessageCodec<Click> = staticCodec(loyalty.Click);
/** Codec for `PromotionEmail` frames. */
export const promotionEmailCodec: MessageCodec<PromotionEmail> = staticCodec(loyalty.PromotionEmail);
/** Codec for persisted `CustomerState`. */
export const customerStateCodec: MessageCodec<CustomerState> = staticCodec(loyalty.CustomerState);
