import { format, isValid, parseISO } from "date-fns";

/** "12 June 2025", as GOV.UK writes dates. */
export function formatDate(iso: string) {
  const date = parseISO(iso);
  return isValid(date) ? format(date, "d MMMM yyyy") : iso;
}

/** Calendar date (YYYY-MM-DD) of an ISO timestamp, for <time dateTime>. */
export function isoDay(iso: string) {
  return iso.slice(0, 10);
}

/** True when a YYYY-MM-DD date is before today. */
export function isPastDate(day: string, now = new Date()) {
  return day < now.toISOString().slice(0, 10);
}

export function nowIso() {
  return new Date().toISOString();
}

const LONDON_OFFSET = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" });
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const offsetMinutesByHour = new Map<string, number>();

/** UK clock time ("24 Nov 2026, 21:35"), the same on server and browser. Intl is slow on long threads, so it only works out the offset once an hour. */
export function formatDateTime(iso: string) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const hourKey = date.toISOString().slice(0, 13);
  let offset = offsetMinutesByHour.get(hourKey);
  if (offset === undefined) {
    const name = LONDON_OFFSET.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "GMT";
    const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
    offset = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) : 0;
    offsetMinutesByHour.set(hourKey, offset);
  }
  const local = new Date(date.getTime() + offset * 60_000);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}
