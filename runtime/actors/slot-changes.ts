/**
 * Per slot being pre-copied (see rebalance/pre-copy.ts), the keys whose state may have changed since
 * the slot's states were last copied: a key runs a step, or its write lands. A slot not being copied
 * costs one array read per note.
 */
export class SlotChanges {
  private bySlot: Array<Set<string> | undefined> | undefined;

  /** `key` of `slot` may have changed (noted only while the slot is tracked). */
  note(slot: number, key: string): void {
    if (this.bySlot !== undefined) this.bySlot[slot]?.add(key);
  }

  /** Starts (or restarts) noting `slot`; returns the keys noted since the last call (empty at the first). */
  track(slot: number): Set<string> {
    const t = (this.bySlot ??= []);
    const before = t[slot] ?? new Set<string>();
    t[slot] = new Set();
    return before;
  }

  /** How many keys of `slot` were noted since the last `track`. */
  count(slot: number): number {
    return this.bySlot?.[slot]?.size ?? 0;
  }

  /** Stops noting `slot`; returns the keys noted since the last `track`. */
  untrack(slot: number): Set<string> {
    const before = this.bySlot?.[slot] ?? new Set<string>();
    if (this.bySlot) this.bySlot[slot] = undefined;
    return before;
  }
}
