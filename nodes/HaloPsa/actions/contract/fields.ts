/** What Simplify keeps of a contract; `assets` appear only with details or Include Assets. */
export const simplifiedContractFields = [
	'id',
	'ref',
	'client_id',
	'client_name',
	'site_id',
	'site_name',
	'contracttype',
	'contracttype_name',
	'start_date',
	'end_date',
	'active',
	'expired',
	'assets',
];
