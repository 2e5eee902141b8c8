import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	const globals = globalThis as unknown as { __E2E__?: { stop: Array<() => Promise<void>>; tmp: string } };
	const e2e = globals.__E2E__;
	if (!e2e) return;
	for (const stop of e2e.stop) {
		try {
			await stop();
		} catch (error) {
			process.stderr.write(`[e2e] teardown: ${(error as Error).message}\n`);
		}
	}
	if (process.env.E2E_KEEP === '1') process.stderr.write(`[e2e] kept ${e2e.tmp}\n`);
	else fs.rmSync(e2e.tmp, { recursive: true, force: true });
}
