import { clearFavourite, type Fixture, type Side, type TaskPack } from '../tasks';

export interface QualityOutput {
  fixtureId: string;
  /** The parsed answer: one object, or an array answer covering several fixtures. */
  value: unknown;
  replyText: string;
}

export type QualityWarning =
  | {
      kind: 'stuck';
      message: string;
      evidence: {
        answer: string;
        count: number;
        total: number;
        share: number;
        fixtureIds: string[];
      };
    }
  | {
      kind: 'unrealistic';
      message: string;
      evidence: {
        maxTotal: number;
        maxSide: number;
        outputs: { fixtureId: string; answer: string }[];
      };
    }
  | {
      kind: 'context_blind';
      message: string;
      evidence: {
        margin: number;
        outputs: { fixtureId: string; favourite: Side; favouriteTeam: string; answer: string }[];
      };
    }
  | {
      kind: 'wrong_language';
      message: string;
      evidence: { language: string; outputs: { fixtureId: string; excerpt: string }[] };
    };

export type QualityKind = QualityWarning['kind'];

interface Scored {
  fixtureId: string;
  home: number;
  away: number;
}

// Han, Hiragana, Katakana and Hangul: the scripts Chinese-, Japanese- and Korean-default models drift into.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}][^\n]{0,40}/u;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** One score per fixture; array answers are split by their id field. */
function scoresOf(task: TaskPack, outputs: readonly QualityOutput[]): Scored[] {
  const { homeField, awayField } = task.quality;
  const idField = task.output.idField;
  const scored: Scored[] = [];
  const take = (fixtureId: string, value: unknown) => {
    const object = record(value);
    const home = object?.[homeField];
    const away = object?.[awayField];
    if (typeof home === 'number' && typeof away === 'number')
      scored.push({ fixtureId, home, away });
  };
  for (const output of outputs) {
    if (Array.isArray(output.value)) {
      for (const item of output.value) {
        const id = idField ? record(item)?.[idField] : undefined;
        take(typeof id === 'string' ? id : output.fixtureId, item);
      }
    } else {
      take(output.fixtureId, output.value);
    }
  }
  return scored;
}

const answerOf = (entry: Scored) => `${entry.home}-${entry.away}`;

function stuck(task: TaskPack, scored: readonly Scored[]): QualityWarning | undefined {
  const { stuckShare, stuckMinOutputs, stuckUnanimousMinOutputs } = task.quality;
  // A short run says little about a share (three 1-1s in five is football), but one answer to
  // every fixture of a canary is the "always 1-0" model.
  const unanimousOnly = scored.length < stuckMinOutputs;
  if (unanimousOnly && scored.length < stuckUnanimousMinOutputs) return undefined;
  const byAnswer = new Map<string, string[]>();
  for (const entry of scored)
    byAnswer.set(answerOf(entry), [...(byAnswer.get(answerOf(entry)) ?? []), entry.fixtureId]);
  const [answer, fixtureIds] = [...byAnswer.entries()].sort(
    (a, b) => b[1].length - a[1].length,
  )[0] as [string, string[]];
  const share = fixtureIds.length / scored.length;
  if (unanimousOnly ? share < 1 : share <= stuckShare) return undefined;
  return {
    kind: 'stuck',
    message: `answered ${answer} for ${fixtureIds.length} of ${scored.length} fixtures (${Math.round(share * 100)}%, limit ${Math.round(stuckShare * 100)}%)`,
    evidence: { answer, count: fixtureIds.length, total: scored.length, share, fixtureIds },
  };
}

function unrealistic(task: TaskPack, scored: readonly Scored[]): QualityWarning | undefined {
  const { maxTotal, maxSide } = task.quality;
  const outputs = scored
    .filter(
      (entry) => entry.home + entry.away > maxTotal || entry.home > maxSide || entry.away > maxSide,
    )
    .map((entry) => ({ fixtureId: entry.fixtureId, answer: answerOf(entry) }));
  if (outputs.length === 0) return undefined;
  return {
    kind: 'unrealistic',
    message: `${outputs.length} score${outputs.length === 1 ? '' : 's'} above ${maxTotal} goals in total or ${maxSide} for one side: ${outputs
      .slice(0, 5)
      .map((output) => `${output.fixtureId} ${output.answer}`)
      .join(', ')}`,
    evidence: { maxTotal, maxSide, outputs },
  };
}

function contextBlind(
  task: TaskPack,
  scored: readonly Scored[],
  fixtures: readonly Fixture[],
): QualityWarning | undefined {
  const { clearFavouriteMargin: margin, contextBlindMinFixtures } = task.quality;
  const byId = new Map(fixtures.map((fixture) => [fixture.id, fixture]));
  const withFavourite = scored.flatMap((entry) => {
    const fixture = byId.get(entry.fixtureId);
    const favourite = fixture ? clearFavourite(fixture, margin) : undefined;
    return fixture && favourite ? [{ entry, fixture, favourite }] : [];
  });
  if (withFavourite.length < contextBlindMinFixtures) return undefined;
  const favoured = withFavourite.some(({ entry, favourite }) =>
    favourite === 'home' ? entry.home > entry.away : entry.away > entry.home,
  );
  if (favoured) return undefined;
  return {
    kind: 'context_blind',
    message: `never predicted the clear favourite (${margin}+ strength points) to win in ${withFavourite.length} such fixtures`,
    evidence: {
      margin,
      outputs: withFavourite.map(({ entry, fixture, favourite }) => ({
        fixtureId: entry.fixtureId,
        favourite,
        favouriteTeam: fixture[favourite].name,
        answer: answerOf(entry),
      })),
    },
  };
}

function wrongLanguage(
  task: TaskPack,
  outputs: readonly QualityOutput[],
): QualityWarning | undefined {
  if (task.language !== 'en') return undefined;
  const offending = outputs
    .filter((output) => CJK.test(output.replyText))
    .map((output) => ({
      fixtureId: output.fixtureId,
      excerpt: (CJK_RUN.exec(output.replyText)?.[0] ?? '').trim(),
    }));
  if (offending.length === 0) return undefined;
  return {
    kind: 'wrong_language',
    message: `${offending.length} of ${outputs.length} replies contain Chinese, Japanese or Korean text in an English task`,
    evidence: { language: task.language, outputs: offending },
  };
}

/**
 * Quality checks over one model's accepted outputs in a run: the answers parse, but are they
 * football? `stuck` (one answer for more than the allowed share), `unrealistic` (task
 * thresholds), `context_blind` (never favours a clear favourite), `wrong_language` (CJK text in
 * replies to an English task). Each warning carries the outputs that triggered it.
 */
export function checkQuality(
  task: TaskPack,
  outputs: readonly QualityOutput[],
  fixtures: readonly Fixture[],
): QualityWarning[] {
  const scored = scoresOf(task, outputs);
  return [
    stuck(task, scored),
    unrealistic(task, scored),
    contextBlind(task, scored, fixtures),
    wrongLanguage(task, outputs),
  ].filter((warning): warning is QualityWarning => warning !== undefined);
}
