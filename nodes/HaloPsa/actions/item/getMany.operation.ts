import { createListRecordsOperation, includeInactiveFilter, searchFilter } from '../listRecords';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many items (products and services)', action: 'Get many items' },
		path: '/Item',
		envelopeKey: 'items',
		simplifiedFields: ['id', 'name', 'internalreference', 'isrecurringitem', 'inactive'],
	},
	[
		searchFilter('Only items whose name or internal reference contains this text'),
		{
			query: 'recurringonly',
			field: {
				displayName: 'Recurring Only',
				name: 'recurringOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only recurring items (the ones billed on recurring invoices)',
			},
		},
		includeInactiveFilter('items'),
	],
);
