import { placeSlots, type PlacementMember } from "./placement.js";

/** `slot -> owner` for one placement epoch, materialised so that routing is an array lookup. */
export class RoutingTable {
  private readonly bySlotCount = new Map<number, readonly string[]>();

  constructor(
    /** The membership epoch this table was computed for. */
    readonly epoch: number,
    /** Members that own slots, in any order. */
    readonly members: readonly PlacementMember[],
  ) {}

  /** The owner array for partitions of `slots` slots (computed once per epoch and slot count). */
  owners(slots: number): readonly string[] {
    let table = this.bySlotCount.get(slots);
    if (!table) {
      table = placeSlots(this.members, slots);
      this.bySlotCount.set(slots, table);
    }
    return table;
  }

  /** The owner of `slot` in a partition of `slots` slots, or undefined if the cluster has no members. */
  ownerOf(slot: number, slots: number): string | undefined {
    return this.owners(slots)[slot];
  }

  /** The slots `nodeId` owns in a partition of `slots` slots. */
  slotsOf(nodeId: string, slots: number): number[] {
    const out: number[] = [];
    const table = this.owners(slots);
    for (let i = 0; i < table.length; i++) if (table[i] === nodeId) out.push(i);
    return out;
  }
}
