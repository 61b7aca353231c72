import { hash32 } from "./hash.js";

/** A member as placement sees it: its id and the membership sequence at which it joined. */
export interface PlacementMember {
  readonly id: string;
  readonly joinedSeq: number;
}

/**
 * Places `slots` slots on `members`: a pure function (same members, same table).
 *
 * Members are taken in join order. The first owns every slot; each later member
 * takes an equal share from the most-loaded members, choosing among a donor's slots
 * by rendezvous rank (highest `hash(member, slot)` first). So:
 * - every member owns floor(S/N) or ceil(S/N) slots;
 * - a member that joins last takes slots only for itself: nothing moves between others;
 * - the choice of slots is spread by hash, like a consistent-hash ring's virtual points.
 * A plain ring cannot promise the first property at 256 slots (its per-node spread is
 * binomial, about ±19% at 10 nodes), which is why the ring's role is played by ranks.
 */
export function placeSlots(members: readonly PlacementMember[], slots: number): string[] {
  if (members.length === 0) return [];
  const ordered = [...members].sort((a, b) => a.joinedSeq - b.joinedSeq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const owner = new Int32Array(slots); // member index per slot
  const load = [slots];
  const bySlot: number[][] = [Array.from({ length: slots }, (_, i) => i)];
  for (let k = 1; k < ordered.length; k++) {
    const id = ordered[k]!.id;
    const quota = Math.floor(slots / (k + 1));
    const ranks = new Uint32Array(slots);
    for (let s = 0; s < slots; s++) ranks[s] = rank(id, s);
    load.push(0);
    bySlot.push([]);
    for (let taken = 0; taken < quota; taken++) {
      let donor = 0;
      for (let d = 1; d < k; d++) if (load[d]! > load[donor]!) donor = d;
      const donorSlots = bySlot[donor]!;
      let best = 0;
      let bestRank = -1;
      for (let i = 0; i < donorSlots.length; i++) {
        const r = ranks[donorSlots[i]!]!;
        if (r > bestRank || (r === bestRank && donorSlots[i]! < donorSlots[best]!)) {
          bestRank = r;
          best = i;
        }
      }
      const slot = donorSlots[best]!;
      donorSlots[best] = donorSlots[donorSlots.length - 1]!;
      donorSlots.pop();
      owner[slot] = k;
      bySlot[k]!.push(slot);
      load[donor]!--;
      load[k]!++;
    }
  }
  const ids = ordered.map((m) => m.id);
  return Array.from(owner, (i) => ids[i]!);
}

function rank(member: string, slot: number): number {
  return hash32(member + "\u0000" + slot);
}
