// A thread's later posts are indexed as documents of their own, "parts" of the thread
// (sources.server.ts says why): "thread:7/post:123". Search finds and counts the thread once.

/** The thread a part belongs to ("thread:7"), or null for any other ref. */
export function threadOfPart(ref: string) {
  const slash = ref.indexOf("/post:");
  return slash < 0 ? null : ref.slice(0, slash);
}

export function partRef(threadId: number, postId: number) {
  return `thread:${threadId}/post:${postId}`;
}

/** The post a part stands for, or null. */
export function postOfPart(ref: string) {
  const slash = ref.indexOf("/post:");
  return slash < 0 ? null : Number(ref.slice(slash + 6));
}
