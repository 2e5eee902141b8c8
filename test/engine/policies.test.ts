import {
	checkPolicies,
	compileFormPolicy,
	customOperators,
	describeUnknownReference,
	findUnknownReferences,
	normalizeSnapshot,
	parsePolicies,
	planDeployments,
	isBlockingReference,
	PolicyValidationError,
	withUniqueIds,
} from '../../engine';
import { byContractType, contract, invoice, line, tenant, TODAY } from './fixtures';

const errorsOf = (document: unknown) => checkPolicies(document).errors;

describe('policy schema', () => {
	it('accepts { policies: [...] }, a bare list, one policy, and JSON text', () => {
		const policy = byContractType();
		expect(checkPolicies({ policies: [policy] }).errors).toEqual([]);
		expect(checkPolicies([policy]).policies).toHaveLength(1);
		expect(checkPolicies(policy).policies).toHaveLength(1);
		expect(checkPolicies(JSON.stringify({ policies: [policy] })).policies).toHaveLength(1);
	});

	it('names the path and what is expected for each problem', () => {
		const errors = errorsOf({
			policies: [
				{ id: 'a', software: '', effect: 'install', conditions: { all: [{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: 'x' }] } },
				{ id: 'a', software: 'S', effect: 'deploy', conditions: { any: [{ fact: 'assets', path: '$.name', operator: 'equal', value: 'x' }] } },
			],
		});
		expect(errors).toEqual(
			expect.arrayContaining([
				{ path: '$.policies[0].software', message: 'expected a non-empty text, got ""' },
				{ path: '$.policies[0].effect', message: 'expected "deploy" or "exclude", got "install"' },
				{ path: '$.policies[0].conditions.all[0].value', message: 'expected a non-empty list of values for containsAny, got "x"' },
				{ path: '$.policies[1].id', message: 'expected a unique id, but "a" is already used at $.policies[0].id' },
			]),
		);
		expect(errors.find((error) => error.path === '$.policies[1].conditions.any[0].fact')?.message).toMatch(
			/expected one of client, asset, coverage, software, context \(did you mean "asset"\?\), got "assets"/,
		);
	});

	it('suggests the closest property, path and operator', () => {
		const errors = errorsOf([
			{
				id: 'x',
				software: 'S',
				efect: 'deploy',
				conditions: { all: [{ fact: 'coverage', path: '$.client.contractType', operator: 'containAny', value: ['a'] }] },
			},
		]);
		const message = (path: string) => errors.find((error) => error.path === path)?.message ?? '';
		expect(message('$[0].efect')).toMatch(/unknown property \(did you mean "effect"\?\)/);
		expect(message('$[0].effect')).toMatch(/expected "deploy" or "exclude", got undefined/);
		expect(message('$[0].conditions.all[0].path')).toMatch(/unknown path "\$\.client\.contractType".*did you mean "\$\.client\.contractTypes"/);
		expect(message('$[0].conditions.all[0].operator')).toMatch(/did you mean "containsAny"/);
	});

	it('checks that operators fit the kind of value at the path', () => {
		const leaf = (path: string, operator: string, value: unknown) => errorsOf([{ id: 'x', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'asset', path, operator, value }] } }]);
		expect(leaf('$.contractIds', 'equal', 1)[0].message).toMatch(/expected a list operator .* because \$\.contractIds is a list/);
		expect(leaf('$.typeName', 'containsAny', ['x'])[0].message).toMatch(/expected a single-value operator/);
		expect(leaf('$.inactive', 'greaterThan', 1)[0].message).toMatch(/expected equal or notEqual/);
		expect(leaf('$.fields.warranty_end', 'dateBefore', 'soon')[0]).toEqual({
			path: '$[0].conditions.all[0].value',
			message: 'expected a date (yyyy-MM-dd) or "today", "today+N", "today-N" for dateBefore, got "soon"',
		});
		expect(leaf('$.id', 'lessThan', '5')[0].message).toBe('expected a number for lessThan, got "5"');
		expect(leaf('$.fields.warranty_end', 'dateOnOrAfter', 'today+30')).toEqual([]);
	});

	it('rejects a bare condition at the top, JSON that does not parse, and an empty list', () => {
		expect(errorsOf([{ id: 'x', software: 'S', effect: 'deploy', conditions: { fact: 'asset', path: '$.id', operator: 'equal', value: 1 } }])[0].message).toMatch(/around the conditions/);
		expect(errorsOf('{ policies: ')[0]).toEqual(expect.objectContaining({ path: '$', message: expect.stringMatching(/^expected JSON text/) }));
		expect(errorsOf({ policies: [] })[0]).toEqual({ path: '$.policies', message: 'expected at least one policy' });
	});

	it('throws a PolicyValidationError listing every problem', () => {
		expect(() => parsePolicies([{ id: 1 }])).toThrow(PolicyValidationError);
		expect(() => parsePolicies([{ id: 1 }])).toThrow(/^The policies are not valid \(3 problems\):\n\$\[0\]\.id: expected a non-empty text, got number 1/);
	});

	it('rejects an empty all or any anywhere, naming its path; a policy without conditions covers its whole scope', async () => {
		const withConditions = (conditions: unknown) => [{ id: 'p', software: 'S', effect: 'deploy', conditions }];
		expect(errorsOf(withConditions({ any: [] }))).toEqual([
			{
				path: '$[0].conditions.any',
				message: 'expected at least one condition in any: an empty any would match every asset; leave "conditions" out of the policy if every asset in its scope is meant',
			},
		]);
		expect(errorsOf(withConditions({ all: [] }))[0].path).toBe('$[0].conditions.all');
		expect(errorsOf(withConditions({ all: [{ not: { any: [] } }] }))[0].path).toBe('$[0].conditions.all[0].not.any');
		const everyServer = await planDeployments(normalizeSnapshot(tenant()), [{ id: 'p', software: 'S', effect: 'deploy', assetTypes: ['Server'] }], { date: TODAY });
		expect([...everyServer.decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId)).toEqual([11]);
	});

	it('accepts exactly the dates the date operators can read', async () => {
		const dated = (value: unknown) => [
			{ id: 'p', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'context', path: '$.date', operator: 'dateOnOrAfter', value }] } },
		];
		for (const readable of ['2025-01-01', '2025-01-01T10:00:00', '2025-01-01T10:00:00Z', '2025-01-01 00:00', '2025-01-01 10:00:00', 'today-7']) {
			expect(errorsOf(dated(readable))).toEqual([]);
			const plan = await planDeployments(normalizeSnapshot(tenant()), dated(readable), { date: TODAY });
			expect(plan.decision(10, 'S')?.targeted).toBe(true);
		}
		for (const unreadable of ['2025-02-30', '31/12/2024', '2025-01-01 25:00', '1900-01-01', 'tomorrow']) {
			expect(errorsOf(dated(unreadable))).toEqual([
				{ path: '$[0].conditions.all[0].value', message: `expected a date (yyyy-MM-dd) or "today", "today+N", "today-N" for dateOnOrAfter, got "${unreadable}"` },
			]);
		}
	});
});

describe('custom operators', () => {
	const operators = Object.fromEntries(customOperators(TODAY, 'UTC').map((operator) => [operator.name, operator.evaluate]));

	it('containsAny / containsAll / containsNone compare case-insensitively and ids as numbers', () => {
		expect(operators.containsAny(['managed security', '7'], ['Managed Security'])).toBe(true);
		expect(operators.containsAny(['7'], [7.0])).toBe(true);
		expect(operators.containsAny(['a'], ['b'])).toBe(false);
		expect(operators.containsAll(['a', 'b', 'c'], ['A', 'C'])).toBe(true);
		expect(operators.containsAll(['a'], ['a', 'b'])).toBe(false);
		expect(operators.containsNone(['a'], ['b'])).toBe(true);
		expect(operators.containsAny('not a list', ['a'])).toBe(false);
		expect(operators.containsNone(undefined, ['a'])).toBe(false);
	});

	it('equalsIgnoreCase and inIgnoreCase', () => {
		expect(operators.equalsIgnoreCase(' Workstation ', 'workstation')).toBe(true);
		expect(operators.equalsIgnoreCase(undefined, 'x')).toBe(false);
		expect(operators.inIgnoreCase('SERVER', ['workstation', 'server'])).toBe(true);
		expect(operators.inIgnoreCase(12, ['12'])).toBe(true);
	});

	it('date comparisons, with today and today±N relative to the plan day', () => {
		expect(operators.dateOnOrBefore('2025-06-15T10:00:00', 'today')).toBe(true);
		expect(operators.dateBefore('2025-06-15', 'today')).toBe(false);
		expect(operators.dateAfter('2025-07-16', 'today+30')).toBe(true);
		expect(operators.dateOnOrAfter('2025-06-08', 'today-7')).toBe(true);
		expect(operators.dateOnOrAfter('2025-06-07', 'today-7')).toBe(false);
		expect(operators.dateBefore('not a date', '2030-01-01')).toBe(false);
	});
});

describe('form policies', () => {
	it('compile to the same policy as the equivalent JSON, and plan the same', async () => {
		const compiled = compileFormPolicy({
			software: 'SentinelOne',
			coverageKind: 'contractType',
			contractTypes: ['Managed Security', 7],
			coverageScope: 'asset',
			assetTypes: ['Workstation'],
			excludedClients: ['Globex'],
			removeWhenCoverageEnds: true,
		});
		const written = {
			id: 'sentinelone-deploy',
			software: 'SentinelOne',
			effect: 'deploy',
			conditions: { all: [{ fact: 'coverage', path: '$.asset.contractTypes', operator: 'containsAny', value: ['Managed Security', 7] }] },
			assetTypes: ['Workstation'],
			clients: { exclude: ['Globex'] },
			removeWhenCoverageEnds: true,
		};
		expect(compiled).toEqual(written);
		const snapshot = normalizeSnapshot(tenant({ contracts: [contract({ assets: [10, 11] })] }));
		const fromForm = await planDeployments(snapshot, [compiled], { date: TODAY });
		const fromJson = await planDeployments(snapshot, JSON.stringify([written]), { date: TODAY });
		expect([...fromForm.decisions()]).toEqual([...fromJson.decisions()]);
		expect([...fromForm.decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId)).toEqual([10]);
	});

	it('split comma-separated text into names and ids', () => {
		expect(compileFormPolicy({ software: 'Huntress', coverageKind: 'recurringItem', items: 'HUNTRESS, 101 ,Huntress EDR' as never }).conditions).toEqual({
			all: [{ fact: 'coverage', path: '$.client.items', operator: 'containsAny', value: ['HUNTRESS', 101, 'Huntress EDR'] }],
		});
	});

	it('two form policies for the same software and effect get unique ids, so they plan together', () => {
		const s1 = { software: 'SentinelOne', coverageKind: 'recurringItem' as const, items: ['S1-COMPLETE'] };
		const policies = withUniqueIds([
			compileFormPolicy({ ...s1, coverageScope: 'contract' }),
			compileFormPolicy({ ...s1, coverageScope: 'asset' }),
			compileFormPolicy({ ...s1, id: 'sentinelone-deploy-2' }),
		]);
		expect(policies.map((policy) => policy.id)).toEqual(['sentinelone-deploy', 'sentinelone-deploy-2', 'sentinelone-deploy-2-2']);
		expect(checkPolicies(policies).errors).toEqual([]);
	});
});

describe('unknown references', () => {
	it('lists contract types, items, asset types and clients the tenant does not have, with the closest real names', () => {
		const snapshot = normalizeSnapshot(tenant({ contracts: [contract()], invoices: [invoice([line()])] }));
		const policies = parsePolicies([
			{
				id: 'p',
				software: 'S',
				effect: 'deploy',
				conditions: {
					any: [
						{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Securty', 'Managed Security'] },
						{ fact: 'coverage', path: '$.asset.items', operator: 'containsAny', value: ['sentinelone', 100] },
					],
				},
				assetTypes: ['Workstatoin'],
				clients: { exclude: ['Acme'] },
			},
		]);
		const unknown = findUnknownReferences(policies, snapshot);
		expect(unknown.map((reference) => [reference.path, reference.kind, reference.value, reference.suggestions[0]])).toEqual([
			['$.policies[0].conditions.any[0].value[0]', 'contract type', 'Managed Securty', 'Managed Security'],
			['$.policies[0].conditions.any[1].value[0]', 'recurring item', 'sentinelone', 'SentinelOne Complete'],
			['$.policies[0].assetTypes[0]', 'asset type', 'Workstatoin', 'Workstation'],
			['$.policies[0].clients.exclude[0]', 'client', 'Acme', 'Acme Ltd'],
		]);
		expect(describeUnknownReference(unknown[0])).toBe(
			'$.policies[0].conditions.any[0].value[0]: the contract type "Managed Securty" (policy p, S) is not in the HaloPSA data; did you mean "Managed Security"?',
		);
		expect(unknown.filter(isBlockingReference).map((reference) => reference.kind)).toEqual(['contract type', 'recurring item']);
	});

	it('checks contains and doesNotContain values like any other, in any case', () => {
		const snapshot = normalizeSnapshot(tenant({ contracts: [contract()], invoices: [invoice([line()])] }));
		const leaf = (path: string, operator: string, value: unknown) =>
			parsePolicies([{ id: 'p', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path, operator, value }] } }]);
		expect(findUnknownReferences(leaf('$.client.contractTypes', 'contains', 'MANAGED SECURITY'), snapshot)).toEqual([]);
		expect(findUnknownReferences(leaf('$.client.items', 'doesNotContain', 's1-complete'), snapshot)).toEqual([]);
		expect(findUnknownReferences(leaf('$.client.contractTypes', 'contains', 'Managed Securty'), snapshot)).toEqual([
			expect.objectContaining({ kind: 'contract type', value: 'Managed Securty', suggestions: ['Managed Security'], partial: false }),
		]);
	});

	it('with a snapshot of some clients only, a missing contract type is a hint, not an error; items stay errors', () => {
		// what a load limited to Globex (client 2, no contracts) gives: the tenant's items, but only Globex's contracts
		const snapshot = normalizeSnapshot(tenant({ contracts: [contract({ client_id: 2, contracttype: 3, contracttype_name: 'Break Fix' })] }));
		const policies = parsePolicies([
			byContractType(),
			{ id: 'typo', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.client.items', operator: 'containsAny', value: ['S1-COMPLET'] }] } },
		]);
		const unknown = findUnknownReferences(policies, snapshot, { partialSnapshot: true });
		expect(unknown.map((reference) => [reference.kind, reference.value, reference.partial, isBlockingReference(reference)])).toEqual([
			['contract type', 'managed security', true, false],
			['recurring item', 'S1-COMPLET', false, true],
		]);
		expect(describeUnknownReference(unknown[0])).toBe(
			'$.policies[0].conditions.all[0].value[0]: the contract type "managed security" (policy SentinelOne-by-contract, SentinelOne) is not in the HaloPSA data of the loaded clients (the load is limited to some clients; other clients may have it); they have no similar name',
		);
		expect(findUnknownReferences(policies, snapshot).filter(isBlockingReference)).toHaveLength(2);
	});
});

describe('contains and doesNotContain over coverage lists', () => {
	const operators = Object.fromEntries(customOperators(TODAY, 'UTC').map((operator) => [operator.name, operator.evaluate]));
	const snapshot = normalizeSnapshot(tenant({ contracts: [contract()], invoices: [invoice([line()])] }));
	const targetedBy = async (path: string, operator: string, value: unknown) => {
		const plan = await planDeployments(snapshot, [{ id: 'p', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path, operator, value }] } }], { date: TODAY });
		return [10, 11, 20].filter((assetId) => plan.decision(assetId, 'S')?.targeted);
	};

	it('compare case-insensitively and ids as text or numbers, as the other list operators do', () => {
		expect(operators.contains(['managed security', '7'], 'Managed Security')).toBe(true);
		expect(operators.contains(['managed security', '7'], 7)).toBe(true);
		expect(operators.contains([100], '100')).toBe(true);
		expect(operators.contains(['a'], 'b')).toBe(false);
		expect(operators.doesNotContain(['managed security'], 'MANAGED SECURITY')).toBe(false);
		expect(operators.doesNotContain(['a'], 'b')).toBe(true);
		// like json-rules-engine's own: neither holds for a fact that is not a list
		expect(operators.contains('managed security', 'managed security')).toBe(false);
		expect(operators.doesNotContain(undefined, 'a')).toBe(false);
	});

	it('match a contract type by name in any case or by id, and an item by code, name or id', async () => {
		expect(await targetedBy('$.client.contractTypes', 'contains', 'Managed Security')).toEqual([10, 11]);
		expect(await targetedBy('$.client.contractTypes', 'contains', 7)).toEqual([10, 11]);
		expect(await targetedBy('$.client.contractTypeNames', 'contains', 'MANAGED SECURITY')).toEqual([10, 11]);
		expect(await targetedBy('$.client.items', 'contains', 'S1-COMPLETE')).toEqual([10, 11]);
		expect(await targetedBy('$.client.itemNames', 'contains', 'SentinelOne Complete')).toEqual([10, 11]);
		expect(await targetedBy('$.client.itemIds', 'contains', '100')).toEqual([10, 11]);
		expect(await targetedBy('$.client.contractTypes', 'contains', 'Break Fix')).toEqual([]);
	});

	it('doesNotContain is false for a covered client and true for the others', async () => {
		expect(await targetedBy('$.client.contractTypes', 'doesNotContain', 'Managed Security')).toEqual([20]);
		expect(await targetedBy('$.client.itemCodes', 'doesNotContain', 's1-complete')).toEqual([20]);
	});
});
