import { startHaloSandbox, type DatasetSpec, type GenerateOptions, type LatencySettings } from './index';

/**
 * `npm run sandbox [-- --port 8787 --dataset demo|generated --assets 100000 --tickets 10000 ...]`
 * Starts a sandbox and prints what a user types into the n8n credential.
 */

const sizeFlags: Record<string, keyof GenerateOptions> = {
	'--seed': 'seed',
	'--clients': 'clients',
	'--sites-per-client': 'sitesPerClient',
	'--users-per-site': 'usersPerSite',
	'--contracts-per-client': 'contractsPerClient',
	'--assets': 'assets',
	'--software-per-asset': 'softwarePerAsset',
	'--tickets': 'tickets',
	'--actions-per-ticket': 'actionsPerTicket',
};

const usage = `Usage: npm run sandbox -- [--port N] [--host H] [--dataset demo|generated|empty]
       [--tenant NAME] [--token-lifetime SECONDS] [--rate-limit LIMIT/WINDOW_MS]
       [--latency MS] [--token-latency MS]
       ${Object.keys(sizeFlags).map((flag) => `[${flag} N]`).join(' ')}
Environment: HALO_SANDBOX_PORT (default 8787).`;

/** A whole decimal number, or an error naming the flag (no NaN, hex or exponent gets through). */
function wholeNumber(flag: string, value: string): number {
	if (!/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number; got '${value}'\n${usage}`);
	return Number(value);
}

function parse(argv: string[]) {
	const environmentPort = process.env.HALO_SANDBOX_PORT;
	const options = {
		port: environmentPort === undefined || environmentPort === '' ? 8787 : wholeNumber('HALO_SANDBOX_PORT', environmentPort),
		host: '127.0.0.1',
		dataset: 'demo' as string,
		generate: {} as GenerateOptions,
		requireTenant: undefined as string | undefined,
		tokenLifetimeSeconds: undefined as number | undefined,
		rateLimit: false as { limit: number; windowMs: number } | false,
		latencyMs: undefined as number | undefined,
		tokenLatencyMs: undefined as number | undefined,
	};
	for (let index = 0; index < argv.length; index++) {
		const flag = argv[index];
		if (flag === '--help' || flag === '-h') {
			console.log(usage);
			process.exit(0);
		}
		const value = argv[index + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${usage}`);
		index++;
		if (flag === '--port') options.port = wholeNumber(flag, value);
		else if (flag === '--host') options.host = value;
		else if (flag === '--dataset') options.dataset = value;
		else if (flag === '--tenant') options.requireTenant = value;
		else if (flag === '--token-lifetime') options.tokenLifetimeSeconds = wholeNumber(flag, value);
		else if (flag === '--latency') options.latencyMs = wholeNumber(flag, value);
		else if (flag === '--token-latency') options.tokenLatencyMs = wholeNumber(flag, value);
		else if (flag === '--rate-limit') {
			const match = /^(\d+)\/(\d+)$/.exec(value);
			if (!match) throw new Error(`--rate-limit needs LIMIT/WINDOW_MS, e.g. 300/300000; got '${value}'\n${usage}`);
			options.rateLimit = { limit: Number(match[1]), windowMs: Number(match[2]) };
		} else if (sizeFlags[flag]) options.generate[sizeFlags[flag]] = wholeNumber(flag, value);
		else throw new Error(`Unknown option ${flag}\n${usage}`);
	}
	if (!['demo', 'generated', 'empty'].includes(options.dataset)) throw new Error(`Unknown dataset ${options.dataset}\n${usage}`);
	if (Object.keys(options.generate).length > 0 && options.dataset !== 'generated') {
		throw new Error(`Generator sizes need --dataset generated\n${usage}`);
	}
	return options;
}

function latencyLine(latency: LatencySettings): string {
	if (latency.latencyMs === 0 && !latency.tokenLatencyMs) return 'none';
	return `${latency.latencyMs} ms per API request, ${latency.tokenLatencyMs ?? latency.latencyMs} ms per token request`;
}

async function main(): Promise<void> {
	const options = parse(process.argv.slice(2));
	const dataset: DatasetSpec = options.dataset === 'generated' ? options.generate : (options.dataset as 'demo' | 'empty');
	const started = Date.now();
	const sandbox = await startHaloSandbox({
		port: options.port,
		host: options.host,
		dataset,
		requireTenant: options.requireTenant,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds,
		rateLimit: options.rateLimit,
		latencyMs: options.latencyMs,
		tokenLatencyMs: options.tokenLatencyMs,
	});
	const { store } = sandbox.state;
	console.log(`HaloPSA sandbox running (${options.dataset} dataset, ready in ${Date.now() - started} ms)

  Halo URL       ${sandbox.baseUrl}
  Auth URL       ${sandbox.baseUrl}/auth${options.requireTenant ? `   (tenant: ${options.requireTenant})` : ''}
  Client ID      ${sandbox.clientId}
  Client Secret  ${sandbox.clientSecret}
  Scope          all

  Latency        ${latencyLine(sandbox.state.config.latency)}
  Data           ${store.clients.size} clients, ${store.assets.size} assets, ${store.tickets.size} tickets, ${store.contracts.size} contracts
  Control API    ${sandbox.baseUrl}/_sandbox/stats   (see sandbox/README.md)

Press Ctrl+C to stop.`);
	const stop = () => {
		void sandbox.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
