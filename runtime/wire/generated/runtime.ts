// Generated from proto/runtime.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbjs's static code: JavaScript, so not type-checked; its types are pbts's, in ./runtime-types.ts.
// @ts-nocheck
/* eslint-disable */
import { staticProtobuf as $protobuf } from "../static-codec.js";
import type * as types from "./runtime-types.js";

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
var $root = $protobuf.roots["troupe-runtime"] || ($protobuf.roots["troupe-runtime"] = {});

$root.troupe = (function() {

    /**
     * Namespace troupe.
     * @exports troupe
     * @namespace
     */
    var troupe = {};

    troupe.Envelope = (function() {

        /**
         * Properties of an Envelope.
         * @memberof troupe
         * @interface IEnvelope
         * @property {string|null} [app] application name
         * @property {number|null} [stage] index of the stage to run in the app's stage list
         * @property {number|null} [slot] slot of the key within the stage's state partition
         * @property {string|null} [key] actor key
         * @property {Uint8Array|null} [payload] stage input, encoded by the stage's input codec
         * @property {number|null} [epoch] placement epoch the sender routed with
         * @property {string|null} [source] originating source connection id (node/source/conn)
         * @property {number|null} [seq] per-source sequence number (de-duplication, order)
         * @property {number|null} [hops] forwards so far
         * @property {number|null} [acceptedMs] when the source accepted the event (latency)
         */

        /**
         * Constructs a new Envelope.
         * @memberof troupe
         * @classdesc One event addressed to a virtual actor (or to a pipeline stage on the owner node).
         * @implements IEnvelope
         * @constructor
         * @param {troupe.IEnvelope=} [properties] Properties to set
         */
        function Envelope(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * application name
         * @member {string} app
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.app = "";

        /**
         * index of the stage to run in the app's stage list
         * @member {number} stage
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.stage = 0;

        /**
         * slot of the key within the stage's state partition
         * @member {number} slot
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.slot = 0;

        /**
         * actor key
         * @member {string} key
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.key = "";

        /**
         * stage input, encoded by the stage's input codec
         * @member {Uint8Array} payload
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.payload = $util.newBuffer([]);

        /**
         * placement epoch the sender routed with
         * @member {number} epoch
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * originating source connection id (node/source/conn)
         * @member {string} source
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.source = "";

        /**
         * per-source sequence number (de-duplication, order)
         * @member {number} seq
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * forwards so far
         * @member {number} hops
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.hops = 0;

        /**
         * when the source accepted the event (latency)
         * @member {number} acceptedMs
         * @memberof troupe.Envelope
         * @instance
         */
        Envelope.prototype.acceptedMs = 0;

        /**
         * Encodes the specified Envelope message. Does not implicitly {@link troupe.Envelope.verify|verify} messages.
         * @function encode
         * @memberof troupe.Envelope
         * @static
         * @param {troupe.IEnvelope} message Envelope message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Envelope.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.stage != null && Object.hasOwnProperty.call(message, "stage"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.stage);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.slot);
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.key);
            if (message.payload != null && Object.hasOwnProperty.call(message, "payload"))
                writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.payload);
            if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.epoch);
            if (message.source != null && Object.hasOwnProperty.call(message, "source"))
                writer.uint32(/* id 7, wireType 2 =*/58).string(message.source);
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.seq);
            if (message.hops != null && Object.hasOwnProperty.call(message, "hops"))
                writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.hops);
            if (message.acceptedMs != null && Object.hasOwnProperty.call(message, "acceptedMs"))
                writer.uint32(/* id 10, wireType 1 =*/81).double(message.acceptedMs);
            return writer;
        };

        /**
         * Decodes an Envelope message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Envelope
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Envelope} Envelope
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Envelope.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Envelope();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.stage = reader.uint32();
                        break;
                    }
                case 3: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 4: {
                        message.key = reader.string();
                        break;
                    }
                case 5: {
                        message.payload = reader.bytes();
                        break;
                    }
                case 6: {
                        message.epoch = reader.uint64();
                        break;
                    }
                case 7: {
                        message.source = reader.string();
                        break;
                    }
                case 8: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 9: {
                        message.hops = reader.uint32();
                        break;
                    }
                case 10: {
                        message.acceptedMs = reader.double();
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

        return Envelope;
    })();

    troupe.Batch = (function() {

        /**
         * Properties of a Batch.
         * @memberof troupe
         * @interface IBatch
         * @property {Array.<troupe.IEnvelope>|null} [envelopes] Batch envelopes
         */

        /**
         * Constructs a new Batch.
         * @memberof troupe
         * @classdesc Events for one destination node, one per flush.
         * @implements IBatch
         * @constructor
         * @param {troupe.IBatch=} [properties] Properties to set
         */
        function Batch(properties) {
            this.envelopes = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Batch envelopes.
         * @member {Array.<troupe.IEnvelope>} envelopes
         * @memberof troupe.Batch
         * @instance
         */
        Batch.prototype.envelopes = $util.emptyArray;

        /**
         * Encodes the specified Batch message. Does not implicitly {@link troupe.Batch.verify|verify} messages.
         * @function encode
         * @memberof troupe.Batch
         * @static
         * @param {troupe.IBatch} message Batch message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Batch.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.envelopes != null && message.envelopes.length)
                for (var i = 0; i < message.envelopes.length; ++i)
                    $root.troupe.Envelope.encode(message.envelopes[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            return writer;
        };

        /**
         * Decodes a Batch message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Batch
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Batch} Batch
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Batch.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Batch();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        if (!(message.envelopes && message.envelopes.length))
                            message.envelopes = [];
                        message.envelopes.push($root.troupe.Envelope.decode(reader, reader.uint32(), undefined, long + 1));
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

        return Batch;
    })();

    troupe.Ack = (function() {

        /**
         * Properties of an Ack.
         * @memberof troupe
         * @interface IAck
         * @property {number|null} [seq] Ack seq
         * @property {string|null} [incarnation] Ack incarnation
         * @property {boolean|null} [reset] Ack reset
         */

        /**
         * Constructs a new Ack.
         * @memberof troupe
         * @classdesc Cumulative acknowledgement: every message up to and including `seq` of sender incarnation `incarnation` arrived.
         * With `reset`: the receiver met that stream mid-way (its first message was lost, or the receiver restarted
         * and cannot know what it had): it took nothing, and the sender resends what is unacknowledged as a new
         * stream from seq 1.
         * @implements IAck
         * @constructor
         * @param {troupe.IAck=} [properties] Properties to set
         */
        function Ack(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Ack seq.
         * @member {number} seq
         * @memberof troupe.Ack
         * @instance
         */
        Ack.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Ack incarnation.
         * @member {string} incarnation
         * @memberof troupe.Ack
         * @instance
         */
        Ack.prototype.incarnation = "";

        /**
         * Ack reset.
         * @member {boolean} reset
         * @memberof troupe.Ack
         * @instance
         */
        Ack.prototype.reset = false;

        /**
         * Encodes the specified Ack message. Does not implicitly {@link troupe.Ack.verify|verify} messages.
         * @function encode
         * @memberof troupe.Ack
         * @static
         * @param {troupe.IAck} message Ack message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Ack.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
            if (message.incarnation != null && Object.hasOwnProperty.call(message, "incarnation"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.incarnation);
            if (message.reset != null && Object.hasOwnProperty.call(message, "reset"))
                writer.uint32(/* id 3, wireType 0 =*/24).bool(message.reset);
            return writer;
        };

        /**
         * Decodes an Ack message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Ack
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Ack} Ack
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Ack.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Ack();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 2: {
                        message.incarnation = reader.string();
                        break;
                    }
                case 3: {
                        message.reset = reader.bool();
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

        return Ack;
    })();

    troupe.ActorState = (function() {

        /**
         * Properties of an ActorState.
         * @memberof troupe
         * @interface IActorState
         * @property {string|null} [key] ActorState key
         * @property {Uint8Array|null} [state] ActorState state
         * @property {number|null} [revision] snapshot mode: the store's revision of the key as the old owner left it (0: never stored)
         * @property {number|null} [seq] the last event-stream sequence the state reflects
         * @property {boolean|null} [stored] the store holds this state at `revision`: its next owner need not write it
         */

        /**
         * Constructs a new ActorState.
         * @memberof troupe
         * @classdesc State of one actor moving between owners.
         * @implements IActorState
         * @constructor
         * @param {troupe.IActorState=} [properties] Properties to set
         */
        function ActorState(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * ActorState key.
         * @member {string} key
         * @memberof troupe.ActorState
         * @instance
         */
        ActorState.prototype.key = "";

        /**
         * ActorState state.
         * @member {Uint8Array} state
         * @memberof troupe.ActorState
         * @instance
         */
        ActorState.prototype.state = $util.newBuffer([]);

        /**
         * snapshot mode: the store's revision of the key as the old owner left it (0: never stored)
         * @member {number} revision
         * @memberof troupe.ActorState
         * @instance
         */
        ActorState.prototype.revision = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * the last event-stream sequence the state reflects
         * @member {number} seq
         * @memberof troupe.ActorState
         * @instance
         */
        ActorState.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * the store holds this state at `revision`: its next owner need not write it
         * @member {boolean} stored
         * @memberof troupe.ActorState
         * @instance
         */
        ActorState.prototype.stored = false;

        /**
         * Encodes the specified ActorState message. Does not implicitly {@link troupe.ActorState.verify|verify} messages.
         * @function encode
         * @memberof troupe.ActorState
         * @static
         * @param {troupe.IActorState} message ActorState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ActorState.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
            if (message.state != null && Object.hasOwnProperty.call(message, "state"))
                writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.state);
            if (message.revision != null && Object.hasOwnProperty.call(message, "revision"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.revision);
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.seq);
            if (message.stored != null && Object.hasOwnProperty.call(message, "stored"))
                writer.uint32(/* id 5, wireType 0 =*/40).bool(message.stored);
            return writer;
        };

        /**
         * Decodes an ActorState message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.ActorState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.ActorState} ActorState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ActorState.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.ActorState();
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
                        message.state = reader.bytes();
                        break;
                    }
                case 3: {
                        message.revision = reader.uint64();
                        break;
                    }
                case 4: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 5: {
                        message.stored = reader.bool();
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

        return ActorState;
    })();

    troupe.HandoffDone = (function() {

        /**
         * Properties of a HandoffDone.
         * @memberof troupe
         * @interface IHandoffDone
         * @property {string|null} [app] HandoffDone app
         * @property {string|null} [partition] HandoffDone partition
         * @property {number|null} [slot] HandoffDone slot
         * @property {number|null} [epoch] HandoffDone epoch
         * @property {string|null} [from] HandoffDone from
         * @property {Array.<troupe.IActorState>|null} [actors] HandoffDone actors
         * @property {Array.<troupe.IEnvelope>|null} [buffered] HandoffDone buffered
         * @property {number|null} [copy] 0: `actors` is the whole slot; else the pre-copy this completes (`actors` changed since)
         * @property {Array.<string>|null} [stale] with `copy`: keys whose pre-copied state is out of date and not sent (the store has them)
         * @property {number|null} [delivered] durable mode: the slot's events up to this offset are in the states handed over or stored (0: unknown)
         */

        /**
         * Constructs a new HandoffDone.
         * @memberof troupe
         * @classdesc Old owner to new owner: the slot's state and buffered events; the slot is yours.
         * @implements IHandoffDone
         * @constructor
         * @param {troupe.IHandoffDone=} [properties] Properties to set
         */
        function HandoffDone(properties) {
            this.actors = [];
            this.buffered = [];
            this.stale = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * HandoffDone app.
         * @member {string} app
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.app = "";

        /**
         * HandoffDone partition.
         * @member {string} partition
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.partition = "";

        /**
         * HandoffDone slot.
         * @member {number} slot
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.slot = 0;

        /**
         * HandoffDone epoch.
         * @member {number} epoch
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * HandoffDone from.
         * @member {string} from
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.from = "";

        /**
         * HandoffDone actors.
         * @member {Array.<troupe.IActorState>} actors
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.actors = $util.emptyArray;

        /**
         * HandoffDone buffered.
         * @member {Array.<troupe.IEnvelope>} buffered
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.buffered = $util.emptyArray;

        /**
         * 0: `actors` is the whole slot; else the pre-copy this completes (`actors` changed since)
         * @member {number} copy
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.copy = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * with `copy`: keys whose pre-copied state is out of date and not sent (the store has them)
         * @member {Array.<string>} stale
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.stale = $util.emptyArray;

        /**
         * durable mode: the slot's events up to this offset are in the states handed over or stored (0: unknown)
         * @member {number} delivered
         * @memberof troupe.HandoffDone
         * @instance
         */
        HandoffDone.prototype.delivered = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified HandoffDone message. Does not implicitly {@link troupe.HandoffDone.verify|verify} messages.
         * @function encode
         * @memberof troupe.HandoffDone
         * @static
         * @param {troupe.IHandoffDone} message HandoffDone message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        HandoffDone.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.partition != null && Object.hasOwnProperty.call(message, "partition"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.partition);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.slot);
            if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.epoch);
            if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.from);
            if (message.actors != null && message.actors.length)
                for (var i = 0; i < message.actors.length; ++i)
                    $root.troupe.ActorState.encode(message.actors[i], writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
            if (message.buffered != null && message.buffered.length)
                for (var i = 0; i < message.buffered.length; ++i)
                    $root.troupe.Envelope.encode(message.buffered[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
            if (message.copy != null && Object.hasOwnProperty.call(message, "copy"))
                writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.copy);
            if (message.stale != null && message.stale.length)
                for (var i = 0; i < message.stale.length; ++i)
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.stale[i]);
            if (message.delivered != null && Object.hasOwnProperty.call(message, "delivered"))
                writer.uint32(/* id 10, wireType 0 =*/80).uint64(message.delivered);
            return writer;
        };

        /**
         * Decodes a HandoffDone message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.HandoffDone
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.HandoffDone} HandoffDone
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        HandoffDone.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.HandoffDone();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.partition = reader.string();
                        break;
                    }
                case 3: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 4: {
                        message.epoch = reader.uint64();
                        break;
                    }
                case 5: {
                        message.from = reader.string();
                        break;
                    }
                case 6: {
                        if (!(message.actors && message.actors.length))
                            message.actors = [];
                        message.actors.push($root.troupe.ActorState.decode(reader, reader.uint32(), undefined, long + 1));
                        break;
                    }
                case 7: {
                        if (!(message.buffered && message.buffered.length))
                            message.buffered = [];
                        message.buffered.push($root.troupe.Envelope.decode(reader, reader.uint32(), undefined, long + 1));
                        break;
                    }
                case 8: {
                        message.copy = reader.uint64();
                        break;
                    }
                case 9: {
                        if (!(message.stale && message.stale.length))
                            message.stale = [];
                        message.stale.push(reader.string());
                        break;
                    }
                case 10: {
                        message.delivered = reader.uint64();
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

        return HandoffDone;
    })();

    troupe.SlotCopy = (function() {

        /**
         * Properties of a SlotCopy.
         * @memberof troupe
         * @interface ISlotCopy
         * @property {string|null} [app] SlotCopy app
         * @property {string|null} [partition] SlotCopy partition
         * @property {number|null} [slot] SlotCopy slot
         * @property {number|null} [copy] SlotCopy copy
         * @property {number|null} [round] SlotCopy round
         * @property {Array.<troupe.IActorState>|null} [actors] SlotCopy actors
         * @property {boolean|null} [last] SlotCopy last
         * @property {Array.<string>|null} [stale] keys whose earlier copied state is out of date and not sent (the store has them)
         */

        /**
         * Constructs a new SlotCopy.
         * @memberof troupe
         * @classdesc Pre-copy ahead of a join (memory mode): a slot's states while its owner keeps serving it, in rounds;
         * the joiner acknowledges a round's last piece. A handoff-done with `copy` set completes it.
         * @implements ISlotCopy
         * @constructor
         * @param {troupe.ISlotCopy=} [properties] Properties to set
         */
        function SlotCopy(properties) {
            this.actors = [];
            this.stale = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SlotCopy app.
         * @member {string} app
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.app = "";

        /**
         * SlotCopy partition.
         * @member {string} partition
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.partition = "";

        /**
         * SlotCopy slot.
         * @member {number} slot
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.slot = 0;

        /**
         * SlotCopy copy.
         * @member {number} copy
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.copy = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SlotCopy round.
         * @member {number} round
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.round = 0;

        /**
         * SlotCopy actors.
         * @member {Array.<troupe.IActorState>} actors
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.actors = $util.emptyArray;

        /**
         * SlotCopy last.
         * @member {boolean} last
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.last = false;

        /**
         * keys whose earlier copied state is out of date and not sent (the store has them)
         * @member {Array.<string>} stale
         * @memberof troupe.SlotCopy
         * @instance
         */
        SlotCopy.prototype.stale = $util.emptyArray;

        /**
         * Encodes the specified SlotCopy message. Does not implicitly {@link troupe.SlotCopy.verify|verify} messages.
         * @function encode
         * @memberof troupe.SlotCopy
         * @static
         * @param {troupe.ISlotCopy} message SlotCopy message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SlotCopy.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.partition != null && Object.hasOwnProperty.call(message, "partition"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.partition);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.slot);
            if (message.copy != null && Object.hasOwnProperty.call(message, "copy"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.copy);
            if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.round);
            if (message.actors != null && message.actors.length)
                for (var i = 0; i < message.actors.length; ++i)
                    $root.troupe.ActorState.encode(message.actors[i], writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
            if (message.last != null && Object.hasOwnProperty.call(message, "last"))
                writer.uint32(/* id 7, wireType 0 =*/56).bool(message.last);
            if (message.stale != null && message.stale.length)
                for (var i = 0; i < message.stale.length; ++i)
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.stale[i]);
            return writer;
        };

        /**
         * Decodes a SlotCopy message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SlotCopy
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SlotCopy} SlotCopy
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SlotCopy.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SlotCopy();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.partition = reader.string();
                        break;
                    }
                case 3: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 4: {
                        message.copy = reader.uint64();
                        break;
                    }
                case 5: {
                        message.round = reader.uint32();
                        break;
                    }
                case 6: {
                        if (!(message.actors && message.actors.length))
                            message.actors = [];
                        message.actors.push($root.troupe.ActorState.decode(reader, reader.uint32(), undefined, long + 1));
                        break;
                    }
                case 7: {
                        message.last = reader.bool();
                        break;
                    }
                case 8: {
                        if (!(message.stale && message.stale.length))
                            message.stale = [];
                        message.stale.push(reader.string());
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

        return SlotCopy;
    })();

    troupe.SlotCopyAck = (function() {

        /**
         * Properties of a SlotCopyAck.
         * @memberof troupe
         * @interface ISlotCopyAck
         * @property {string|null} [app] SlotCopyAck app
         * @property {string|null} [partition] SlotCopyAck partition
         * @property {number|null} [slot] SlotCopyAck slot
         * @property {number|null} [copy] SlotCopyAck copy
         * @property {number|null} [round] SlotCopyAck round
         * @property {boolean|null} [ok] SlotCopyAck ok
         */

        /**
         * Constructs a new SlotCopyAck.
         * @memberof troupe
         * @classdesc The joiner staged a round of a slot's pre-copy (ok) or refused it (its staging is full).
         * @implements ISlotCopyAck
         * @constructor
         * @param {troupe.ISlotCopyAck=} [properties] Properties to set
         */
        function SlotCopyAck(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SlotCopyAck app.
         * @member {string} app
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.app = "";

        /**
         * SlotCopyAck partition.
         * @member {string} partition
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.partition = "";

        /**
         * SlotCopyAck slot.
         * @member {number} slot
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.slot = 0;

        /**
         * SlotCopyAck copy.
         * @member {number} copy
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.copy = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SlotCopyAck round.
         * @member {number} round
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.round = 0;

        /**
         * SlotCopyAck ok.
         * @member {boolean} ok
         * @memberof troupe.SlotCopyAck
         * @instance
         */
        SlotCopyAck.prototype.ok = false;

        /**
         * Encodes the specified SlotCopyAck message. Does not implicitly {@link troupe.SlotCopyAck.verify|verify} messages.
         * @function encode
         * @memberof troupe.SlotCopyAck
         * @static
         * @param {troupe.ISlotCopyAck} message SlotCopyAck message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SlotCopyAck.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.partition != null && Object.hasOwnProperty.call(message, "partition"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.partition);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.slot);
            if (message.copy != null && Object.hasOwnProperty.call(message, "copy"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.copy);
            if (message.round != null && Object.hasOwnProperty.call(message, "round"))
                writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.round);
            if (message.ok != null && Object.hasOwnProperty.call(message, "ok"))
                writer.uint32(/* id 6, wireType 0 =*/48).bool(message.ok);
            return writer;
        };

        /**
         * Decodes a SlotCopyAck message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SlotCopyAck
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SlotCopyAck} SlotCopyAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SlotCopyAck.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SlotCopyAck();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.partition = reader.string();
                        break;
                    }
                case 3: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 4: {
                        message.copy = reader.uint64();
                        break;
                    }
                case 5: {
                        message.round = reader.uint32();
                        break;
                    }
                case 6: {
                        message.ok = reader.bool();
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

        return SlotCopyAck;
    })();

    troupe.SlotCopyCancel = (function() {

        /**
         * Properties of a SlotCopyCancel.
         * @memberof troupe
         * @interface ISlotCopyCancel
         * @property {string|null} [app] SlotCopyCancel app
         * @property {string|null} [partition] SlotCopyCancel partition
         * @property {number|null} [slot] SlotCopyCancel slot
         * @property {number|null} [copy] SlotCopyCancel copy
         */

        /**
         * Constructs a new SlotCopyCancel.
         * @memberof troupe
         * @classdesc The sender gave a slot's pre-copy up: the joiner drops what it staged.
         * @implements ISlotCopyCancel
         * @constructor
         * @param {troupe.ISlotCopyCancel=} [properties] Properties to set
         */
        function SlotCopyCancel(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SlotCopyCancel app.
         * @member {string} app
         * @memberof troupe.SlotCopyCancel
         * @instance
         */
        SlotCopyCancel.prototype.app = "";

        /**
         * SlotCopyCancel partition.
         * @member {string} partition
         * @memberof troupe.SlotCopyCancel
         * @instance
         */
        SlotCopyCancel.prototype.partition = "";

        /**
         * SlotCopyCancel slot.
         * @member {number} slot
         * @memberof troupe.SlotCopyCancel
         * @instance
         */
        SlotCopyCancel.prototype.slot = 0;

        /**
         * SlotCopyCancel copy.
         * @member {number} copy
         * @memberof troupe.SlotCopyCancel
         * @instance
         */
        SlotCopyCancel.prototype.copy = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified SlotCopyCancel message. Does not implicitly {@link troupe.SlotCopyCancel.verify|verify} messages.
         * @function encode
         * @memberof troupe.SlotCopyCancel
         * @static
         * @param {troupe.ISlotCopyCancel} message SlotCopyCancel message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SlotCopyCancel.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.partition != null && Object.hasOwnProperty.call(message, "partition"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.partition);
            if (message.slot != null && Object.hasOwnProperty.call(message, "slot"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.slot);
            if (message.copy != null && Object.hasOwnProperty.call(message, "copy"))
                writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.copy);
            return writer;
        };

        /**
         * Decodes a SlotCopyCancel message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SlotCopyCancel
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SlotCopyCancel} SlotCopyCancel
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SlotCopyCancel.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SlotCopyCancel();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.partition = reader.string();
                        break;
                    }
                case 3: {
                        message.slot = reader.uint32();
                        break;
                    }
                case 4: {
                        message.copy = reader.uint64();
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

        return SlotCopyCancel;
    })();

    troupe.CopyReady = (function() {

        /**
         * Properties of a CopyReady.
         * @memberof troupe
         * @interface ICopyReady
         * @property {number|null} [epoch] CopyReady epoch
         */

        /**
         * Constructs a new CopyReady.
         * @memberof troupe
         * @classdesc Everything the sender will hand the joiner is pre-copied (as of view `epoch`).
         * @implements ICopyReady
         * @constructor
         * @param {troupe.ICopyReady=} [properties] Properties to set
         */
        function CopyReady(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * CopyReady epoch.
         * @member {number} epoch
         * @memberof troupe.CopyReady
         * @instance
         */
        CopyReady.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified CopyReady message. Does not implicitly {@link troupe.CopyReady.verify|verify} messages.
         * @function encode
         * @memberof troupe.CopyReady
         * @static
         * @param {troupe.ICopyReady} message CopyReady message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        CopyReady.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.epoch);
            return writer;
        };

        /**
         * Decodes a CopyReady message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.CopyReady
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.CopyReady} CopyReady
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        CopyReady.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.CopyReady();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.epoch = reader.uint64();
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

        return CopyReady;
    })();

    troupe.EpochAck = (function() {

        /**
         * Properties of an EpochAck.
         * @memberof troupe
         * @interface IEpochAck
         * @property {number|null} [epoch] EpochAck epoch
         */

        /**
         * Constructs a new EpochAck.
         * @memberof troupe
         * @classdesc The sender has applied `epoch`: everything it sent before this under older epochs is ahead of it.
         * @implements IEpochAck
         * @constructor
         * @param {troupe.IEpochAck=} [properties] Properties to set
         */
        function EpochAck(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * EpochAck epoch.
         * @member {number} epoch
         * @memberof troupe.EpochAck
         * @instance
         */
        EpochAck.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified EpochAck message. Does not implicitly {@link troupe.EpochAck.verify|verify} messages.
         * @function encode
         * @memberof troupe.EpochAck
         * @static
         * @param {troupe.IEpochAck} message EpochAck message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        EpochAck.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.epoch);
            return writer;
        };

        /**
         * Decodes an EpochAck message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.EpochAck
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.EpochAck} EpochAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        EpochAck.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.EpochAck();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.epoch = reader.uint64();
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

        return EpochAck;
    })();

    troupe.Drain = (function() {

        /**
         * Properties of a Drain.
         * @memberof troupe
         * @interface IDrain
         * @property {string|null} [nodeId] Drain nodeId
         */

        /**
         * Constructs a new Drain.
         * @memberof troupe
         * @classdesc Asks a node to leave the cluster gracefully.
         * @implements IDrain
         * @constructor
         * @param {troupe.IDrain=} [properties] Properties to set
         */
        function Drain(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Drain nodeId.
         * @member {string} nodeId
         * @memberof troupe.Drain
         * @instance
         */
        Drain.prototype.nodeId = "";

        /**
         * Encodes the specified Drain message. Does not implicitly {@link troupe.Drain.verify|verify} messages.
         * @function encode
         * @memberof troupe.Drain
         * @static
         * @param {troupe.IDrain} message Drain message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Drain.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.nodeId != null && Object.hasOwnProperty.call(message, "nodeId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeId);
            return writer;
        };

        /**
         * Decodes a Drain message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Drain
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Drain} Drain
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Drain.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Drain();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.nodeId = reader.string();
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

        return Drain;
    })();

    troupe.Control = (function() {

        /**
         * Properties of a Control.
         * @memberof troupe
         * @interface IControl
         * @property {troupe.IHandoffDone|null} [handoffDone] Control handoffDone
         * @property {troupe.IEpochAck|null} [epochAck] Control epochAck
         * @property {troupe.IDrain|null} [drain] Control drain
         * @property {troupe.ISlotCopy|null} [slotCopy] Control slotCopy
         * @property {troupe.ISlotCopyAck|null} [slotCopyAck] Control slotCopyAck
         * @property {troupe.ISlotCopyCancel|null} [slotCopyCancel] Control slotCopyCancel
         * @property {troupe.ICopyReady|null} [copyReady] Control copyReady
         */

        /**
         * Constructs a new Control.
         * @memberof troupe
         * @classdesc Control messages between nodes.
         * @implements IControl
         * @constructor
         * @param {troupe.IControl=} [properties] Properties to set
         */
        function Control(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Control handoffDone.
         * @member {troupe.IHandoffDone|null|undefined} handoffDone
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.handoffDone = null;

        /**
         * Control epochAck.
         * @member {troupe.IEpochAck|null|undefined} epochAck
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.epochAck = null;

        /**
         * Control drain.
         * @member {troupe.IDrain|null|undefined} drain
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.drain = null;

        /**
         * Control slotCopy.
         * @member {troupe.ISlotCopy|null|undefined} slotCopy
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.slotCopy = null;

        /**
         * Control slotCopyAck.
         * @member {troupe.ISlotCopyAck|null|undefined} slotCopyAck
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.slotCopyAck = null;

        /**
         * Control slotCopyCancel.
         * @member {troupe.ISlotCopyCancel|null|undefined} slotCopyCancel
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.slotCopyCancel = null;

        /**
         * Control copyReady.
         * @member {troupe.ICopyReady|null|undefined} copyReady
         * @memberof troupe.Control
         * @instance
         */
        Control.prototype.copyReady = null;

        // OneOf field names bound to virtual getters and setters
        var $oneOfFields;

        /**
         * Control kind.
         * @member {"handoffDone"|"epochAck"|"drain"|"slotCopy"|"slotCopyAck"|"slotCopyCancel"|"copyReady"|undefined} kind
         * @memberof troupe.Control
         * @instance
         */
        Object.defineProperty(Control.prototype, "kind", {
            get: $util.oneOfGetter($oneOfFields = ["handoffDone", "epochAck", "drain", "slotCopy", "slotCopyAck", "slotCopyCancel", "copyReady"]),
            set: $util.oneOfSetter($oneOfFields)
        });

        /**
         * Encodes the specified Control message. Does not implicitly {@link troupe.Control.verify|verify} messages.
         * @function encode
         * @memberof troupe.Control
         * @static
         * @param {troupe.IControl} message Control message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Control.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.handoffDone != null && Object.hasOwnProperty.call(message, "handoffDone"))
                $root.troupe.HandoffDone.encode(message.handoffDone, writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            if (message.epochAck != null && Object.hasOwnProperty.call(message, "epochAck"))
                $root.troupe.EpochAck.encode(message.epochAck, writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
            if (message.drain != null && Object.hasOwnProperty.call(message, "drain"))
                $root.troupe.Drain.encode(message.drain, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
            if (message.slotCopy != null && Object.hasOwnProperty.call(message, "slotCopy"))
                $root.troupe.SlotCopy.encode(message.slotCopy, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            if (message.slotCopyAck != null && Object.hasOwnProperty.call(message, "slotCopyAck"))
                $root.troupe.SlotCopyAck.encode(message.slotCopyAck, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
            if (message.slotCopyCancel != null && Object.hasOwnProperty.call(message, "slotCopyCancel"))
                $root.troupe.SlotCopyCancel.encode(message.slotCopyCancel, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
            if (message.copyReady != null && Object.hasOwnProperty.call(message, "copyReady"))
                $root.troupe.CopyReady.encode(message.copyReady, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
            return writer;
        };

        /**
         * Decodes a Control message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Control
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Control} Control
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Control.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Control();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.handoffDone = $root.troupe.HandoffDone.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 2: {
                        message.epochAck = $root.troupe.EpochAck.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 3: {
                        message.drain = $root.troupe.Drain.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 4: {
                        message.slotCopy = $root.troupe.SlotCopy.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 5: {
                        message.slotCopyAck = $root.troupe.SlotCopyAck.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 6: {
                        message.slotCopyCancel = $root.troupe.SlotCopyCancel.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 7: {
                        message.copyReady = $root.troupe.CopyReady.decode(reader, reader.uint32(), undefined, long + 1);
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

        return Control;
    })();

    troupe.NodeMessage = (function() {

        /**
         * Properties of a NodeMessage.
         * @memberof troupe
         * @interface INodeMessage
         * @property {string|null} [from] NodeMessage from
         * @property {string|null} [incarnation] NodeMessage incarnation
         * @property {number|null} [seq] NodeMessage seq
         * @property {troupe.IBatch|null} [batch] NodeMessage batch
         * @property {troupe.IControl|null} [control] NodeMessage control
         * @property {troupe.IAck|null} [ack] NodeMessage ack
         * @property {troupe.IFragment|null} [fragment] NodeMessage fragment
         * @property {troupe.IAck|null} [piggyback] An acknowledgement riding on a sequenced message to the node it acknowledges (saves a message per
         * batch each way): taken on arrival, before sequencing. Older receivers ignore it and take the
         * stand-alone acknowledgement that follows a resend.
         */

        /**
         * Constructs a new NodeMessage.
         * @memberof troupe
         * @classdesc Everything one node publishes to another: sequenced per (sender incarnation, receiver) so the
         * receiver can acknowledge, drop repeats and restore order; acks themselves are unsequenced (seq 0).
         * @implements INodeMessage
         * @constructor
         * @param {troupe.INodeMessage=} [properties] Properties to set
         */
        function NodeMessage(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * NodeMessage from.
         * @member {string} from
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.from = "";

        /**
         * NodeMessage incarnation.
         * @member {string} incarnation
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.incarnation = "";

        /**
         * NodeMessage seq.
         * @member {number} seq
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * NodeMessage batch.
         * @member {troupe.IBatch|null|undefined} batch
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.batch = null;

        /**
         * NodeMessage control.
         * @member {troupe.IControl|null|undefined} control
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.control = null;

        /**
         * NodeMessage ack.
         * @member {troupe.IAck|null|undefined} ack
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.ack = null;

        /**
         * NodeMessage fragment.
         * @member {troupe.IFragment|null|undefined} fragment
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.fragment = null;

        /**
         * An acknowledgement riding on a sequenced message to the node it acknowledges (saves a message per
         * batch each way): taken on arrival, before sequencing. Older receivers ignore it and take the
         * stand-alone acknowledgement that follows a resend.
         * @member {troupe.IAck|null|undefined} piggyback
         * @memberof troupe.NodeMessage
         * @instance
         */
        NodeMessage.prototype.piggyback = null;

        // OneOf field names bound to virtual getters and setters
        var $oneOfFields;

        /**
         * NodeMessage body.
         * @member {"batch"|"control"|"ack"|"fragment"|undefined} body
         * @memberof troupe.NodeMessage
         * @instance
         */
        Object.defineProperty(NodeMessage.prototype, "body", {
            get: $util.oneOfGetter($oneOfFields = ["batch", "control", "ack", "fragment"]),
            set: $util.oneOfSetter($oneOfFields)
        });

        /**
         * Encodes the specified NodeMessage message. Does not implicitly {@link troupe.NodeMessage.verify|verify} messages.
         * @function encode
         * @memberof troupe.NodeMessage
         * @static
         * @param {troupe.INodeMessage} message NodeMessage message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        NodeMessage.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.from != null && Object.hasOwnProperty.call(message, "from"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.from);
            if (message.incarnation != null && Object.hasOwnProperty.call(message, "incarnation"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.incarnation);
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
            if (message.batch != null && Object.hasOwnProperty.call(message, "batch"))
                $root.troupe.Batch.encode(message.batch, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
            if (message.control != null && Object.hasOwnProperty.call(message, "control"))
                $root.troupe.Control.encode(message.control, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
            if (message.ack != null && Object.hasOwnProperty.call(message, "ack"))
                $root.troupe.Ack.encode(message.ack, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
            if (message.fragment != null && Object.hasOwnProperty.call(message, "fragment"))
                $root.troupe.Fragment.encode(message.fragment, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
            if (message.piggyback != null && Object.hasOwnProperty.call(message, "piggyback"))
                $root.troupe.Ack.encode(message.piggyback, writer.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
            return writer;
        };

        /**
         * Decodes a NodeMessage message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.NodeMessage
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.NodeMessage} NodeMessage
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        NodeMessage.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.NodeMessage();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.from = reader.string();
                        break;
                    }
                case 2: {
                        message.incarnation = reader.string();
                        break;
                    }
                case 3: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 4: {
                        message.batch = $root.troupe.Batch.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 5: {
                        message.control = $root.troupe.Control.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 6: {
                        message.ack = $root.troupe.Ack.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 7: {
                        message.fragment = $root.troupe.Fragment.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 8: {
                        message.piggyback = $root.troupe.Ack.decode(reader, reader.uint32(), undefined, long + 1);
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

        return NodeMessage;
    })();

    troupe.Fragment = (function() {

        /**
         * Properties of a Fragment.
         * @memberof troupe
         * @interface IFragment
         * @property {Uint8Array|null} [data] Fragment data
         * @property {number|null} [index] 0 .. count - 1
         * @property {number|null} [count] Fragment count
         */

        /**
         * Constructs a new Fragment.
         * @memberof troupe
         * @classdesc One piece of a NodeMessage too large for one NATS message (over the server's max_payload): the
         * sender encodes the whole message (seq 0), cuts the bytes into `count` pieces and sends each as its
         * own sequenced NodeMessage, in order, so acknowledgements, resends and de-duplication treat each
         * piece like any message; the receiver joins the pieces and handles the whole once the last arrives.
         * @implements IFragment
         * @constructor
         * @param {troupe.IFragment=} [properties] Properties to set
         */
        function Fragment(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Fragment data.
         * @member {Uint8Array} data
         * @memberof troupe.Fragment
         * @instance
         */
        Fragment.prototype.data = $util.newBuffer([]);

        /**
         * 0 .. count - 1
         * @member {number} index
         * @memberof troupe.Fragment
         * @instance
         */
        Fragment.prototype.index = 0;

        /**
         * Fragment count.
         * @member {number} count
         * @memberof troupe.Fragment
         * @instance
         */
        Fragment.prototype.count = 0;

        /**
         * Encodes the specified Fragment message. Does not implicitly {@link troupe.Fragment.verify|verify} messages.
         * @function encode
         * @memberof troupe.Fragment
         * @static
         * @param {troupe.IFragment} message Fragment message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        Fragment.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.data != null && Object.hasOwnProperty.call(message, "data"))
                writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.data);
            if (message.index != null && Object.hasOwnProperty.call(message, "index"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.index);
            if (message.count != null && Object.hasOwnProperty.call(message, "count"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.count);
            return writer;
        };

        /**
         * Decodes a Fragment message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.Fragment
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.Fragment} Fragment
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        Fragment.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.Fragment();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.data = reader.bytes();
                        break;
                    }
                case 2: {
                        message.index = reader.uint32();
                        break;
                    }
                case 3: {
                        message.count = reader.uint32();
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

        return Fragment;
    })();

    troupe.MemberRecord = (function() {

        /**
         * Properties of a MemberRecord.
         * @memberof troupe
         * @interface IMemberRecord
         * @property {string|null} [nodeId] MemberRecord nodeId
         * @property {number|null} [joinedSeq] membership revision at which the node joined (placement order)
         * @property {string|null} [status] "joining" | "up" | "leaving"
         * @property {number|null} [heartbeatMs] last heartbeat (wall clock of the writer)
         * @property {string|null} [http] HTTP address, if any
         * @property {string|null} [incarnation] random per process start
         */

        /**
         * Constructs a new MemberRecord.
         * @memberof troupe
         * @classdesc A member as stored in the membership bucket.
         * @implements IMemberRecord
         * @constructor
         * @param {troupe.IMemberRecord=} [properties] Properties to set
         */
        function MemberRecord(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * MemberRecord nodeId.
         * @member {string} nodeId
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.nodeId = "";

        /**
         * membership revision at which the node joined (placement order)
         * @member {number} joinedSeq
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.joinedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * "joining" | "up" | "leaving"
         * @member {string} status
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.status = "";

        /**
         * last heartbeat (wall clock of the writer)
         * @member {number} heartbeatMs
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.heartbeatMs = 0;

        /**
         * HTTP address, if any
         * @member {string} http
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.http = "";

        /**
         * random per process start
         * @member {string} incarnation
         * @memberof troupe.MemberRecord
         * @instance
         */
        MemberRecord.prototype.incarnation = "";

        /**
         * Encodes the specified MemberRecord message. Does not implicitly {@link troupe.MemberRecord.verify|verify} messages.
         * @function encode
         * @memberof troupe.MemberRecord
         * @static
         * @param {troupe.IMemberRecord} message MemberRecord message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        MemberRecord.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.nodeId != null && Object.hasOwnProperty.call(message, "nodeId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.nodeId);
            if (message.joinedSeq != null && Object.hasOwnProperty.call(message, "joinedSeq"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.joinedSeq);
            if (message.status != null && Object.hasOwnProperty.call(message, "status"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.status);
            if (message.heartbeatMs != null && Object.hasOwnProperty.call(message, "heartbeatMs"))
                writer.uint32(/* id 4, wireType 1 =*/33).double(message.heartbeatMs);
            if (message.http != null && Object.hasOwnProperty.call(message, "http"))
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.http);
            if (message.incarnation != null && Object.hasOwnProperty.call(message, "incarnation"))
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.incarnation);
            return writer;
        };

        /**
         * Decodes a MemberRecord message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.MemberRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.MemberRecord} MemberRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        MemberRecord.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.MemberRecord();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.nodeId = reader.string();
                        break;
                    }
                case 2: {
                        message.joinedSeq = reader.uint64();
                        break;
                    }
                case 3: {
                        message.status = reader.string();
                        break;
                    }
                case 4: {
                        message.heartbeatMs = reader.double();
                        break;
                    }
                case 5: {
                        message.http = reader.string();
                        break;
                    }
                case 6: {
                        message.incarnation = reader.string();
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

        return MemberRecord;
    })();

    troupe.ClusterView = (function() {

        /**
         * Properties of a ClusterView.
         * @memberof troupe
         * @interface IClusterView
         * @property {Array.<troupe.IMemberRecord>|null} [members] ClusterView members
         */

        /**
         * Constructs a new ClusterView.
         * @memberof troupe
         * @classdesc The cluster view: one record, every change a compare-and-set (its revision is the epoch).
         * @implements IClusterView
         * @constructor
         * @param {troupe.IClusterView=} [properties] Properties to set
         */
        function ClusterView(properties) {
            this.members = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * ClusterView members.
         * @member {Array.<troupe.IMemberRecord>} members
         * @memberof troupe.ClusterView
         * @instance
         */
        ClusterView.prototype.members = $util.emptyArray;

        /**
         * Encodes the specified ClusterView message. Does not implicitly {@link troupe.ClusterView.verify|verify} messages.
         * @function encode
         * @memberof troupe.ClusterView
         * @static
         * @param {troupe.IClusterView} message ClusterView message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        ClusterView.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.members != null && message.members.length)
                for (var i = 0; i < message.members.length; ++i)
                    $root.troupe.MemberRecord.encode(message.members[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
            return writer;
        };

        /**
         * Decodes a ClusterView message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.ClusterView
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.ClusterView} ClusterView
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        ClusterView.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.ClusterView();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        if (!(message.members && message.members.length))
                            message.members = [];
                        message.members.push($root.troupe.MemberRecord.decode(reader, reader.uint32(), undefined, long + 1));
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

        return ClusterView;
    })();

    troupe.StoredState = (function() {

        /**
         * Properties of a StoredState.
         * @memberof troupe
         * @interface IStoredState
         * @property {Uint8Array|null} [state] StoredState state
         * @property {number|null} [ownerEpoch] StoredState ownerEpoch
         * @property {number|null} [appliedSeq] StoredState appliedSeq
         * @property {string|null} [key] the actor key itself (a long key's KV key is a hash of it)
         * @property {string|null} [writer] node id and process incarnation of the writer (tells a node its own earlier write)
         */

        /**
         * Constructs a new StoredState.
         * @memberof troupe
         * @classdesc A persisted actor state (snapshot and durable modes).
         * @implements IStoredState
         * @constructor
         * @param {troupe.IStoredState=} [properties] Properties to set
         */
        function StoredState(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * StoredState state.
         * @member {Uint8Array} state
         * @memberof troupe.StoredState
         * @instance
         */
        StoredState.prototype.state = $util.newBuffer([]);

        /**
         * StoredState ownerEpoch.
         * @member {number} ownerEpoch
         * @memberof troupe.StoredState
         * @instance
         */
        StoredState.prototype.ownerEpoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * StoredState appliedSeq.
         * @member {number} appliedSeq
         * @memberof troupe.StoredState
         * @instance
         */
        StoredState.prototype.appliedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * the actor key itself (a long key's KV key is a hash of it)
         * @member {string} key
         * @memberof troupe.StoredState
         * @instance
         */
        StoredState.prototype.key = "";

        /**
         * node id and process incarnation of the writer (tells a node its own earlier write)
         * @member {string} writer
         * @memberof troupe.StoredState
         * @instance
         */
        StoredState.prototype.writer = "";

        /**
         * Encodes the specified StoredState message. Does not implicitly {@link troupe.StoredState.verify|verify} messages.
         * @function encode
         * @memberof troupe.StoredState
         * @static
         * @param {troupe.IStoredState} message StoredState message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        StoredState.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.state != null && Object.hasOwnProperty.call(message, "state"))
                writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.state);
            if (message.ownerEpoch != null && Object.hasOwnProperty.call(message, "ownerEpoch"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.ownerEpoch);
            if (message.appliedSeq != null && Object.hasOwnProperty.call(message, "appliedSeq"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.appliedSeq);
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.key);
            if (message.writer != null && Object.hasOwnProperty.call(message, "writer"))
                writer.uint32(/* id 5, wireType 2 =*/42).string(message.writer);
            return writer;
        };

        /**
         * Decodes a StoredState message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.StoredState
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.StoredState} StoredState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        StoredState.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.StoredState();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.state = reader.bytes();
                        break;
                    }
                case 2: {
                        message.ownerEpoch = reader.uint64();
                        break;
                    }
                case 3: {
                        message.appliedSeq = reader.uint64();
                        break;
                    }
                case 4: {
                        message.key = reader.string();
                        break;
                    }
                case 5: {
                        message.writer = reader.string();
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

        return StoredState;
    })();

    troupe.SlotCheckpoint = (function() {

        /**
         * Properties of a SlotCheckpoint.
         * @memberof troupe
         * @interface ISlotCheckpoint
         * @property {number|null} [seq] SlotCheckpoint seq
         * @property {number|null} [ownerEpoch] SlotCheckpoint ownerEpoch
         * @property {string|null} [nodeId] SlotCheckpoint nodeId
         */

        /**
         * Constructs a new SlotCheckpoint.
         * @memberof troupe
         * @classdesc Durable mode: the checkpoint of one slot's event subject. Every event of the slot at or below
         * `seq` is reflected in the stored actor states (each of which records the last sequence it applied).
         * @implements ISlotCheckpoint
         * @constructor
         * @param {troupe.ISlotCheckpoint=} [properties] Properties to set
         */
        function SlotCheckpoint(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SlotCheckpoint seq.
         * @member {number} seq
         * @memberof troupe.SlotCheckpoint
         * @instance
         */
        SlotCheckpoint.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SlotCheckpoint ownerEpoch.
         * @member {number} ownerEpoch
         * @memberof troupe.SlotCheckpoint
         * @instance
         */
        SlotCheckpoint.prototype.ownerEpoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * SlotCheckpoint nodeId.
         * @member {string} nodeId
         * @memberof troupe.SlotCheckpoint
         * @instance
         */
        SlotCheckpoint.prototype.nodeId = "";

        /**
         * Encodes the specified SlotCheckpoint message. Does not implicitly {@link troupe.SlotCheckpoint.verify|verify} messages.
         * @function encode
         * @memberof troupe.SlotCheckpoint
         * @static
         * @param {troupe.ISlotCheckpoint} message SlotCheckpoint message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SlotCheckpoint.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
            if (message.ownerEpoch != null && Object.hasOwnProperty.call(message, "ownerEpoch"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.ownerEpoch);
            if (message.nodeId != null && Object.hasOwnProperty.call(message, "nodeId"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.nodeId);
            return writer;
        };

        /**
         * Decodes a SlotCheckpoint message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SlotCheckpoint
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SlotCheckpoint} SlotCheckpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SlotCheckpoint.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SlotCheckpoint();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.seq = reader.uint64();
                        break;
                    }
                case 2: {
                        message.ownerEpoch = reader.uint64();
                        break;
                    }
                case 3: {
                        message.nodeId = reader.string();
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

        return SlotCheckpoint;
    })();

    troupe.SourceHello = (function() {

        /**
         * Properties of a SourceHello.
         * @memberof troupe
         * @interface ISourceHello
         * @property {string|null} [clientId] stable across reconnects: [A-Za-z0-9_.-], 1-64 chars
         * @property {number|null} [nextSeq] the number of the first frame that follows
         */

        /**
         * Constructs a new SourceHello.
         * @memberof troupe
         * @classdesc Acknowledged source protocol: a client that opens a connection with the 4 bytes FF FF FF FF
         * then sends this as its first frame; every later frame it sends is numbered from `next_seq` on.
         * @implements ISourceHello
         * @constructor
         * @param {troupe.ISourceHello=} [properties] Properties to set
         */
        function SourceHello(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * stable across reconnects: [A-Za-z0-9_.-], 1-64 chars
         * @member {string} clientId
         * @memberof troupe.SourceHello
         * @instance
         */
        SourceHello.prototype.clientId = "";

        /**
         * the number of the first frame that follows
         * @member {number} nextSeq
         * @memberof troupe.SourceHello
         * @instance
         */
        SourceHello.prototype.nextSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified SourceHello message. Does not implicitly {@link troupe.SourceHello.verify|verify} messages.
         * @function encode
         * @memberof troupe.SourceHello
         * @static
         * @param {troupe.ISourceHello} message SourceHello message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SourceHello.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.clientId != null && Object.hasOwnProperty.call(message, "clientId"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.clientId);
            if (message.nextSeq != null && Object.hasOwnProperty.call(message, "nextSeq"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.nextSeq);
            return writer;
        };

        /**
         * Decodes a SourceHello message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SourceHello
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SourceHello} SourceHello
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SourceHello.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SourceHello();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.clientId = reader.string();
                        break;
                    }
                case 2: {
                        message.nextSeq = reader.uint64();
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

        return SourceHello;
    })();

    troupe.SourceAck = (function() {

        /**
         * Properties of a SourceAck.
         * @memberof troupe
         * @interface ISourceAck
         * @property {number|null} [seq] SourceAck seq
         */

        /**
         * Constructs a new SourceAck.
         * @memberof troupe
         * @classdesc Acknowledged source protocol: the source's cumulative acknowledgement, sent as a frame back to
         * the client. Every frame numbered `seq` or lower is accepted (in durable mode: stored in JetStream).
         * @implements ISourceAck
         * @constructor
         * @param {troupe.ISourceAck=} [properties] Properties to set
         */
        function SourceAck(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * SourceAck seq.
         * @member {number} seq
         * @memberof troupe.SourceAck
         * @instance
         */
        SourceAck.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * Encodes the specified SourceAck message. Does not implicitly {@link troupe.SourceAck.verify|verify} messages.
         * @function encode
         * @memberof troupe.SourceAck
         * @static
         * @param {troupe.ISourceAck} message SourceAck message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        SourceAck.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
            return writer;
        };

        /**
         * Decodes a SourceAck message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.SourceAck
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.SourceAck} SourceAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        SourceAck.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.SourceAck();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
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

        return SourceAck;
    })();

    troupe.DeadLetterRecord = (function() {

        /**
         * Properties of a DeadLetterRecord.
         * @memberof troupe
         * @interface IDeadLetterRecord
         * @property {string|null} [reason] decode_error | step_error | undeliverable | hop_limit | store_error | ...
         * @property {string|null} [app] DeadLetterRecord app
         * @property {string|null} [where] source name or pipeline/step
         * @property {string|null} [detail] the error message
         * @property {Uint8Array|null} [payload] the input that failed, when known
         * @property {string|null} [nodeId] DeadLetterRecord nodeId
         * @property {number|null} [atMs] wall clock
         * @property {string|null} [source] source name to replay the payload into (when the payload is a source frame)
         * @property {number|null} [stage] stage to replay the payload into (when it is a stage input); -1 when none
         */

        /**
         * Constructs a new DeadLetterRecord.
         * @memberof troupe
         * @classdesc One dead letter, as stored in the dead-letter stream.
         * @implements IDeadLetterRecord
         * @constructor
         * @param {troupe.IDeadLetterRecord=} [properties] Properties to set
         */
        function DeadLetterRecord(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * decode_error | step_error | undeliverable | hop_limit | store_error | ...
         * @member {string} reason
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.reason = "";

        /**
         * DeadLetterRecord app.
         * @member {string} app
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.app = "";

        /**
         * source name or pipeline/step
         * @member {string} where
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.where = "";

        /**
         * the error message
         * @member {string} detail
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.detail = "";

        /**
         * the input that failed, when known
         * @member {Uint8Array} payload
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.payload = $util.newBuffer([]);

        /**
         * DeadLetterRecord nodeId.
         * @member {string} nodeId
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.nodeId = "";

        /**
         * wall clock
         * @member {number} atMs
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.atMs = 0;

        /**
         * source name to replay the payload into (when the payload is a source frame)
         * @member {string} source
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.source = "";

        /**
         * stage to replay the payload into (when it is a stage input); -1 when none
         * @member {number} stage
         * @memberof troupe.DeadLetterRecord
         * @instance
         */
        DeadLetterRecord.prototype.stage = 0;

        /**
         * Encodes the specified DeadLetterRecord message. Does not implicitly {@link troupe.DeadLetterRecord.verify|verify} messages.
         * @function encode
         * @memberof troupe.DeadLetterRecord
         * @static
         * @param {troupe.IDeadLetterRecord} message DeadLetterRecord message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        DeadLetterRecord.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.app);
            if (message.where != null && Object.hasOwnProperty.call(message, "where"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.where);
            if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                writer.uint32(/* id 4, wireType 2 =*/34).string(message.detail);
            if (message.payload != null && Object.hasOwnProperty.call(message, "payload"))
                writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.payload);
            if (message.nodeId != null && Object.hasOwnProperty.call(message, "nodeId"))
                writer.uint32(/* id 6, wireType 2 =*/50).string(message.nodeId);
            if (message.atMs != null && Object.hasOwnProperty.call(message, "atMs"))
                writer.uint32(/* id 7, wireType 1 =*/57).double(message.atMs);
            if (message.source != null && Object.hasOwnProperty.call(message, "source"))
                writer.uint32(/* id 8, wireType 2 =*/66).string(message.source);
            if (message.stage != null && Object.hasOwnProperty.call(message, "stage"))
                writer.uint32(/* id 9, wireType 0 =*/72).int32(message.stage);
            return writer;
        };

        /**
         * Decodes a DeadLetterRecord message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.DeadLetterRecord
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.DeadLetterRecord} DeadLetterRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        DeadLetterRecord.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.DeadLetterRecord();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.reason = reader.string();
                        break;
                    }
                case 2: {
                        message.app = reader.string();
                        break;
                    }
                case 3: {
                        message.where = reader.string();
                        break;
                    }
                case 4: {
                        message.detail = reader.string();
                        break;
                    }
                case 5: {
                        message.payload = reader.bytes();
                        break;
                    }
                case 6: {
                        message.nodeId = reader.string();
                        break;
                    }
                case 7: {
                        message.atMs = reader.double();
                        break;
                    }
                case 8: {
                        message.source = reader.string();
                        break;
                    }
                case 9: {
                        message.stage = reader.int32();
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

        return DeadLetterRecord;
    })();

    troupe.EventBatch = (function() {

        /**
         * Properties of an EventBatch.
         * @memberof troupe
         * @interface IEventBatch
         * @property {Array.<Uint8Array>|null} [events] Each event is an encoded Envelope; `stages` and `slots` say where each one goes, so a reader
         * decodes only the events of the slots it owns.
         * @property {number|null} [clientLastSeq] acknowledged sources: the highest client frame number in this batch
         * @property {number|null} [batchId] per producer incarnation: tells a retried batch from another writer's
         * @property {Array.<number>|null} [stages] EventBatch stages
         * @property {Array.<number>|null} [slots] EventBatch slots
         */

        /**
         * Constructs a new EventBatch.
         * @memberof troupe
         * @classdesc Durable mode: one message in an app's event stream. A producer (a source connection, or a node)
         * appends its events in batches on its own subject, each batch conditional on the subject's last
         * sequence, so a producer's events are stored once and in order.
         * @implements IEventBatch
         * @constructor
         * @param {troupe.IEventBatch=} [properties] Properties to set
         */
        function EventBatch(properties) {
            this.events = [];
            this.stages = [];
            this.slots = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * Each event is an encoded Envelope; `stages` and `slots` say where each one goes, so a reader
         * decodes only the events of the slots it owns.
         * @member {Array.<Uint8Array>} events
         * @memberof troupe.EventBatch
         * @instance
         */
        EventBatch.prototype.events = $util.emptyArray;

        /**
         * acknowledged sources: the highest client frame number in this batch
         * @member {number} clientLastSeq
         * @memberof troupe.EventBatch
         * @instance
         */
        EventBatch.prototype.clientLastSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * per producer incarnation: tells a retried batch from another writer's
         * @member {number} batchId
         * @memberof troupe.EventBatch
         * @instance
         */
        EventBatch.prototype.batchId = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

        /**
         * EventBatch stages.
         * @member {Array.<number>} stages
         * @memberof troupe.EventBatch
         * @instance
         */
        EventBatch.prototype.stages = $util.emptyArray;

        /**
         * EventBatch slots.
         * @member {Array.<number>} slots
         * @memberof troupe.EventBatch
         * @instance
         */
        EventBatch.prototype.slots = $util.emptyArray;

        /**
         * Encodes the specified EventBatch message. Does not implicitly {@link troupe.EventBatch.verify|verify} messages.
         * @function encode
         * @memberof troupe.EventBatch
         * @static
         * @param {troupe.IEventBatch} message EventBatch message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        EventBatch.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.events != null && message.events.length)
                for (var i = 0; i < message.events.length; ++i)
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.events[i]);
            if (message.clientLastSeq != null && Object.hasOwnProperty.call(message, "clientLastSeq"))
                writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.clientLastSeq);
            if (message.batchId != null && Object.hasOwnProperty.call(message, "batchId"))
                writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.batchId);
            if (message.stages != null && message.stages.length) {
                writer.uint32(/* id 4, wireType 2 =*/34).fork();
                for (var i = 0; i < message.stages.length; ++i)
                    writer.uint32(message.stages[i]);
                writer.ldelim();
            }
            if (message.slots != null && message.slots.length) {
                writer.uint32(/* id 5, wireType 2 =*/42).fork();
                for (var i = 0; i < message.slots.length; ++i)
                    writer.uint32(message.slots[i]);
                writer.ldelim();
            }
            return writer;
        };

        /**
         * Decodes an EventBatch message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.EventBatch
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.EventBatch} EventBatch
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        EventBatch.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.EventBatch();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        if (!(message.events && message.events.length))
                            message.events = [];
                        message.events.push(reader.bytes());
                        break;
                    }
                case 2: {
                        message.clientLastSeq = reader.uint64();
                        break;
                    }
                case 3: {
                        message.batchId = reader.uint64();
                        break;
                    }
                case 4: {
                        if (!(message.stages && message.stages.length))
                            message.stages = [];
                        if ((tag & 7) === 2) {
                            var end2 = reader.uint32() + reader.pos;
                            if (end2 > reader.len)
                                throw RangeError("index out of range");
                            reader.len = end2;
                            while (reader.pos < end2)
                                message.stages.push(reader.uint32());
                            if (reader.pos !== end2)
                                throw RangeError("index out of range");
                            reader.len = end;
                        } else
                            message.stages.push(reader.uint32());
                        break;
                    }
                case 5: {
                        if (!(message.slots && message.slots.length))
                            message.slots = [];
                        if ((tag & 7) === 2) {
                            var end2 = reader.uint32() + reader.pos;
                            if (end2 > reader.len)
                                throw RangeError("index out of range");
                            reader.len = end2;
                            while (reader.pos < end2)
                                message.slots.push(reader.uint32());
                            if (reader.pos !== end2)
                                throw RangeError("index out of range");
                            reader.len = end;
                        } else
                            message.slots.push(reader.uint32());
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

        return EventBatch;
    })();

    troupe.StateQuery = (function() {

        /**
         * Properties of a StateQuery.
         * @memberof troupe
         * @interface IStateQuery
         * @property {string|null} [app] StateQuery app
         * @property {string|null} [partition] StateQuery partition
         * @property {string|null} [key] StateQuery key
         * @property {boolean|null} [forwarded] StateQuery forwarded
         */

        /**
         * Constructs a new StateQuery.
         * @memberof troupe
         * @classdesc State lookup (troupe state get, GET /state/APP/PARTITION/KEY): a node asks the key's owner over
         * NATS request/reply; any node forwards a query it does not own once (forwarded = true stops there).
         * @implements IStateQuery
         * @constructor
         * @param {troupe.IStateQuery=} [properties] Properties to set
         */
        function StateQuery(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * StateQuery app.
         * @member {string} app
         * @memberof troupe.StateQuery
         * @instance
         */
        StateQuery.prototype.app = "";

        /**
         * StateQuery partition.
         * @member {string} partition
         * @memberof troupe.StateQuery
         * @instance
         */
        StateQuery.prototype.partition = "";

        /**
         * StateQuery key.
         * @member {string} key
         * @memberof troupe.StateQuery
         * @instance
         */
        StateQuery.prototype.key = "";

        /**
         * StateQuery forwarded.
         * @member {boolean} forwarded
         * @memberof troupe.StateQuery
         * @instance
         */
        StateQuery.prototype.forwarded = false;

        /**
         * Encodes the specified StateQuery message. Does not implicitly {@link troupe.StateQuery.verify|verify} messages.
         * @function encode
         * @memberof troupe.StateQuery
         * @static
         * @param {troupe.IStateQuery} message StateQuery message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        StateQuery.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.app != null && Object.hasOwnProperty.call(message, "app"))
                writer.uint32(/* id 1, wireType 2 =*/10).string(message.app);
            if (message.partition != null && Object.hasOwnProperty.call(message, "partition"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.partition);
            if (message.key != null && Object.hasOwnProperty.call(message, "key"))
                writer.uint32(/* id 3, wireType 2 =*/26).string(message.key);
            if (message.forwarded != null && Object.hasOwnProperty.call(message, "forwarded"))
                writer.uint32(/* id 4, wireType 0 =*/32).bool(message.forwarded);
            return writer;
        };

        /**
         * Decodes a StateQuery message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.StateQuery
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.StateQuery} StateQuery
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        StateQuery.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.StateQuery();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.app = reader.string();
                        break;
                    }
                case 2: {
                        message.partition = reader.string();
                        break;
                    }
                case 3: {
                        message.key = reader.string();
                        break;
                    }
                case 4: {
                        message.forwarded = reader.bool();
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

        return StateQuery;
    })();

    troupe.StateAnswer = (function() {

        /**
         * Properties of a StateAnswer.
         * @memberof troupe
         * @interface IStateAnswer
         * @property {number|null} [status] StateAnswer status
         * @property {string|null} [json] StateAnswer json
         */

        /**
         * Constructs a new StateAnswer.
         * @memberof troupe
         * @classdesc The answer: an HTTP-like status (200 found, 404 unknown app, partition or key, 503 no owner yet)
         * and the JSON body that GET /state returns.
         * @implements IStateAnswer
         * @constructor
         * @param {troupe.IStateAnswer=} [properties] Properties to set
         */
        function StateAnswer(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        /**
         * StateAnswer status.
         * @member {number} status
         * @memberof troupe.StateAnswer
         * @instance
         */
        StateAnswer.prototype.status = 0;

        /**
         * StateAnswer json.
         * @member {string} json
         * @memberof troupe.StateAnswer
         * @instance
         */
        StateAnswer.prototype.json = "";

        /**
         * Encodes the specified StateAnswer message. Does not implicitly {@link troupe.StateAnswer.verify|verify} messages.
         * @function encode
         * @memberof troupe.StateAnswer
         * @static
         * @param {troupe.IStateAnswer} message StateAnswer message or plain object to encode
         * @param {$protobuf.Writer} [writer] Writer to encode to
         * @returns {$protobuf.Writer} Writer
         */
        StateAnswer.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.status != null && Object.hasOwnProperty.call(message, "status"))
                writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.status);
            if (message.json != null && Object.hasOwnProperty.call(message, "json"))
                writer.uint32(/* id 2, wireType 2 =*/18).string(message.json);
            return writer;
        };

        /**
         * Decodes a StateAnswer message from the specified reader or buffer.
         * @function decode
         * @memberof troupe.StateAnswer
         * @static
         * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
         * @param {number} [length] Message length if known beforehand
         * @returns {troupe.StateAnswer} StateAnswer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        StateAnswer.decode = function decode(reader, length, error, long) {
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
            message = new $root.troupe.StateAnswer();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.status = reader.uint32();
                        break;
                    }
                case 2: {
                        message.json = reader.string();
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

        return StateAnswer;
    })();

    return troupe;
})();


/** Package `troupe` of proto/runtime.proto: a class per message, with static `encode` and `decode`. */
export const troupe = $root.troupe as typeof types.troupe;
