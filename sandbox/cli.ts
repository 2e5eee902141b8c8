import { startHaloSandbox, type DatasetSpec, type GenerateOptions } from './index';

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
       ${Object.keys(sizeFlags).map((flag) => `[${flag} N]`).join(' ')}
Environment: HALO_SANDBOX_PORT (default 8787).`;

function parse(argv: string[]) {
	const options = {
		port: Number(process.env.HALO_SANDBOX_PORT ?? 8787),
		host: '127.0.0.1',
		dataset: 'demo' as string,
		generate: {} as GenerateOptions,
		requireTenant: undefined as string | undefined,
		tokenLifetimeSeconds: undefined as number | undefined,
		rateLimit: false as { limit: number; windowMs: number } | false,
	};
	for (let index = 0; index < argv.length; index++) {
		const flag = argv[index];
		const value = argv[index + 1];
		if (flag === '--help' || flag === '-h') {
			console.log(usage);
			process.exit(0);
		}
		if (value === undefined) throw new Error(`${flag} needs a value\n${usage}`);
		index++;
		const number = Number(value);
		if (flag === '--port') options.port = number;
		else if (flag === '--host') options.host = value;
		else if (flag === '--dataset') options.dataset = value;
		else if (flag === '--tenant') options.requireTenant = value;
		else if (flag === '--token-lifetime') options.tokenLifetimeSeconds = number;
		else if (flag === '--rate-limit') {
			const [limit, windowMs] = value.split('/').map(Number);
			options.rateLimit = { limit, windowMs };
		} else if (sizeFlags[flag]) options.generate[sizeFlags[flag]] = number;
		else throw new Error(`Unknown option ${flag}\n${usage}`);
		if (Number.isNaN(number) && !['--host', '--dataset', '--tenant', '--rate-limit'].includes(flag)) {
			throw new Error(`${flag} needs a number`);
		}
	}
	if (!['demo', 'generated', 'empty'].includes(options.dataset)) throw new Error(`Unknown dataset ${options.dataset}\n${usage}`);
	return options;
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
	});
	const { store } = sandbox.state;
	console.log(`HaloPSA sandbox running (${options.dataset} dataset, ready in ${Date.now() - started} ms)

  Halo URL       ${sandbox.baseUrl}
  Auth URL       ${sandbox.baseUrl}/auth${options.requireTenant ? `   (tenant: ${options.requireTenant})` : ''}
  Client ID      ${sandbox.clientId}
  Client Secret  ${sandbox.clientSecret}
  Scope          all

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
