/**
 * Runs work one after another per key: two quick changes to an incident must reach its pinned
 * summary in order, and the summary must exist before it is updated.
 */
export function createSerialQueue() {
  const tails = new Map<string, Promise<void>>();
  return (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = next.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}

export type SerialQueue = ReturnType<typeof createSerialQueue>;
