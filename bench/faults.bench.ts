/**
 * Faults: 1,000 customer notes per run through the HaloPSA Automation node (one node run, Continue On
 * Fail, in-process through the n8n-core harness) while the sandbox hits a fifth of the note posts with
 * faults of every kind, 3 runs with different seeds on a fresh sandbox each. One note in 40 asks for a
 * status Halo does not have, so Halo refuses it. Then every ticket's notes are counted.
 */
import { startHaloSandbox } from '../sandbox';
import { FAULT_KINDS, postNotesUnderFaults, withRetryPolicy, type NoteFaultRun } from '../test/helpers/faults';
import { log, type BenchResult, type Measure } from './support';

const NOTES = 1000;
const SHARE = 0.2;
const REFUSED_EVERY = 40;
const SEEDS = [1, 2, 3];
/** The node's policy with its waits scaled down: 20 ms instead of 500 ms, a 1 s request timeout instead of 120 s. */
const SCALED_DOWN = { transientBaseDelayMs: 20, requestTimeoutMs: 1000 };

export async function runFaultsBench(): Promise<BenchResult> {
	const runs: NoteFaultRun[] = [];
	for (const seed of SEEDS) {
		const sandbox = await startHaloSandbox({ dataset: 'demo' });
		try {
			log(`faults: ${NOTES} notes, ${SHARE * 100}% of the posts faulted, seed ${seed}`);
			runs.push(
				await withRetryPolicy(SCALED_DOWN, async () =>
					await postNotesUnderFaults(sandbox, { notes: NOTES, tickets: [1, 2, 3, 4, 5, 6, 7, 8], share: SHARE, refusedEvery: REFUSED_EVERY, seed }),
				),
			);
		} finally {
			await sandbox.stop();
		}
	}
	const total = (pick: (run: NoteFaultRun) => number) => runs.reduce((sum, run) => sum + pick(run), 0);
	const notes = total((run) => run.notes);
	const refused = total((run) => run.refused.length);
	const faults = total((run) => Object.values(run.faultsByKind).reduce((sum, count) => sum + count, 0));
	const posts = total((run) => run.posts);
	const noPeer = 'n/a: no note operation';
	const byKind: Measure[] = Object.keys(FAULT_KINDS).map((kind) => ({
		measure: `faults fired: ${kind}`,
		value: total((run) => run.faultsByKind[kind]),
		unit: '',
	}));
	return {
		name: `faults: ${SEEDS.length} x ${NOTES.toLocaleString('en-US')} notes, ${SHARE * 100}% of the note posts hit by faults of every kind`,
		peer: `none: n8n-nodes-base.haloPSA has no note (action) operation`,
		measures: [
			{ measure: 'notes posted', value: notes, unit: '', peer: noPeer },
			{ measure: 'notes Halo refused (unknown status, one in 40)', value: refused, unit: '' },
			{ measure: 'notes lost (not in Halo, not refused)', value: total((run) => run.lost.length), unit: '', limit: 'goal 0' },
			{ measure: 'notes in Halo more than once', value: total((run) => run.duplicated.length), unit: '', limit: 'goal 0' },
			{ measure: 'error items', value: total((run) => run.errorItems.length), unit: '', limit: `goal ${refused} (the refused notes)` },
			{ measure: 'error items for notes Halo holds', value: total((run) => run.errorButWritten.length), unit: '', limit: 'goal 0' },
			{ measure: 'note posts hit by a fault', value: Math.round((faults / posts) * 1000) / 10, unit: '%', limit: `${SHARE * 100}% drawn per post` },
			...byKind,
			{ measure: 'note posts per note', value: Math.round((posts / notes) * 1000) / 1000, unit: '' },
			{ measure: 'API requests per note (posts and checks)', value: Math.round((total((run) => run.apiRequests) / notes) * 1000) / 1000, unit: '' },
			{ measure: 'wall time per run (scaled-down waits)', value: Math.round(total((run) => run.wallMs) / runs.length), unit: 'ms' },
		],
		notes: [
			'Kinds: 500, 502, 503, 504, reset (TCP RST), timeout (no answer until the client gives up) before Halo processes the note; processed-then-500 and processed-then-reset after. The sandbox draws each post\'s fault from a seeded RNG, so a run is repeatable.',
			'The node runs with its own retry policy, waits scaled down (20 ms doubling instead of 500 ms, a 1 s request timeout instead of 120 s) so a run takes seconds; the counts do not depend on the waits. Up to 6 attempts per note, each ambiguous failure followed by a check for the note\'s marker.',
			'A note whose post failed is looked for in the ticket\'s notes (one request per 100 notes of the ticket; the 8 tickets hold up to about 130 notes here), hence more than one request per check.',
			'The built-in HaloPSA node cannot add a note (a Halo action), so there is no peer figure.',
		],
	};
}
