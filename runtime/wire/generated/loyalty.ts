// Generated from proto/loyalty.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbjs's static code: JavaScript, so not type-checked; its types are pbts's, in ./loyalty-types.ts.
// @ts-nocheck
/* eslint-disable */
import { staticProtobuf as $protobuf } from "../static-codec.js";
import type * as types from "./loyalty-types.js";

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
var $root = $protobuf.roots["troupe-loyalty"] || ($protobuf.roots["troupe-loyalty"] = {});

$root.loyalty = (function() {

    /**
     * Namespace loyalty.
     * @exports loyalty
     * @namespace
     */
    var loyalty = {};

    loyalty.LoyalCustomer = (function() {

        /**
         * Properties of a LoyalCustomer.
         * @memberof loyalty
         * @interface ILoyalCustomer
         * @property {string|null} [customerId] LoyalCustomer customerId
         * @property {string|null} [email] LoyalCustomer email
         * @property {string|null} [name] LoyalCustomer name
         * @property {string|null} [tier] LoyalCustomer tier
         */

        /**
         * Constructs a new LoyalCustomer.
         * @memberof loyalty
         * @classdesc Represents a LoyalCustomer.
         * @implements ILoyalCustomer
         * @constructor
         * @param {loyalty.ILoyalCustomer=} [properties] Properties to set
         */
        function LoyalCustomer(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * LoyalCustomer customerId.
         * @member {string} customerId
         * @memberof loyalty.LoyalCustomer
         * @instance
         */
        LoyalCustomer.prototype.customerId = "";

        /**
         * LoyalCustomer email.
         * @member {string} email
         * @memberof loyalty.LoyalCustomer
         * @instance
         */
        LoyalCustomer.prototype.email = "";

        /**
         * LoyalCustomer name.
         * @member {string} name
         * @memberof loyalty.LoyalCustomer
         * @instance
         */
        LoyalCustomer.prototype.name = "";

        /**
         * LoyalCustomer tier.
         * @member {string} tier
         * @memberof loyalty.LoyalCustomer
         * @instance
         */
        LoyalCustomer.prototype.tier = "";

        /**
         * Encodes the specified LoyalCustomer message. Does not implicitly {@link loyalty.LoyalCustomer.verify|verify} messages.
         * @function encode
         * @memberof loyalty.LoyalCustomer
         * @static
         * @param {loyalty.ILoyalCustomer} message LoyalCustomer message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        LoyalCustomer.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.customerId != null && Object.hasOwnProperty.call(message, "customerId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.customerId);
            if (message.email != null && Object.hasOwnProperty.call(message, "email"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.email);
            if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
            if (message.tier != null && Object.hasOwnProperty.call(message, "tier"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.tier);
            return writer;
        };

        /**
         * Decodes a LoyalCustomer message from the specified reader or buffer.
         * @function decode
         * @memberof loyalty.LoyalCustomer
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {loyalty.LoyalCustomer} LoyalCustomer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        LoyalCustomer.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.loyalty.LoyalCustomer();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.customerId = reader.string();
                        break;
                    }
                case 2: {
                        message.email = reader.string();
                        break;
                    }
                case 3: {
                        message.name = reader.string();
                        break;
                    }
                case 4: {
                        message.tier = reader.string();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        return LoyalCustomer;
    })();

    loyalty.Click = (function() {

        /**
         * Properties of a Click.
         * @memberof loyalty
         * @interface IClick
         * @property {string|null} [clickId] Click clickId
         * @property {string|null} [customerId] Click customerId
         * @property {string|null} [adId] Click adId
         * @property {number|null} [tsMs] Click tsMs
         */

        /**
         * Constructs a new Click.
         * @memberof loyalty
         * @classdesc Represents a Click.
         * @implements IClick
         * @constructor
         * @param {loyalty.IClick=} [properties] Properties to set
         */
        function Click(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Click clickId.
         * @member {string} clickId
         * @memberof loyalty.Click
         * @instance
         */
        Click.prototype.clickId = "";

        /**
         * Click customerId.
         * @member {string} customerId
         * @memberof loyalty.Click
         * @instance
         */
        Click.prototype.customerId = "";

        /**
         * Click adId.
         * @member {string} adId
         * @memberof loyalty.Click
         * @instance
         */
        Click.prototype.adId = "";

        /**
         * Click tsMs.
         * @member {number} tsMs
         * @memberof loyalty.Click
         * @instance
         */
        Click.prototype.tsMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Encodes the specified Click message. Does not implicitly {@link loyalty.Click.verify|verify} messages.
         * @function encode
         * @memberof loyalty.Click
         * @static
         * @param {loyalty.IClick} message Click message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Click.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.clickId != null && Object.hasOwnProperty.call(message, "clickId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.clickId);
            if (message.customerId != null && Object.hasOwnProperty.call(message, "customerId"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.customerId);
            if (message.adId != null && Object.hasOwnProperty.call(message, "adId"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.adId);
            if (message.tsMs != null && Object.hasOwnProperty.call(message, "tsMs"))
                writer.uint32(/* id 4, wireType 0 =*/32).int64(message.tsMs);
            return writer;
        };

        /**
         * Decodes a Click message from the specified reader or buffer.
         * @function decode
         * @memberof loyalty.Click
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {loyalty.Click} Click
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Click.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.loyalty.Click();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.clickId = reader.string();
                        break;
                    }
                case 2: {
                        message.customerId = reader.string();
                        break;
                    }
                case 3: {
                        message.adId = reader.string();
                        break;
                    }
                case 4: {
                        message.tsMs = reader.int64();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        return Click;
    })();

    loyalty.PromotionEmail = (function() {

        /**
         * Properties of a PromotionEmail.
         * @memberof loyalty
         * @interface IPromotionEmail
         * @property {string|null} [clickId] PromotionEmail clickId
         * @property {string|null} [customerId] PromotionEmail customerId
         * @property {string|null} [email] PromotionEmail email
         * @property {string|null} [adId] PromotionEmail adId
         * @property {string|null} [promotion] PromotionEmail promotion
         * @property {number|null} [clickTsMs] PromotionEmail clickTsMs
         */

        /**
         * Constructs a new PromotionEmail.
         * @memberof loyalty
         * @classdesc Represents a PromotionEmail.
         * @implements IPromotionEmail
         * @constructor
         * @param {loyalty.IPromotionEmail=} [properties] Properties to set
         */
        function PromotionEmail(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * PromotionEmail clickId.
         * @member {string} clickId
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.clickId = "";

        /**
         * PromotionEmail customerId.
         * @member {string} customerId
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.customerId = "";

        /**
         * PromotionEmail email.
         * @member {string} email
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.email = "";

        /**
         * PromotionEmail adId.
         * @member {string} adId
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.adId = "";

        /**
         * PromotionEmail promotion.
         * @member {string} promotion
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.promotion = "";

        /**
         * PromotionEmail clickTsMs.
         * @member {number} clickTsMs
         * @memberof loyalty.PromotionEmail
         * @instance
         */
        PromotionEmail.prototype.clickTsMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

        /**
         * Encodes the specified PromotionEmail message. Does not implicitly {@link loyalty.PromotionEmail.verify|verify} messages.
         * @function encode
         * @memberof loyalty.PromotionEmail
         * @static
         * @param {loyalty.IPromotionEmail} message PromotionEmail message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        PromotionEmail.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.clickId != null && Object.hasOwnProperty.call(message, "clickId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.clickId);
            if (message.customerId != null && Object.hasOwnProperty.call(message, "customerId"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.customerId);
            if (message.email != null && Object.hasOwnProperty.call(message, "email"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.email);
            if (message.adId != null && Object.hasOwnProperty.call(message, "adId"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.adId);
            if (message.promotion != null && Object.hasOwnProperty.call(message, "promotion"))
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.promotion);
            if (message.clickTsMs != null && Object.hasOwnProperty.call(message, "clickTsMs"))
                writer.uint32(/* id 6, wireType 0 =*/48).int64(message.clickTsMs);
            return writer;
        };

        /**
         * Decodes a PromotionEmail message from the specified reader or buffer.
         * @function decode
         * @memberof loyalty.PromotionEmail
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {loyalty.PromotionEmail} PromotionEmail
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        PromotionEmail.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.loyalty.PromotionEmail();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.clickId = reader.string();
                        break;
                    }
                case 2: {
                        message.customerId = reader.string();
                        break;
                    }
                case 3: {
                        message.email = reader.string();
                        break;
                    }
                case 4: {
                        message.adId = reader.string();
                        break;
                    }
                case 5: {
                        message.promotion = reader.string();
                        break;
                    }
                case 6: {
                        message.clickTsMs = reader.int64();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        return PromotionEmail;
    })();

    loyalty.CustomerState = (function() {

        /**
         * Properties of a CustomerState.
         * @memberof loyalty
         * @interface ICustomerState
         * @property {boolean|null} [loyal] CustomerState loyal
         * @property {string|null} [email] CustomerState email
         * @property {string|null} [name] CustomerState name
         * @property {string|null} [tier] CustomerState tier
         * @property {number|null} [clicks] CustomerState clicks
         * @property {number|null} [emails] CustomerState emails
         */

        /**
         * Constructs a new CustomerState.
         * @memberof loyalty
         * @classdesc A customer's private state inside its actor (persisted on passivation).
         * @implements ICustomerState
         * @constructor
         * @param {loyalty.ICustomerState=} [properties] Properties to set
         */
        function CustomerState(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * CustomerState loyal.
         * @member {boolean} loyal
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.loyal = false;

        /**
         * CustomerState email.
         * @member {string} email
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.email = "";

        /**
         * CustomerState name.
         * @member {string} name
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.name = "";

        /**
         * CustomerState tier.
         * @member {string} tier
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.tier = "";

        /**
         * CustomerState clicks.
         * @member {number} clicks
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.clicks = 0;

        /**
         * CustomerState emails.
         * @member {number} emails
         * @memberof loyalty.CustomerState
         * @instance
         */
        CustomerState.prototype.emails = 0;

        /**
         * Encodes the specified CustomerState message. Does not implicitly {@link loyalty.CustomerState.verify|verify} messages.
         * @function encode
         * @memberof loyalty.CustomerState
         * @static
         * @param {loyalty.ICustomerState} message CustomerState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        CustomerState.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.loyal != null && Object.hasOwnProperty.call(message, "loyal"))
                writer.uint32(/* id 1, wireType 0 =*/8).bool(message.loyal);
            if (message.email != null && Object.hasOwnProperty.call(message, "email"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.email);
            if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
            if (message.tier != null && Object.hasOwnProperty.call(message, "tier"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.tier);
            if (message.clicks != null && Object.hasOwnProperty.call(message, "clicks"))
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.clicks);
            if (message.emails != null && Object.hasOwnProperty.call(message, "emails"))
                writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.emails);
            return writer;
        };

        /**
         * Decodes a CustomerState message from the specified reader or buffer.
         * @function decode
         * @memberof loyalty.CustomerState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {loyalty.CustomerState} CustomerState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        CustomerState.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.loyalty.CustomerState();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.loyal = reader.bool();
                        break;
                    }
                case 2: {
                        message.email = reader.string();
                        break;
                    }
                case 3: {
                        message.name = reader.string();
                        break;
                    }
                case 4: {
                        message.tier = reader.string();
                        break;
                    }
                case 5: {
                        message.clicks = reader.uint32();
                        break;
                    }
                case 6: {
                        message.emails = reader.uint32();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        return CustomerState;
    })();

    return loyalty;
})();


/** Package `loyalty` of proto/loyalty.proto: a class per message, with static `encode` and `decode`. */
export const loyalty = $root.loyalty as typeof types.loyalty;
