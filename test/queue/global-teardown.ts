export default async function globalTeardown(): Promise<void> {
	const queue = (globalThis as unknown as { __QUEUE__?: { stop: () => Promise<void> } }).__QUEUE__;
	try {
		await queue?.stop();
	} catch (error) {
		process.stderr.write(`[queue] teardown: ${(error as Error).message}\n`);
	}
}
