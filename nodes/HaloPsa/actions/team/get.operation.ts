import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rateLimitOptions, recordIdField, simplifyField } from '../../helpers/descriptions';
import { simplifyOutput } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { haloApiRequestAllItems } from '../../../transport';
import { simplifiedTeamFields } from './fields';

const teamIdField = recordIdField('teamId', 'Team ID', 'The ID of the team to get');

export const option = { name: 'Get', description: 'Get a team', action: 'Get a team' };

export const properties: INodeProperties[] = [teamIdField, simplifyField, rateLimitOptions];

/** Halo documents teams as one short bare-array list, so a team is picked from that list. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const teamId = requireId.call(this, teamIdField.name, teamIdField.displayName, itemIndex);
	const teams = await haloApiRequestAllItems.call(this, '/Team', null, { qs: { includeinactive: true }, itemIndex });
	const team = teams.find((candidate) => Number(candidate.id) === teamId);
	if (!team) {
		throw new NodeOperationError(this.getNode(), `Team ${teamId} not found`, {
			itemIndex,
			description: 'Check the Team ID; Get Many on the Team resource lists the teams Halo has.',
		});
	}
	return simplifyOutput.call(this, itemIndex, [team], simplifiedTeamFields)[0];
}
