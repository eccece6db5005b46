/** One structured log line on stdout (JSON), the format every server process writes. */
export function log(fields: Record<string, unknown>) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}
