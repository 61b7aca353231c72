// Generated from proto/sequencer.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbts's declarations of the static code in ./sequencer.ts (64-bit integers are numbers there).
/* eslint-disable */
import type * as $protobuf from "protobufjs";
/** Namespace sequencer. */
export declare namespace sequencer {

    /** Properties of a Tick. */
    interface ITick {

        /** Tick key */
        key?: (string|null);

        /** Tick stream */
        stream?: (string|null);

        /** Tick seq */
        seq?: (number|null);
    }

    /** One event: the `seq`-th event of `stream` (a sender connection) for key `key`. */
    class Tick implements ITick {

        /**
         * Constructs a new Tick.
         * @param [properties] Properties to set
         */
        constructor(properties?: sequencer.ITick);

        /** Tick key. */
        public key: string;

        /** Tick stream. */
        public stream: string;

        /** Tick seq. */
        public seq: number;

        /**
         * Encodes the specified Tick message. Does not implicitly {@link sequencer.Tick.verify|verify} messages.
         * @param message Tick message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: sequencer.ITick, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Tick message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Tick
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sequencer.Tick;
    }

    /** Properties of an Applied. */
    interface IApplied {

        /** Applied key */
        key?: (string|null);

        /** Applied stream */
        stream?: (string|null);

        /** Applied seq */
        seq?: (number|null);

        /** Applied prev */
        prev?: (number|null);

        /** Applied node */
        node?: (string|null);

        /** Applied epoch */
        epoch?: (number|null);

        /** Applied slot */
        slot?: (number|null);

        /** Applied count */
        count?: (number|null);

        /** Applied atMs */
        atMs?: (number|null);
    }

    /**
     * What the key's actor saw: the previous seq it applied from the same stream, and where and when it ran
     * (`at_ms`: the node's wall clock as the step ran).
     */
    class Applied implements IApplied {

        /**
         * Constructs a new Applied.
         * @param [properties] Properties to set
         */
        constructor(properties?: sequencer.IApplied);

        /** Applied key. */
        public key: string;

        /** Applied stream. */
        public stream: string;

        /** Applied seq. */
        public seq: number;

        /** Applied prev. */
        public prev: number;

        /** Applied node. */
        public node: string;

        /** Applied epoch. */
        public epoch: number;

        /** Applied slot. */
        public slot: number;

        /** Applied count. */
        public count: number;

        /** Applied atMs. */
        public atMs: number;

        /**
         * Encodes the specified Applied message. Does not implicitly {@link sequencer.Applied.verify|verify} messages.
         * @param message Applied message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: sequencer.IApplied, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Applied message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Applied
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sequencer.Applied;
    }

    /** Properties of a SequencerState. */
    interface ISequencerState {

        /** SequencerState last */
        last?: ({ [k: string]: number }|null);

        /** SequencerState count */
        count?: (number|null);
    }

    /** A key's private state. */
    class SequencerState implements ISequencerState {

        /**
         * Constructs a new SequencerState.
         * @param [properties] Properties to set
         */
        constructor(properties?: sequencer.ISequencerState);

        /** SequencerState last. */
        public last: { [k: string]: number };

        /** SequencerState count. */
        public count: number;

        /**
         * Encodes the specified SequencerState message. Does not implicitly {@link sequencer.SequencerState.verify|verify} messages.
         * @param message SequencerState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: sequencer.ISequencerState, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SequencerState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SequencerState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sequencer.SequencerState;
    }
}
