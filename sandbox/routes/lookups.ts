import { notFound } from '../http';
import { agentView, priorityView, statusView } from '../views';
import { idParam, ok, type ApiRoute } from './context';

/** Agents, teams and the ticket lookups: all bare arrays, as Halo answers them. */
export const lookupRoutes: ApiRoute[] = [
	{
		method: 'GET',
		pattern: '/api/agent/me',
		area: 'any',
		access: 'read',
		handle: ({ store, agent }) => ok(agentView(store, agent)),
	},
	{
		method: 'GET',
		pattern: '/api/agent',
		area: 'teams',
		access: 'read',
		handle: ({ store, query }) => {
			const teamId = query.int('team_id');
			const includeDisabled = query.bool('includedisabled') ?? false;
			const agents = store.agents
				.all()
				.filter((agent) => (includeDisabled || !agent.isdisabled) && (teamId === undefined || agent.team_id === teamId));
			return ok(agents.map((agent) => agentView(store, agent)));
		},
	},
	{
		method: 'GET',
		pattern: '/api/agent/:id',
		area: 'teams',
		access: 'read',
		handle: (context) => {
			const id = idParam(context);
			const agent = context.store.agents.get(id);
			if (!agent) throw notFound('Agent', id);
			return ok(agentView(context.store, agent));
		},
	},
	{
		method: 'GET',
		pattern: '/api/team',
		area: 'teams',
		access: 'read',
		handle: ({ store, query }) => {
			const includeInactive = query.bool('includeinactive') ?? false;
			return ok(store.teams.all().filter((team) => includeInactive || !team.inactive));
		},
	},
	{
		method: 'GET',
		pattern: '/api/status',
		area: 'tickets',
		access: 'read',
		handle: ({ store }) => ok(store.statuses.all().map(statusView)),
	},
	{
		method: 'GET',
		pattern: '/api/tickettype',
		area: 'tickets',
		access: 'read',
		handle: ({ store, query }) => {
			const includeInactive = query.bool('includeinactive') ?? false;
			return ok(store.ticketTypes.all().filter((type) => includeInactive || !type.inactive));
		},
	},
	{
		method: 'GET',
		pattern: '/api/priority',
		area: 'tickets',
		access: 'read',
		handle: ({ store }) => ok(store.priorities.all().map(priorityView)),
	},
	{
		method: 'GET',
		pattern: '/api/outcome',
		area: 'tickets',
		access: 'read',
		handle: ({ store }) => ok(store.outcomes.all()),
	},
	{
		method: 'GET',
		pattern: '/api/outcome/:id',
		area: 'tickets',
		access: 'read',
		handle: (context) => {
			const id = idParam(context);
			const outcome = context.store.outcomes.get(id);
			if (!outcome) throw notFound('Outcome', id);
			return ok(outcome);
		},
	},
];
