/** "2026.02.13 10:15:00" (UTC): the dotted format the API we follow uses for some dates. */
export function dottedDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)} ${iso.slice(11, 19)}`;
}

/** An open-ended end date, as the API we follow writes it. */
export const OPEN_ENDED = "2100.01.01 00:00:00";
