/**
 * A made-up wire story and its copies as three outlets might print them, plus a different
 * story on the same topic, for the near-duplicate tests. Written for these tests.
 */

/** The wire original's paragraphs. */
export const WIRE_PARAGRAPHS = [
  'The harbour authority of Port Alder said on Monday it would close the old north pier for eighteen months from April, after engineers found that storms last winter had cracked three of its concrete supports.',
  'Ferries to the islands will move to a temporary berth at the fishing quay, the authority said, and timetables will change by about ten minutes on most crossings while the work goes on.',
  'Chief engineer Marta Holm told reporters that divers had inspected every one of the 64 supports in January and that the damaged ones could not be repaired in place. "We have to rebuild the whole outer section," she said.',
  'The repairs are expected to cost 42 million crowns, of which the national transport fund will pay two thirds. The town council approved its share of the money at a meeting late on Friday.',
  'Local businesses have asked for free parking near the fishing quay during the closure. The council said it would decide on the request next month, after a survey of traffic in the area.',
  'The north pier was built in 1931 and last renovated in the 1980s. About 300,000 passengers used it last year, most of them on the summer routes to the outer islands.',
];

export const WIRE_TITLE = 'Port Alder to close north pier for repairs';

/** A different story about the same pier: shares names and topic, not the report. */
export const OTHER_STORY_PARAGRAPHS = [
  'Port Alder reopened its north pier on Saturday after eighteen months of work, and the first ferry to the outer islands left on time at seven in the morning with a full car deck.',
  'The rebuilt outer section rests on new steel piles instead of the old concrete supports, which engineers said were cracked beyond repair after the storms two winters ago.',
  "Marta Holm, the harbour authority's chief engineer, said the project had finished a month early and about three million crowns under its budget, thanks to a mild winter.",
  'Passengers welcomed the return to the old berth. "The fishing quay was fine, but the walk from the car park was long in the rain," said one commuter waiting for the island ferry.',
  'The authority expects passenger numbers on the summer routes to rise this year, and it plans to add two more crossings a day to the outer islands from June.',
];

export const OTHER_STORY_TITLE = 'North pier reopens in Port Alder';

/** The article text as a `.txt` file holds it: headline, blank line, paragraphs. */
export function storyText(title: string, paragraphs: readonly string[]): string {
  return `${title}\n\n${paragraphs.join('\n\n')}\n`;
}

/** Leading paragraphs making up about 70 % of the words (the other 30 % trimmed off the end). */
export function trimmed30(paragraphs: readonly string[]): string[] {
  const count = (p: string) => p.split(/\s+/).length;
  const total = paragraphs.reduce((n, p) => n + count(p), 0);
  const out: string[] = [];
  let words = 0;
  for (const p of paragraphs) {
    if (words + count(p) > total * 0.7) break;
    out.push(p);
    words += count(p);
  }
  return out;
}

/** An independent report of the same news (its own wording): a second report, not a copy. */
export const INDEPENDENT_PARAGRAPHS = [
  'Storm damage to three concrete supports means the north pier at Port Alder will shut for a year and a half starting in April, harbour officials announced.',
  'Island ferries are being moved to the fishing quay for the duration. Officials put the bill for rebuilding the outer section at 42 million crowns.',
  'Residents at a packed public meeting on Monday evening asked whether the summer ferry routes to the outer islands would keep their full timetable.',
];

export const INDEPENDENT_TITLE = 'Storm damage shuts Port Alder pier for 18 months';
