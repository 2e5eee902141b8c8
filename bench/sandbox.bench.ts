import { startHaloSandbox } from '../sandbox';

/** What every bench returns, so `npm run bench` can print them side by side. */
export interface BenchResult {
	name: string;
	measures: Array<{ measure: string; value: number; unit: string }>;
}

function percentile(sorted: number[], fraction: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/**
 * How fast the sandbox serves a 100-row page of a client's assets out of 100k, over HTTP, so the
 * other benchmarks know they measure the client and not the simulator.
 */
export async function runSandboxBench(options: { assets?: number; tickets?: number; samples?: number } = {}): Promise<BenchResult> {
	const assets = options.assets ?? 100000;
	const samples = options.samples ?? 300;
	const generationStarted = performance.now();
	const sandbox = await startHaloSandbox({ dataset: { assets, tickets: options.tickets ?? 10000, clients: 500 } });
	const generationMs = performance.now() - generationStarted;
	try {
		const tokenAnswer = await fetch(`${sandbox.baseUrl}/auth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret }),
		});
		const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
		const headers = { Authorization: `Bearer ${token}` };
		const page = async (path: string) => {
			const started = performance.now();
			const response = await fetch(`${sandbox.baseUrl}/api${path}`, { headers });
			const body = (await response.json()) as { assets: unknown[] };
			if (response.status !== 200 || body.assets.length === 0) throw new Error(`Unexpected answer for ${path}`);
			return performance.now() - started;
		};
		const timings = async (pathFor: (index: number) => string) => {
			for (let warm = 0; warm < 20; warm++) await page(pathFor(warm));
			const measured: number[] = [];
			for (let index = 0; index < samples; index++) measured.push(await page(pathFor(index)));
			return measured.sort((a, b) => a - b);
		};
		const byClient = await timings((index) => `/Asset?client_id=${(index % 500) + 1}&pageinate=true&page_size=100&page_no=1`);
		const unfiltered = await timings((index) => `/Asset?pageinate=true&page_size=100&page_no=${(index % 900) + 1}`);
		return {
			name: `sandbox: 100-row asset page out of ${assets}`,
			measures: [
				{ measure: 'dataset generation + start', value: Math.round(generationMs), unit: 'ms' },
				{ measure: 'page filtered by client, median', value: percentile(byClient, 0.5), unit: 'ms' },
				{ measure: 'page filtered by client, p95', value: percentile(byClient, 0.95), unit: 'ms' },
				{ measure: 'unfiltered page (deep page_no), median', value: percentile(unfiltered, 0.5), unit: 'ms' },
				{ measure: 'unfiltered page (deep page_no), p95', value: percentile(unfiltered, 0.95), unit: 'ms' },
			],
		};
	} finally {
		await sandbox.stop();
	}
}
