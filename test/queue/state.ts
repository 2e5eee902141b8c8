import * as fs from 'node:fs';

import type { E2eState } from '../e2e/helpers/state';

/** What the queue suite's globalSetup hands to its test files (a JSON file named by QUEUE_STATE_FILE). */
export interface QueueState extends E2eState {
	/** the round-robin proxy in front of the webhook processes: where Halo and the chat tool call n8n */
	proxyUrl: string;
	/** the webhook processes, in the proxy's upstream order */
	webhookProcessUrls: string[];
	/** each worker's log, in worker order (executionsStartedBy reads who ran what) */
	workerLogFiles: string[];
	workerConcurrency: number;
}

export function loadQueueState(): QueueState {
	const file = process.env.QUEUE_STATE_FILE;
	if (!file || !fs.existsSync(file)) throw new Error('QUEUE_STATE_FILE is not set: run the suite with scripts/queue.sh (npm run test:queue)');
	return JSON.parse(fs.readFileSync(file, 'utf8')) as QueueState;
}
