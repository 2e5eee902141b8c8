import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';


/** A required record ID typed by the user, e.g. the asset to get. */
export function recordIdField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12',
		description,
	};
}

/** The Operation selector of one resource; the first operation is the default. */
export function operationSelector(resource: string, options: INodePropertyOptions[]): INodeProperties {
	const firstOperation = options[0].value;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: firstOperation,
	};
}

/** Shows fields only for one resource's operation, keeping the conditions they already have. */
export const showOnlyFor = (resource: string, operation: string, fields: INodeProperties[]) =>
	updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, fields);

