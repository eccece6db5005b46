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
