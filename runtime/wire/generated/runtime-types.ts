// Generated from proto/runtime.proto by scripts/proto.mjs (npm run proto) with protobufjs-cli 1.3.3; do not edit.
// pbts's declarations of the static code in ./runtime.ts (64-bit integers are numbers there).
/* eslint-disable */
import type * as $protobuf from "protobufjs";
/** Namespace troupe. */
export declare namespace troupe {

    /** Properties of an Envelope. */
    interface IEnvelope {

        /** application name */
        app?: (string|null);

        /** index of the stage to run in the app's stage list */
        stage?: (number|null);

        /** slot of the key within the stage's state partition */
        slot?: (number|null);

        /** actor key */
        key?: (string|null);

        /** stage input, encoded by the stage's input codec */
        payload?: (Uint8Array|null);

        /** placement epoch the sender routed with */
        epoch?: (number|null);

        /** originating source connection id (node/source/conn) */
        source?: (string|null);

        /** per-source sequence number (de-duplication, order) */
        seq?: (number|null);

        /** forwards so far */
        hops?: (number|null);

        /** when the source accepted the event (latency) */
        acceptedMs?: (number|null);
    }

    /** One event addressed to a virtual actor (or to a pipeline stage on the owner node). */
    class Envelope implements IEnvelope {

        /**
         * Constructs a new Envelope.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IEnvelope);

        /** application name */
        public app: string;

        /** index of the stage to run in the app's stage list */
        public stage: number;

        /** slot of the key within the stage's state partition */
        public slot: number;

        /** actor key */
        public key: string;

        /** stage input, encoded by the stage's input codec */
        public payload: Uint8Array;

        /** placement epoch the sender routed with */
        public epoch: number;

        /** originating source connection id (node/source/conn) */
        public source: string;

        /** per-source sequence number (de-duplication, order) */
        public seq: number;

        /** forwards so far */
        public hops: number;

        /** when the source accepted the event (latency) */
        public acceptedMs: number;

        /**
         * Encodes the specified Envelope message. Does not implicitly {@link troupe.Envelope.verify|verify} messages.
         * @param message Envelope message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IEnvelope, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Envelope message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Envelope
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Envelope;
    }

    /** Properties of a Batch. */
    interface IBatch {

        /** Batch envelopes */
        envelopes?: (troupe.IEnvelope[]|null);
    }

    /** Events for one destination node, one per flush. */
    class Batch implements IBatch {

        /**
         * Constructs a new Batch.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IBatch);

        /** Batch envelopes. */
        public envelopes: troupe.IEnvelope[];

        /**
         * Encodes the specified Batch message. Does not implicitly {@link troupe.Batch.verify|verify} messages.
         * @param message Batch message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IBatch, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Batch message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Batch
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Batch;
    }

    /** Properties of an Ack. */
    interface IAck {

        /** Ack seq */
        seq?: (number|null);

        /** Ack incarnation */
        incarnation?: (string|null);

        /** Ack reset */
        reset?: (boolean|null);
    }

    /**
     * Cumulative acknowledgement: every message up to and including `seq` of sender incarnation `incarnation` arrived.
     * With `reset`: the receiver met that stream mid-way (its first message was lost, or the receiver restarted
     * and cannot know what it had): it took nothing, and the sender resends what is unacknowledged as a new
     * stream from seq 1.
     */
    class Ack implements IAck {

        /**
         * Constructs a new Ack.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IAck);

        /** Ack seq. */
        public seq: number;

        /** Ack incarnation. */
        public incarnation: string;

        /** Ack reset. */
        public reset: boolean;

        /**
         * Encodes the specified Ack message. Does not implicitly {@link troupe.Ack.verify|verify} messages.
         * @param message Ack message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IAck, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an Ack message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Ack
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Ack;
    }

    /** Properties of an ActorState. */
    interface IActorState {

        /** ActorState key */
        key?: (string|null);

        /** ActorState state */
        state?: (Uint8Array|null);

        /** snapshot mode: the store's revision of the key as the old owner left it (0: never stored) */
        revision?: (number|null);

        /** the last event-stream sequence the state reflects */
        seq?: (number|null);

        /** the store holds this state at `revision`: its next owner need not write it */
        stored?: (boolean|null);
    }

    /** State of one actor moving between owners. */
    class ActorState implements IActorState {

        /**
         * Constructs a new ActorState.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IActorState);

        /** ActorState key. */
        public key: string;

        /** ActorState state. */
        public state: Uint8Array;

        /** snapshot mode: the store's revision of the key as the old owner left it (0: never stored) */
        public revision: number;

        /** the last event-stream sequence the state reflects */
        public seq: number;

        /** the store holds this state at `revision`: its next owner need not write it */
        public stored: boolean;

        /**
         * Encodes the specified ActorState message. Does not implicitly {@link troupe.ActorState.verify|verify} messages.
         * @param message ActorState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IActorState, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an ActorState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns ActorState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.ActorState;
    }

    /** Properties of a HandoffDone. */
    interface IHandoffDone {

        /** HandoffDone app */
        app?: (string|null);

        /** HandoffDone partition */
        partition?: (string|null);

        /** HandoffDone slot */
        slot?: (number|null);

        /** HandoffDone epoch */
        epoch?: (number|null);

        /** HandoffDone from */
        from?: (string|null);

        /** HandoffDone actors */
        actors?: (troupe.IActorState[]|null);

        /** HandoffDone buffered */
        buffered?: (troupe.IEnvelope[]|null);

        /** 0: `actors` is the whole slot; else the pre-copy this completes (`actors` changed since) */
        copy?: (number|null);

        /** with `copy`: keys whose pre-copied state is out of date and not sent (the store has them) */
        stale?: (string[]|null);

        /** durable mode: the slot's events up to this offset are in the states handed over or stored (0: unknown) */
        delivered?: (number|null);
    }

    /** Old owner to new owner: the slot's state and buffered events; the slot is yours. */
    class HandoffDone implements IHandoffDone {

        /**
         * Constructs a new HandoffDone.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IHandoffDone);

        /** HandoffDone app. */
        public app: string;

        /** HandoffDone partition. */
        public partition: string;

        /** HandoffDone slot. */
        public slot: number;

        /** HandoffDone epoch. */
        public epoch: number;

        /** HandoffDone from. */
        public from: string;

        /** HandoffDone actors. */
        public actors: troupe.IActorState[];

        /** HandoffDone buffered. */
        public buffered: troupe.IEnvelope[];

        /** 0: `actors` is the whole slot; else the pre-copy this completes (`actors` changed since) */
        public copy: number;

        /** with `copy`: keys whose pre-copied state is out of date and not sent (the store has them) */
        public stale: string[];

        /** durable mode: the slot's events up to this offset are in the states handed over or stored (0: unknown) */
        public delivered: number;

        /**
         * Encodes the specified HandoffDone message. Does not implicitly {@link troupe.HandoffDone.verify|verify} messages.
         * @param message HandoffDone message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IHandoffDone, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a HandoffDone message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns HandoffDone
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.HandoffDone;
    }

    /** Properties of a SlotCopy. */
    interface ISlotCopy {

        /** SlotCopy app */
        app?: (string|null);

        /** SlotCopy partition */
        partition?: (string|null);

        /** SlotCopy slot */
        slot?: (number|null);

        /** SlotCopy copy */
        copy?: (number|null);

        /** SlotCopy round */
        round?: (number|null);

        /** SlotCopy actors */
        actors?: (troupe.IActorState[]|null);

        /** SlotCopy last */
        last?: (boolean|null);

        /** keys whose earlier copied state is out of date and not sent (the store has them) */
        stale?: (string[]|null);
    }

    /**
     * Pre-copy ahead of a join (memory mode): a slot's states while its owner keeps serving it, in rounds;
     * the joiner acknowledges a round's last piece. A handoff-done with `copy` set completes it.
     */
    class SlotCopy implements ISlotCopy {

        /**
         * Constructs a new SlotCopy.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISlotCopy);

        /** SlotCopy app. */
        public app: string;

        /** SlotCopy partition. */
        public partition: string;

        /** SlotCopy slot. */
        public slot: number;

        /** SlotCopy copy. */
        public copy: number;

        /** SlotCopy round. */
        public round: number;

        /** SlotCopy actors. */
        public actors: troupe.IActorState[];

        /** SlotCopy last. */
        public last: boolean;

        /** keys whose earlier copied state is out of date and not sent (the store has them) */
        public stale: string[];

        /**
         * Encodes the specified SlotCopy message. Does not implicitly {@link troupe.SlotCopy.verify|verify} messages.
         * @param message SlotCopy message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISlotCopy, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SlotCopy message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SlotCopy
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SlotCopy;
    }

    /** Properties of a SlotCopyAck. */
    interface ISlotCopyAck {

        /** SlotCopyAck app */
        app?: (string|null);

        /** SlotCopyAck partition */
        partition?: (string|null);

        /** SlotCopyAck slot */
        slot?: (number|null);

        /** SlotCopyAck copy */
        copy?: (number|null);

        /** SlotCopyAck round */
        round?: (number|null);

        /** SlotCopyAck ok */
        ok?: (boolean|null);
    }

    /** The joiner staged a round of a slot's pre-copy (ok) or refused it (its staging is full). */
    class SlotCopyAck implements ISlotCopyAck {

        /**
         * Constructs a new SlotCopyAck.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISlotCopyAck);

        /** SlotCopyAck app. */
        public app: string;

        /** SlotCopyAck partition. */
        public partition: string;

        /** SlotCopyAck slot. */
        public slot: number;

        /** SlotCopyAck copy. */
        public copy: number;

        /** SlotCopyAck round. */
        public round: number;

        /** SlotCopyAck ok. */
        public ok: boolean;

        /**
         * Encodes the specified SlotCopyAck message. Does not implicitly {@link troupe.SlotCopyAck.verify|verify} messages.
         * @param message SlotCopyAck message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISlotCopyAck, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SlotCopyAck message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SlotCopyAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SlotCopyAck;
    }

    /** Properties of a SlotCopyCancel. */
    interface ISlotCopyCancel {

        /** SlotCopyCancel app */
        app?: (string|null);

        /** SlotCopyCancel partition */
        partition?: (string|null);

        /** SlotCopyCancel slot */
        slot?: (number|null);

        /** SlotCopyCancel copy */
        copy?: (number|null);
    }

    /** The sender gave a slot's pre-copy up: the joiner drops what it staged. */
    class SlotCopyCancel implements ISlotCopyCancel {

        /**
         * Constructs a new SlotCopyCancel.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISlotCopyCancel);

        /** SlotCopyCancel app. */
        public app: string;

        /** SlotCopyCancel partition. */
        public partition: string;

        /** SlotCopyCancel slot. */
        public slot: number;

        /** SlotCopyCancel copy. */
        public copy: number;

        /**
         * Encodes the specified SlotCopyCancel message. Does not implicitly {@link troupe.SlotCopyCancel.verify|verify} messages.
         * @param message SlotCopyCancel message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISlotCopyCancel, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SlotCopyCancel message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SlotCopyCancel
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SlotCopyCancel;
    }

    /** Properties of a CopyReady. */
    interface ICopyReady {

        /** CopyReady epoch */
        epoch?: (number|null);
    }

    /** Everything the sender will hand the joiner is pre-copied (as of view `epoch`). */
    class CopyReady implements ICopyReady {

        /**
         * Constructs a new CopyReady.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ICopyReady);

        /** CopyReady epoch. */
        public epoch: number;

        /**
         * Encodes the specified CopyReady message. Does not implicitly {@link troupe.CopyReady.verify|verify} messages.
         * @param message CopyReady message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ICopyReady, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a CopyReady message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns CopyReady
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.CopyReady;
    }

    /** Properties of an EpochAck. */
    interface IEpochAck {

        /** EpochAck epoch */
        epoch?: (number|null);
    }

    /** The sender has applied `epoch`: everything it sent before this under older epochs is ahead of it. */
    class EpochAck implements IEpochAck {

        /**
         * Constructs a new EpochAck.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IEpochAck);

        /** EpochAck epoch. */
        public epoch: number;

        /**
         * Encodes the specified EpochAck message. Does not implicitly {@link troupe.EpochAck.verify|verify} messages.
         * @param message EpochAck message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IEpochAck, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an EpochAck message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns EpochAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.EpochAck;
    }

    /** Properties of a Drain. */
    interface IDrain {

        /** Drain nodeId */
        nodeId?: (string|null);
    }

    /** Asks a node to leave the cluster gracefully. */
    class Drain implements IDrain {

        /**
         * Constructs a new Drain.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IDrain);

        /** Drain nodeId. */
        public nodeId: string;

        /**
         * Encodes the specified Drain message. Does not implicitly {@link troupe.Drain.verify|verify} messages.
         * @param message Drain message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IDrain, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Drain message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Drain
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Drain;
    }

    /** Properties of a Control. */
    interface IControl {

        /** Control handoffDone */
        handoffDone?: (troupe.IHandoffDone|null);

        /** Control epochAck */
        epochAck?: (troupe.IEpochAck|null);

        /** Control drain */
        drain?: (troupe.IDrain|null);

        /** Control slotCopy */
        slotCopy?: (troupe.ISlotCopy|null);

        /** Control slotCopyAck */
        slotCopyAck?: (troupe.ISlotCopyAck|null);

        /** Control slotCopyCancel */
        slotCopyCancel?: (troupe.ISlotCopyCancel|null);

        /** Control copyReady */
        copyReady?: (troupe.ICopyReady|null);
    }

    /** Control messages between nodes. */
    class Control implements IControl {

        /**
         * Constructs a new Control.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IControl);

        /** Control handoffDone. */
        public handoffDone?: (troupe.IHandoffDone|null);

        /** Control epochAck. */
        public epochAck?: (troupe.IEpochAck|null);

        /** Control drain. */
        public drain?: (troupe.IDrain|null);

        /** Control slotCopy. */
        public slotCopy?: (troupe.ISlotCopy|null);

        /** Control slotCopyAck. */
        public slotCopyAck?: (troupe.ISlotCopyAck|null);

        /** Control slotCopyCancel. */
        public slotCopyCancel?: (troupe.ISlotCopyCancel|null);

        /** Control copyReady. */
        public copyReady?: (troupe.ICopyReady|null);

        /** Control kind. */
        public kind?: ("handoffDone"|"epochAck"|"drain"|"slotCopy"|"slotCopyAck"|"slotCopyCancel"|"copyReady");

        /**
         * Encodes the specified Control message. Does not implicitly {@link troupe.Control.verify|verify} messages.
         * @param message Control message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IControl, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Control message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Control
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Control;
    }

    /** Properties of a NodeMessage. */
    interface INodeMessage {

        /** NodeMessage from */
        from?: (string|null);

        /** NodeMessage incarnation */
        incarnation?: (string|null);

        /** NodeMessage seq */
        seq?: (number|null);

        /** NodeMessage batch */
        batch?: (troupe.IBatch|null);

        /** NodeMessage control */
        control?: (troupe.IControl|null);

        /** NodeMessage ack */
        ack?: (troupe.IAck|null);

        /** NodeMessage fragment */
        fragment?: (troupe.IFragment|null);

        /**
         * An acknowledgement riding on a sequenced message to the node it acknowledges (saves a message per
         * batch each way): taken on arrival, before sequencing. Older receivers ignore it and take the
         * stand-alone acknowledgement that follows a resend.
         */
        piggyback?: (troupe.IAck|null);
    }

    /**
     * Everything one node publishes to another: sequenced per (sender incarnation, receiver) so the
     * receiver can acknowledge, drop repeats and restore order; acks themselves are unsequenced (seq 0).
     */
    class NodeMessage implements INodeMessage {

        /**
         * Constructs a new NodeMessage.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.INodeMessage);

        /** NodeMessage from. */
        public from: string;

        /** NodeMessage incarnation. */
        public incarnation: string;

        /** NodeMessage seq. */
        public seq: number;

        /** NodeMessage batch. */
        public batch?: (troupe.IBatch|null);

        /** NodeMessage control. */
        public control?: (troupe.IControl|null);

        /** NodeMessage ack. */
        public ack?: (troupe.IAck|null);

        /** NodeMessage fragment. */
        public fragment?: (troupe.IFragment|null);

        /**
         * An acknowledgement riding on a sequenced message to the node it acknowledges (saves a message per
         * batch each way): taken on arrival, before sequencing. Older receivers ignore it and take the
         * stand-alone acknowledgement that follows a resend.
         */
        public piggyback?: (troupe.IAck|null);

        /** NodeMessage body. */
        public body?: ("batch"|"control"|"ack"|"fragment");

        /**
         * Encodes the specified NodeMessage message. Does not implicitly {@link troupe.NodeMessage.verify|verify} messages.
         * @param message NodeMessage message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.INodeMessage, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a NodeMessage message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns NodeMessage
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.NodeMessage;
    }

    /** Properties of a Fragment. */
    interface IFragment {

        /** Fragment data */
        data?: (Uint8Array|null);

        /** 0 .. count - 1 */
        index?: (number|null);

        /** Fragment count */
        count?: (number|null);
    }

    /**
     * One piece of a NodeMessage too large for one NATS message (over the server's max_payload): the
     * sender encodes the whole message (seq 0), cuts the bytes into `count` pieces and sends each as its
     * own sequenced NodeMessage, in order, so acknowledgements, resends and de-duplication treat each
     * piece like any message; the receiver joins the pieces and handles the whole once the last arrives.
     */
    class Fragment implements IFragment {

        /**
         * Constructs a new Fragment.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IFragment);

        /** Fragment data. */
        public data: Uint8Array;

        /** 0 .. count - 1 */
        public index: number;

        /** Fragment count. */
        public count: number;

        /**
         * Encodes the specified Fragment message. Does not implicitly {@link troupe.Fragment.verify|verify} messages.
         * @param message Fragment message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IFragment, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a Fragment message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns Fragment
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.Fragment;
    }

    /** Properties of a MemberRecord. */
    interface IMemberRecord {

        /** MemberRecord nodeId */
        nodeId?: (string|null);

        /** membership revision at which the node joined (placement order) */
        joinedSeq?: (number|null);

        /** "joining" | "up" | "leaving" */
        status?: (string|null);

        /** last heartbeat (wall clock of the writer) */
        heartbeatMs?: (number|null);

        /** HTTP address, if any */
        http?: (string|null);

        /** random per process start */
        incarnation?: (string|null);
    }

    /** A member as stored in the membership bucket. */
    class MemberRecord implements IMemberRecord {

        /**
         * Constructs a new MemberRecord.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IMemberRecord);

        /** MemberRecord nodeId. */
        public nodeId: string;

        /** membership revision at which the node joined (placement order) */
        public joinedSeq: number;

        /** "joining" | "up" | "leaving" */
        public status: string;

        /** last heartbeat (wall clock of the writer) */
        public heartbeatMs: number;

        /** HTTP address, if any */
        public http: string;

        /** random per process start */
        public incarnation: string;

        /**
         * Encodes the specified MemberRecord message. Does not implicitly {@link troupe.MemberRecord.verify|verify} messages.
         * @param message MemberRecord message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IMemberRecord, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a MemberRecord message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns MemberRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.MemberRecord;
    }

    /** Properties of a ClusterView. */
    interface IClusterView {

        /** ClusterView members */
        members?: (troupe.IMemberRecord[]|null);
    }

    /** The cluster view: one record, every change a compare-and-set (its revision is the epoch). */
    class ClusterView implements IClusterView {

        /**
         * Constructs a new ClusterView.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IClusterView);

        /** ClusterView members. */
        public members: troupe.IMemberRecord[];

        /**
         * Encodes the specified ClusterView message. Does not implicitly {@link troupe.ClusterView.verify|verify} messages.
         * @param message ClusterView message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IClusterView, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a ClusterView message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns ClusterView
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.ClusterView;
    }

    /** Properties of a StoredState. */
    interface IStoredState {

        /** StoredState state */
        state?: (Uint8Array|null);

        /** StoredState ownerEpoch */
        ownerEpoch?: (number|null);

        /** StoredState appliedSeq */
        appliedSeq?: (number|null);

        /** the actor key itself (a long key's KV key is a hash of it) */
        key?: (string|null);

        /** node id and process incarnation of the writer (tells a node its own earlier write) */
        writer?: (string|null);
    }

    /** A persisted actor state (snapshot and durable modes). */
    class StoredState implements IStoredState {

        /**
         * Constructs a new StoredState.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IStoredState);

        /** StoredState state. */
        public state: Uint8Array;

        /** StoredState ownerEpoch. */
        public ownerEpoch: number;

        /** StoredState appliedSeq. */
        public appliedSeq: number;

        /** the actor key itself (a long key's KV key is a hash of it) */
        public key: string;

        /** node id and process incarnation of the writer (tells a node its own earlier write) */
        public writer: string;

        /**
         * Encodes the specified StoredState message. Does not implicitly {@link troupe.StoredState.verify|verify} messages.
         * @param message StoredState message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IStoredState, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a StoredState message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns StoredState
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.StoredState;
    }

    /** Properties of a SlotCheckpoint. */
    interface ISlotCheckpoint {

        /** SlotCheckpoint seq */
        seq?: (number|null);

        /** SlotCheckpoint ownerEpoch */
        ownerEpoch?: (number|null);

        /** SlotCheckpoint nodeId */
        nodeId?: (string|null);
    }

    /**
     * Durable mode: the checkpoint of one slot's event subject. Every event of the slot at or below
     * `seq` is reflected in the stored actor states (each of which records the last sequence it applied).
     */
    class SlotCheckpoint implements ISlotCheckpoint {

        /**
         * Constructs a new SlotCheckpoint.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISlotCheckpoint);

        /** SlotCheckpoint seq. */
        public seq: number;

        /** SlotCheckpoint ownerEpoch. */
        public ownerEpoch: number;

        /** SlotCheckpoint nodeId. */
        public nodeId: string;

        /**
         * Encodes the specified SlotCheckpoint message. Does not implicitly {@link troupe.SlotCheckpoint.verify|verify} messages.
         * @param message SlotCheckpoint message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISlotCheckpoint, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SlotCheckpoint message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SlotCheckpoint
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SlotCheckpoint;
    }

    /** Properties of a SourceHello. */
    interface ISourceHello {

        /** stable across reconnects: [A-Za-z0-9_.-], 1-64 chars */
        clientId?: (string|null);

        /** the number of the first frame that follows */
        nextSeq?: (number|null);
    }

    /**
     * Acknowledged source protocol: a client that opens a connection with the 4 bytes FF FF FF FF
     * then sends this as its first frame; every later frame it sends is numbered from `next_seq` on.
     */
    class SourceHello implements ISourceHello {

        /**
         * Constructs a new SourceHello.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISourceHello);

        /** stable across reconnects: [A-Za-z0-9_.-], 1-64 chars */
        public clientId: string;

        /** the number of the first frame that follows */
        public nextSeq: number;

        /**
         * Encodes the specified SourceHello message. Does not implicitly {@link troupe.SourceHello.verify|verify} messages.
         * @param message SourceHello message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISourceHello, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SourceHello message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SourceHello
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SourceHello;
    }

    /** Properties of a SourceAck. */
    interface ISourceAck {

        /** SourceAck seq */
        seq?: (number|null);
    }

    /**
     * Acknowledged source protocol: the source's cumulative acknowledgement, sent as a frame back to
     * the client. Every frame numbered `seq` or lower is accepted (in durable mode: stored in JetStream).
     */
    class SourceAck implements ISourceAck {

        /**
         * Constructs a new SourceAck.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.ISourceAck);

        /** SourceAck seq. */
        public seq: number;

        /**
         * Encodes the specified SourceAck message. Does not implicitly {@link troupe.SourceAck.verify|verify} messages.
         * @param message SourceAck message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.ISourceAck, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a SourceAck message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns SourceAck
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.SourceAck;
    }

    /** Properties of a DeadLetterRecord. */
    interface IDeadLetterRecord {

        /** decode_error | step_error | undeliverable | hop_limit | store_error | ... */
        reason?: (string|null);

        /** DeadLetterRecord app */
        app?: (string|null);

        /** source name or pipeline/step */
        where?: (string|null);

        /** the error message */
        detail?: (string|null);

        /** the input that failed, when known */
        payload?: (Uint8Array|null);

        /** DeadLetterRecord nodeId */
        nodeId?: (string|null);

        /** wall clock */
        atMs?: (number|null);

        /** source name to replay the payload into (when the payload is a source frame) */
        source?: (string|null);

        /** stage to replay the payload into (when it is a stage input); -1 when none */
        stage?: (number|null);
    }

    /** One dead letter, as stored in the dead-letter stream. */
    class DeadLetterRecord implements IDeadLetterRecord {

        /**
         * Constructs a new DeadLetterRecord.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IDeadLetterRecord);

        /** decode_error | step_error | undeliverable | hop_limit | store_error | ... */
        public reason: string;

        /** DeadLetterRecord app. */
        public app: string;

        /** source name or pipeline/step */
        public where: string;

        /** the error message */
        public detail: string;

        /** the input that failed, when known */
        public payload: Uint8Array;

        /** DeadLetterRecord nodeId. */
        public nodeId: string;

        /** wall clock */
        public atMs: number;

        /** source name to replay the payload into (when the payload is a source frame) */
        public source: string;

        /** stage to replay the payload into (when it is a stage input); -1 when none */
        public stage: number;

        /**
         * Encodes the specified DeadLetterRecord message. Does not implicitly {@link troupe.DeadLetterRecord.verify|verify} messages.
         * @param message DeadLetterRecord message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IDeadLetterRecord, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a DeadLetterRecord message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns DeadLetterRecord
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.DeadLetterRecord;
    }

    /** Properties of an EventBatch. */
    interface IEventBatch {

        /**
         * Each event is an encoded Envelope; `stages` and `slots` say where each one goes, so a reader
         * decodes only the events of the slots it owns.
         */
        events?: (Uint8Array[]|null);

        /** acknowledged sources: the highest client frame number in this batch */
        clientLastSeq?: (number|null);

        /** per producer incarnation: tells a retried batch from another writer's */
        batchId?: (number|null);

        /** EventBatch stages */
        stages?: (number[]|null);

        /** EventBatch slots */
        slots?: (number[]|null);
    }

    /**
     * Durable mode: one message in an app's event stream. A producer (a source connection, or a node)
     * appends its events in batches on its own subject, each batch conditional on the subject's last
     * sequence, so a producer's events are stored once and in order.
     */
    class EventBatch implements IEventBatch {

        /**
         * Constructs a new EventBatch.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IEventBatch);

        /**
         * Each event is an encoded Envelope; `stages` and `slots` say where each one goes, so a reader
         * decodes only the events of the slots it owns.
         */
        public events: Uint8Array[];

        /** acknowledged sources: the highest client frame number in this batch */
        public clientLastSeq: number;

        /** per producer incarnation: tells a retried batch from another writer's */
        public batchId: number;

        /** EventBatch stages. */
        public stages: number[];

        /** EventBatch slots. */
        public slots: number[];

        /**
         * Encodes the specified EventBatch message. Does not implicitly {@link troupe.EventBatch.verify|verify} messages.
         * @param message EventBatch message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IEventBatch, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes an EventBatch message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns EventBatch
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.EventBatch;
    }

    /** Properties of a StateQuery. */
    interface IStateQuery {

        /** StateQuery app */
        app?: (string|null);

        /** StateQuery partition */
        partition?: (string|null);

        /** StateQuery key */
        key?: (string|null);

        /** StateQuery forwarded */
        forwarded?: (boolean|null);
    }

    /**
     * State lookup (troupe state get, GET /state/APP/PARTITION/KEY): a node asks the key's owner over
     * NATS request/reply; any node forwards a query it does not own once (forwarded = true stops there).
     */
    class StateQuery implements IStateQuery {

        /**
         * Constructs a new StateQuery.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IStateQuery);

        /** StateQuery app. */
        public app: string;

        /** StateQuery partition. */
        public partition: string;

        /** StateQuery key. */
        public key: string;

        /** StateQuery forwarded. */
        public forwarded: boolean;

        /**
         * Encodes the specified StateQuery message. Does not implicitly {@link troupe.StateQuery.verify|verify} messages.
         * @param message StateQuery message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IStateQuery, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a StateQuery message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns StateQuery
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.StateQuery;
    }

    /** Properties of a StateAnswer. */
    interface IStateAnswer {

        /** StateAnswer status */
        status?: (number|null);

        /** StateAnswer json */
        json?: (string|null);
    }

    /**
     * The answer: an HTTP-like status (200 found, 404 unknown app, partition or key, 503 no owner yet)
     * and the JSON body that GET /state returns.
     */
    class StateAnswer implements IStateAnswer {

        /**
         * Constructs a new StateAnswer.
         * @param [properties] Properties to set
         */
        constructor(properties?: troupe.IStateAnswer);

        /** StateAnswer status. */
        public status: number;

        /** StateAnswer json. */
        public json: string;

        /**
         * Encodes the specified StateAnswer message. Does not implicitly {@link troupe.StateAnswer.verify|verify} messages.
         * @param message StateAnswer message or plain object to encode
         * @param [writer] Writer to encode to
         * @returns Writer
         */
        public static encode(message: troupe.IStateAnswer, writer?: $protobuf.Writer): $protobuf.Writer;

        /**
         * Decodes a StateAnswer message from the specified reader or buffer.
         * @param reader Reader or buffer to decode from
         * @param [length] Message length if known beforehand
         * @returns StateAnswer
         * @throws {Error} If the payload is not a reader or valid buffer
         * @throws {$protobuf.util.ProtocolError} If required fields are missing
         */
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): troupe.StateAnswer;
    }
}
