/** "1 item", "2 items", "1,204 items": a count with its noun in the right number. */
export function countOf(count: number, singular: string, plural = `${singular}s`) {
  return `${count.toLocaleString("en-GB")} ${count === 1 ? singular : plural}`;
}
