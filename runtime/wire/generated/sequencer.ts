// Generated from proto/sequencer.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbjs's static code: JavaScript, so not type-checked; its types are pbts's, in ./sequencer-types.ts.
// @ts-nocheck
/* eslint-disable */
import { staticProtobuf as $protobuf } from "../static-codec.js";
import type * as types from "./sequencer-types.js";

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
var $root = $protobuf.roots["troupe-sequencer"] || ($protobuf.roots["troupe-sequencer"] = {});

$root.sequencer = (function() {

    /**
     * Namespace sequencer.
     * @exports sequencer
     * @namespace
     */
    var sequencer = {};

    sequencer.Tick = (function() {

        /**
         * Properties of a Tick.
         * @memberof sequencer
         * @interface ITick
         * @property {string|null} [key] Tick key
         * @property {string|null} [stream] Tick stream
         * @property {number|null} [seq] Tick seq
         */

        /**
         * Constructs a new Tick.
         * @memberof sequencer
         * @classdesc One event: the `seq`-th event of `stream` (a sender connection) for key `key`.
         * @implements ITick
         * @constructor
         * @param {sequencer.ITick=} [properties] Properties to set
         */
        function Tick(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Tick key.
         * @member {string} key
         * @memberof sequencer.Tick
         * @instance
         */
        Tick.prototype.key = "";

        /**
         * Tick stream.
         * @member {string} stream
         * @memberof sequencer.Tick
         * @instance
         */
        Tick.prototype.stream = "";

        /**
         * Tick seq.
         * @member {number} seq
         * @memberof sequencer.Tick
         * @instance
         */
        Tick.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified Tick message. Does not implicitly {@link sequencer.Tick.verify|verify} messages.
         * @function encode
         * @memberof sequencer.Tick
         * @static
         * @param {sequencer.ITick} message Tick message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Tick.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
            if (message.stream != null && Object.hasOwnProperty.call(message, "stream"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.stream);
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
            return writer;
        };

        /**
         * Decodes a Tick message from the specified reader or buffer.
         * @function decode
         * @memberof sequencer.Tick
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {sequencer.Tick} Tick
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Tick.decode = function decode(reader, length, error, long) {
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
            message = new $root.sequencer.Tick();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.key = reader.string();
                        break;
                    }
                case 2: {
                        message.stream = reader.string();
                        break;
                    }
                case 3: {
                        message.seq = reader.uint64();
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

        return Tick;
    })();

    sequencer.Applied = (function() {

        /**
         * Properties of an Applied.
         * @memberof sequencer
         * @interface IApplied
         * @property {string|null} [key] Applied key
         * @property {string|null} [stream] Applied stream
         * @property {number|null} [seq] Applied seq
         * @property {number|null} [prev] Applied prev
         * @property {string|null} [node] Applied node
         * @property {number|null} [epoch] Applied epoch
         * @property {number|null} [slot] Applied slot
         * @property {number|null} [count] Applied count
         * @property {number|null} [atMs] Applied atMs
         */

        /**
         * Constructs a new Applied.
         * @memberof sequencer
         * @classdesc What the key's actor saw: the previous seq it applied from the same stream, and where and when it ran
         * (`at_ms`: the node's wall clock as the step ran).
         * @implements IApplied
         * @constructor
         * @param {sequencer.IApplied=} [properties] Properties to set
         */
        function Applied(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Applied key.
         * @member {string} key
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.key = "";

        /**
         * Applied stream.
         * @member {string} stream
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.stream = "";

        /**
         * Applied seq.
         * @member {number} seq
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Applied prev.
         * @member {number} prev
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.prev = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Applied node.
         * @member {string} node
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.node = "";

        /**
         * Applied epoch.
         * @member {number} epoch
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Applied slot.
         * @member {number} slot
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.slot = 0;

        /**
         * Applied count.
         * @member {number} count
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.count = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Applied atMs.
         * @member {number} atMs
         * @memberof sequencer.Applied
         * @instance
         */
        Applied.prototype.atMs = 0;

        /**
         * Encodes the specified Applied message. Does not implicitly {@link sequencer.Applied.verify|verify} messages.
         * @function encode
         * @memberof sequencer.Applied
         * @static
         * @param {sequencer.IApplied} message Applied message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Applied.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
            if (message.stream != null && Object.hasOwnProperty.call(message, "stream"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.stream);
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
            if (message.prev != null && Object.hasOwnProperty.call(message, "prev"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.prev);
            if (message.node != null && Object.hasOwnProperty.call(message, "node"))
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.node);
            if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.epoch);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.slot);
            if (message.count != null && Object.hasOwnProperty.call(message, "count"))
                writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.count);
            if (message.atMs != null && Object.hasOwnProperty.call(message, "atMs"))
                writer.uint32(/* id 9, wireType 1 =*/73).double(message.atMs);
            return writer;
        };

        /**
         * Decodes an Applied message from the specified reader or buffer.
         * @function decode
         * @memberof sequencer.Applied
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {sequencer.Applied} Applied
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Applied.decode = function decode(reader, length, error, long) {
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
            message = new $root.sequencer.Applied();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.key = reader.string();
                        break;
                    }
                case 2: {
                        message.stream = reader.string();
                        break;
                    }
                case 3: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 4: {
                        message.prev = reader.uint64();
                        break;
                    }
                case 5: {
                        message.node = reader.string();
                        break;
                    }
                case 6: {
                        message.epoch = reader.uint64();
                        break;
                    }
                case 7: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 8: {
                        message.count = reader.uint64();
                        break;
                    }
                case 9: {
                        message.atMs = reader.double();
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

        return Applied;
    })();

    sequencer.SequencerState = (function() {

        /**
         * Properties of a SequencerState.
         * @memberof sequencer
         * @interface ISequencerState
         * @property {Object.<string,number>|null} [last] SequencerState last
         * @property {number|null} [count] SequencerState count
         */

        /**
         * Constructs a new SequencerState.
         * @memberof sequencer
         * @classdesc A key's private state.
         * @implements ISequencerState
         * @constructor
         * @param {sequencer.ISequencerState=} [properties] Properties to set
         */
        function SequencerState(properties) {
            this.last = {};
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SequencerState last.
         * @member {Object.<string,number>} last
         * @memberof sequencer.SequencerState
         * @instance
         */
        SequencerState.prototype.last = $util.emptyObject;

        /**
         * SequencerState count.
         * @member {number} count
         * @memberof sequencer.SequencerState
         * @instance
         */
        SequencerState.prototype.count = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified SequencerState message. Does not implicitly {@link sequencer.SequencerState.verify|verify} messages.
         * @function encode
         * @memberof sequencer.SequencerState
         * @static
         * @param {sequencer.ISequencerState} message SequencerState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SequencerState.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.last != null && Object.hasOwnProperty.call(message, "last"))
                for (var keys = Object.keys(message.last), i = 0; i < keys.length; ++i)
                    writer.uint32(/* id 1, wireType 2 =*/10).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.last[keys[i]]).ldelim();
            if (message.count != null && Object.hasOwnProperty.call(message, "count"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.count);
            return writer;
        };

        /**
         * Decodes a SequencerState message from the specified reader or buffer.
         * @function decode
         * @memberof sequencer.SequencerState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {sequencer.SequencerState} SequencerState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SequencerState.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message, key, value;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.sequencer.SequencerState();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        if (message.last === $util.emptyObject)
                            message.last = {};
                        var end2 = reader.uint32() + reader.pos;
                        if (end2 > reader.len)
                            throw RangeError("index out of range");
                        reader.len = end2;
                        key = "";
                        value = 0;
                        while (reader.pos < end2) {
                            var tag2 = reader.uint32();
                            switch (tag2 >>> 3) {
                            case 1:
                                key = reader.string();
                                break;
                            case 2:
                                value = reader.uint64();
                                break;
                            default:
                                reader.skipType(tag2 & 7, long);
                                break;
                            }
                        }
                        if (reader.pos !== end2)
                            throw RangeError("index out of range");
                        reader.len = end;
                        if (key === "__proto__")
                            $util.makeProp(message.last, key);
                        message.last[key] = value;
                        break;
                    }
                case 2: {
                        message.count = reader.uint64();
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

        return SequencerState;
    })();

    return sequencer;
})();


/** Package `sequencer` of proto/sequencer.proto: a class per message, with static `encode` and `decode`. */
export const sequencer = $root.sequencer as typeof types.sequencer;
