// Generated from proto/loyalty.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbts's declarations of the static code in ./loyalty.ts (64-bit integers are numbers there).
/* eslint-disable */
import type * as $protobuf from "protobufjs";
/** Namespace loyalty. */
export declare namespace loyalty {

    /** Properties of a LoyalCustomer. */
    interface ILoyalCustomer {

        /** LoyalCustomer customerId */
        customerId?: (string|null);

        /** LoyalCustomer email */
        email?: (string|null);

        /** LoyalCustomer name */
        name?: (string|null);

        /** LoyalCustomer tier */
        tier?: (string|null);
    }

    /** Represents a LoyalCustomer. */
    class LoyalCustomer implements ILoyalCustomer {

        /**
         * Constructs a new LoyalCustomer.
         * @param [properties] Properties to set
         */
        constructor(properties?: loyalty.ILoyalCustomer);

        /** LoyalCustomer customerId. */
        public customerId: string;

        /** LoyalCustomer email. */
        public email: string;

        /** LoyalCustomer name. */
        public name: string;

        /** LoyalCustomer tier. */
        public tier: string;

        /**
         * Encodes the specified LoyalCustomer message. Does not implicitly {@link loyalty.LoyalCustomer.verify|verify} messages.
         * @param message LoyalCustomer message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: loyalty.ILoyalCustomer, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a LoyalCustomer message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns LoyalCustomer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): loyalty.LoyalCustomer;
    }

    /** Properties of a Click. */
    interface IClick {

        /** Click clickId */
        clickId?: (string|null);

        /** Click customerId */
        customerId?: (string|null);

        /** Click adId */
        adId?: (string|null);

        /** Click tsMs */
        tsMs?: (number|null);
    }

    /** Represents a Click. */
    class Click implements IClick {

        /**
         * Constructs a new Click.
         * @param [properties] Properties to set
         */
        constructor(properties?: loyalty.IClick);

        /** Click clickId. */
        public clickId: string;

        /** Click customerId. */
        public customerId: string;

        /** Click adId. */
        public adId: string;

        /** Click tsMs. */
        public tsMs: number;

        /**
         * Encodes the specified Click message. Does not implicitly {@link loyalty.Click.verify|verify} messages.
         * @param message Click message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: loyalty.IClick, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Click message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Click
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): loyalty.Click;
    }

    /** Properties of a PromotionEmail. */
    interface IPromotionEmail {

        /** PromotionEmail clickId */
        clickId?: (string|null);

        /** PromotionEmail customerId */
        customerId?: (string|null);

        /** PromotionEmail email */
        email?: (string|null);

        /** PromotionEmail adId */
        adId?: (string|null);

        /** PromotionEmail promotion */
        promotion?: (string|null);

        /** PromotionEmail clickTsMs */
        clickTsMs?: (number|null);
    }

    /** Represents a PromotionEmail. */
    class PromotionEmail implements IPromotionEmail {

        /**
         * Constructs a new PromotionEmail.
         * @param [properties] Properties to set
         */
        constructor(properties?: loyalty.IPromotionEmail);

        /** PromotionEmail clickId. */
        public clickId: string;

        /** PromotionEmail customerId. */
        public customerId: string;

        /** PromotionEmail email. */
        public email: string;

        /** PromotionEmail adId. */
        public adId: string;

        /** PromotionEmail promotion. */
        public promotion: string;

        /** PromotionEmail clickTsMs. */
        public clickTsMs: number;

        /**
         * Encodes the specified PromotionEmail message. Does not implicitly {@link loyalty.PromotionEmail.verify|verify} messages.
         * @param message PromotionEmail message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: loyalty.IPromotionEmail, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a PromotionEmail message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns PromotionEmail
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): loyalty.PromotionEmail;
    }

    /** Properties of a CustomerState. */
    interface ICustomerState {

        /** CustomerState loyal */
        loyal?: (boolean|null);

        /** CustomerState email */
        email?: (string|null);

        /** CustomerState name */
        name?: (string|null);

        /** CustomerState tier */
        tier?: (string|null);

        /** CustomerState clicks */
        clicks?: (number|null);

        /** CustomerState emails */
        emails?: (number|null);
    }

    /** A customer's private state inside its actor (persisted on passivation). */
    class CustomerState implements ICustomerState {

        /**
         * Constructs a new CustomerState.
         * @param [properties] Properties to set
         */
        constructor(properties?: loyalty.ICustomerState);

        /** CustomerState loyal. */
        public loyal: boolean;

        /** CustomerState email. */
        public email: string;

        /** CustomerState name. */
        public name: string;

        /** CustomerState tier. */
        public tier: string;

        /** CustomerState clicks. */
        public clicks: number;

        /** CustomerState emails. */
        public emails: number;

        /**
         * Encodes the specified CustomerState message. Does not implicitly {@link loyalty.CustomerState.verify|verify} messages.
         * @param message CustomerState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: loyalty.ICustomerState, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a CustomerState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns CustomerState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): loyalty.CustomerState;
    }
}
