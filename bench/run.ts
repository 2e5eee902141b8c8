/**
 * `npm run bench [-- <name>...]`: runs every `bench/*.bench.ts` (each exports async functions that
 * return a BenchResult; `npm run bench -- engine listing` runs only the files whose name contains
 * one of the words), prints one table and rewrites BENCHMARKS.md with the latest figures and the
 * machine they ran on. Benches left out of a run keep their previous figures, with their own date.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../scripts/n8n-env';
import { log, trailsPeer, type BenchResult, type Measure } from './support';

interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	node: string;
	platform: string;
}

interface StoredRun {
	file: string;
	date: string;
	machine: Machine;
	durationSeconds: number;
	results: BenchResult[];
	error?: string;
}

const BENCHMARKS_FILE = path.join(REPO_ROOT, 'BENCHMARKS.md');
const DATA_MARKER = 'bench-data';
/** The order BENCHMARKS.md presents the benches in; any other bench follows by name. */
const ORDER = ['n8n-tokens', 'listing', 'rate-limit', 'snapshot', 'faults', 'engine', 'trigger'];

function machine(): Machine {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		node: process.version,
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

function benchFiles(filters: string[]): string[] {
	const rank = (file: string) => {
		const index = ORDER.findIndex((name) => file.startsWith(`${name}.`));
		return index === -1 ? ORDER.length : index;
	};
	return fs
		.readdirSync(__dirname)
		.filter((file) => file.endsWith('.bench.js'))
		.filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
		.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isBenchResult(value: unknown): value is BenchResult {
	const candidate = value as BenchResult;
	return typeof candidate?.name === 'string' && Array.isArray(candidate.measures);
}

async function runFile(file: string): Promise<StoredRun> {
	const started = Date.now();
	const run: StoredRun = { file, date: new Date().toISOString(), machine: machine(), durationSeconds: 0, results: [] };
	try {
		const exported = require(path.join(__dirname, file)) as Record<string, unknown>;
		const benches = Object.entries(exported).filter(([, value]) => typeof value === 'function') as Array<
			[string, () => Promise<unknown>]
		>;
		if (benches.length === 0) throw new Error('exports no bench function');
		for (const [exportName, bench] of benches) {
			log(`${file}: ${exportName}()`);
			const result = await bench();
			if (!isBenchResult(result)) throw new Error(`${exportName}() did not return { name, measures }`);
			run.results.push(result);
		}
	} catch (error) {
		run.error = (error as Error).stack ?? String(error);
		log(`${file} FAILED: ${run.error}`);
	}
	run.durationSeconds = Math.round((Date.now() - started) / 1000);
	return run;
}

function formatNumber(value: number): string {
	if (Number.isInteger(value)) return value.toLocaleString('en-US');
	return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2).replace(/\.?0+$/, '');
}

function formatValue(value: number | string | undefined, unit: string): string {
	if (value === undefined) return '';
	if (typeof value === 'string') return value;
	return `${formatNumber(value)} ${unit}`.trim();
}

/** ours / peer, when both are numbers and the peer's is not zero. */
function ratio(measure: Measure): string {
	if (typeof measure.peer !== 'number') return '';
	if (measure.peer === 0) return measure.value === 0 ? '1' : '';
	const quotient = measure.value / measure.peer;
	if (quotient >= 100) return String(Math.round(quotient));
	if (quotient >= 10) return quotient.toFixed(1);
	return quotient.toFixed(3).replace(/\.?0+$/, '');
}

const HEADER = ['measure', 'ours', 'peer', 'ratio (ours/peer)', 'limit / goal'];

/** The limit, and for a row where we trail the peer, why (a row without a reason says so). */
function limitCell(measure: Measure): string {
	if (!trailsPeer(measure)) return measure.limit ?? '';
	const why = `TRAILS the peer: ${measure.trailsBecause ?? 'no reason given (the bench must say why)'}`;
	return measure.limit ? `${measure.limit}; ${why}` : why;
}

/** One row per measure, the rows where we trail the peer first (each keeping its order). */
function rows(result: BenchResult): string[][] {
	const ordered = [...result.measures.filter(trailsPeer), ...result.measures.filter((measure) => !trailsPeer(measure))];
	return ordered.map((measure) => [
		measure.measure,
		formatValue(measure.value, measure.unit),
		formatValue(measure.peer, measure.unit),
		ratio(measure),
		limitCell(measure),
	]);
}

function printTable(runs: StoredRun[]): void {
	const body: Array<string[] | string> = [];
	for (const run of runs) {
		if (run.error) body.push(`${run.file}: FAILED (see the log above)`);
		for (const result of run.results) {
			body.push(`${result.name}${result.peer ? `  (peer: ${result.peer})` : ''}`);
			body.push(...rows(result));
		}
	}
	const widths = HEADER.map((title, column) =>
		Math.max(title.length, ...body.filter((line): line is string[] => Array.isArray(line)).map((line) => line[column].length)),
	);
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ');
	const rule = widths.map((width) => '-'.repeat(width)).join('-+-');
	const output = [line(HEADER), rule];
	for (const entry of body) {
		if (Array.isArray(entry)) output.push(line(entry));
		else output.push(...(output.length > 2 ? [rule] : []), entry);
	}
	process.stdout.write(`\n${output.join('\n')}\n\n`);
}

function readStoredRuns(): StoredRun[] {
	if (!fs.existsSync(BENCHMARKS_FILE)) return [];
	const match = new RegExp(`<!-- ${DATA_MARKER}\\n([\\s\\S]*?)\\n-->`).exec(fs.readFileSync(BENCHMARKS_FILE, 'utf8'));
	return match ? (JSON.parse(match[1]) as StoredRun[]) : [];
}

function machineLine(run: StoredRun): string {
	const { cpu, cores, memoryGb, node, platform } = run.machine;
	return `${run.date.slice(0, 16).replace('T', ' ')} UTC on ${cpu}, ${cores} cores, ${memoryGb} GB, Node ${node}, ${platform}; took ${run.durationSeconds} s`;
}

const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');

function renderMarkdown(runs: StoredRun[]): string {
	const out = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (bench/run.ts); do not edit by hand. `npm run bench -- <name>` reruns one',
		'bench and keeps the others\' figures. Absolute times depend on the machine and its load, so each',
		'comparison is taken in the same run, against the same sandbox and data, and read as a ratio',
		'(ours / peer: below 1 is fewer requests, less time or less memory than the peer) or as a count',
		'held against its physical limit or goal. "Peer" is n8n\'s built-in HaloPSA node',
		'(`n8n-nodes-base.haloPSA`, n8n 2.41.1) unless a bench says otherwise. In each table the rows where we',
		'trail the peer come first, their limit column saying why ("TRAILS the peer: ...").',
		'',
	];
	for (const run of runs) {
		out.push(`## ${run.file.replace(/\.bench\.js$/, '')}`, '', `Ran ${machineLine(run)}.`, '');
		if (run.error) out.push('**The bench failed in its latest run:**', '', '```', run.error.split('\n').slice(0, 8).join('\n'), '```', '');
		for (const result of run.results) {
			out.push(`### ${result.name}`, '');
			if (result.peer) out.push(`Peer: ${result.peer}`, '');
			out.push(`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`);
			for (const cells of rows(result)) out.push(`| ${cells.map(escapeCell).join(' | ')} |`);
			out.push('');
			for (const note of result.notes ?? []) out.push(`- ${note}`);
			if (result.notes?.length) out.push('');
		}
	}
	out.push(`<!-- ${DATA_MARKER}`, JSON.stringify(runs, null, 1), '-->', '');
	return out.join('\n');
}

async function main(): Promise<void> {
	const filters = process.argv.slice(2);
	const files = benchFiles(filters);
	if (files.length === 0) throw new Error(`no bench matches ${filters.join(', ')}`);
	log(`running ${files.join(', ')}`);
	const runs: StoredRun[] = [];
	for (const file of files) runs.push(await runFile(file));
	printTable(runs);

	const latest = new Map(readStoredRuns().map((run) => [run.file, run]));
	for (const run of runs) latest.set(run.file, run);
	const ordered = benchFiles([]).filter((file) => latest.has(file)).map((file) => latest.get(file)!);
	fs.writeFileSync(BENCHMARKS_FILE, renderMarkdown(ordered));
	log(`wrote ${path.relative(process.cwd(), BENCHMARKS_FILE)}`);
	// Some benches load n8n-core, whose timers would keep the process alive.
	process.exit(runs.some((run) => run.error) ? 1 : 0);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
